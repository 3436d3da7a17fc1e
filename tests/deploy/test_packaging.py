"""The portal installs from a wheel (issue 15): templates, static files, compiled catalogues,
migrations and the gunicorn settings are package data, so a server needs no checkout. The wheel
is built as `make wheel` builds it, installed into a folder of its own, and run from elsewhere:
migrated, seeded, served by gunicorn, and a family's pages answered in Arabic from it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.request
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.deploy.test_gunicorn import ROOT, _free_port, _get, _wait_until_up


def _build_wheel(into: Path) -> Path:
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' stale copies stay there
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(into), str(ROOT)],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    (wheel,) = into.glob("fritidsportalen-*.whl")
    return wheel


def test_the_wheel_holds_what_the_portal_reads_at_run_time(tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(_build_wheel(tmp_path)).namelist())
    for needed in (
        "portal/templates/base.html",
        "portal/static/css/portal.css",
        "portal/static/vendor/htmx.min.js",  # copied from npm by `make setup`
        "portal/translations/ar/LC_MESSAGES/messages.mo",  # compiled by `make setup`
        "portal/migrations/env.py",
        "portal/migrations/alembic.ini",
        "portal/gunicorn_conf.py",
    ):
        assert needed in names, needed
    assert any(n.startswith("portal/migrations/versions/0001") for n in names)
    assert not any(n.startswith(("tests/", "deploy/", "bench/")) for n in names)


def test_an_installed_wheel_migrates_seeds_and_serves_outside_the_checkout(
    tmp_path: Path,
) -> None:
    wheel = _build_wheel(tmp_path / "dist")
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    elsewhere = tmp_path / "srv"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "FLASK_"))}
    env |= {
        "PYTHONPATH": str(site),  # before the checkout's editable install on sys.path
        "FLASK_APP": "portal",
        "PORTAL_DATABASE_URL": f"sqlite:///{elsewhere / 'portal.sqlite3'}",
        "PORTAL_INSTANCE_PATH": str(elsewhere / "instance"),
    }
    where = subprocess.run(
        [sys.executable, "-c", "import portal; print(portal.__file__)"],
        env=env, cwd=elsewhere, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert where.stdout.strip() == str(site / "portal" / "__init__.py")
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [sys.executable, "-m", "flask", *command],
            env=env, cwd=elsewhere, check=True, capture_output=True,
        )  # fmt: skip

    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:portal.gunicorn_conf"],
        env=env | {"PORTAL_BIND": f"127.0.0.1:{port}", "PORTAL_WORKERS": "1"},
        cwd=elsewhere, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz", server)  # migrations found: the schema is current
        with urllib.request.urlopen(f"{base}/ar/activities", timeout=10) as response:  # noqa: S310
            page = response.read().decode()
        assert 'lang="ar"' in page and 'dir="rtl"' in page
        assert "<h1>ابحث عن نشاط</h1>" in page  # "Find an activity", from the compiled catalogue
        css = page.split('href="/static/css/portal.css?v=')[1].split('"')[0]
        assert _get(f"{base}/static/css/portal.css?v={css}")[0] == 200
        assert _get(f"{base}/static/vendor/htmx.min.js")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _locked(path: Path) -> dict[str, Version]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==([^ \\]+)", path.read_text(), flags=re.MULTILINE)
    return {canonicalize_name(name): Version(version) for name, version in pins}


def test_the_lock_files_pin_every_dependency_within_what_pyproject_allows() -> None:
    """`make setup` and CI install requirements/dev.txt, servers requirements/production.txt;
    a dependency added to or changed in pyproject.toml without `make lock` fails here."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    for lock, wanted in (("production", runtime), ("dev", runtime + dev)):
        pins = _locked(ROOT / "requirements" / f"{lock}.txt")
        for requirement in wanted:
            pinned = pins.get(canonicalize_name(requirement.name))
            assert pinned is not None, f"{requirement.name} is not in requirements/{lock}.txt"
            assert requirement.specifier.contains(pinned, prereleases=True), (
                f"requirements/{lock}.txt pins {requirement.name}=={pinned}, "
                f"pyproject.toml asks {requirement.specifier}"
            )
    assert "playwright" not in _locked(ROOT / "requirements" / "production.txt")


def test_the_containerfile_copies_what_the_checkout_has() -> None:
    """No container engine runs here (the note says so); what can be checked without one is
    that every file the Containerfile copies from the checkout exists, and that it installs
    the production lock file and serves with the same gunicorn settings as the units."""
    text = (ROOT / "deploy" / "Containerfile").read_text()
    sources = [
        part
        for line in text.splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for part in line.split()[1:-1]
    ]
    assert sources, "the Containerfile copies nothing from the checkout"
    for source in sources:
        assert (ROOT / source).exists(), f"the Containerfile copies {source}, which is gone"
    assert "--require-hashes -r /tmp/production.txt" in " ".join(text.replace("\\\n", " ").split())
    assert '"python:portal.gunicorn_conf"' in text
    unit = (ROOT / "deploy" / "systemd" / "fritidsportalen-web@.service").read_text()
    assert "gunicorn -c python:portal.gunicorn_conf" in unit
