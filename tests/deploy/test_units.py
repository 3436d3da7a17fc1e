"""The systemd units in deploy/systemd (issue 15) are valid as systemd reads them: each is
verified by ``systemd-analyze verify`` with the checkout in place of /srv/fritidsportalen (it
checks the sections, keys, timers' calendars and that every command exists)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.deploy.test_gunicorn import ROOT

UNITS = ROOT / "deploy" / "systemd"


def test_the_units_and_timers_verify(tmp_path: Path) -> None:
    assert shutil.which("systemd-analyze"), "systemd-analyze (Debian's systemd) is missing"
    env_file = tmp_path / "env"
    env_file.write_text("PORTAL_ENV=production\n")
    names = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text().replace("/srv/fritidsportalen", str(ROOT))
        text = text.replace("/etc/fritidsportalen/env", str(env_file))
        name = unit.name.replace("@.service", "@8001.service")  # an instance of the template
        (tmp_path / name).write_text(text)
        names.append(name)
    assert {"fritidsportalen-web@8001.service", "fritidsportalen-worker.service",
            "fritidsportalen-money-expire.timer",
            "fritidsportalen-enrolments-remind.timer"} <= set(names)  # fmt: skip
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""  # not even a warning (unknown keys)
