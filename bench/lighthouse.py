"""Lighthouse's scores for the citizen pages in Danish and Arabic, on a phone (issue 17).

Starts the portal under gunicorn on a new SQLite database with the demo data (as
bench/throughput.py does, a family's draft and sent application made through its forms), then
runs Lighthouse (npm's, pinned in package.json; mobile, its default) in Debian's Chromium on
each page, with the family's session cookie where the page is the family's own. Prints
performance, accessibility, best practices and SEO per page.

    .venv/bin/python -m bench.lighthouse
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.throughput import ROOT, _environment, _gunicorn, _pages, _prepare_database

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: The pages measured in both languages (the family's pages by their names in bench/throughput).
MEASURED = (
    "home-da", "catalogue-da", "activity-da", "question-participant", "question-contact",
    "check-answers", "status-da",
)  # fmt: skip


def scores(url: str, cookie: str, out: Path) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--chrome-flags={CHROMIUM_FLAGS}", f"--only-categories={','.join(CATEGORIES)}",
    ]  # fmt: skip
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}: {done.stderr[-2000:]}")
    report = json.loads(out.read_text())
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: run `make setup` (npm ci installs it).")
        return 1
    work = Path(tempfile.mkdtemp(prefix="bench-lighthouse-"))
    env = _environment(f"sqlite:///{work / 'portal.sqlite3'}", work / "instance")
    env["PORTAL_WORKERS"] = "1"
    _prepare_database(env, postgres=False)
    print("| page | performance | accessibility | best practices | SEO |")
    print("| --- | --- | --- | --- | --- |")
    with _gunicorn(env, ["-c", "python:portal.gunicorn_conf"], work / "portal.log") as (base, _):
        pages = {page.name: page for page in _pages(env, base)}
        for name in MEASURED:
            page = pages[name]
            for lang in ("da", "ar"):
                path = page.path.replace("/da/", f"/{lang}/", 1)
                found = scores(base + path, page.cookie, work / "report.json")
                label = f"{name.removesuffix('-da')} ({lang})"
                print(f"| {label} | " + " | ".join(str(found[c]) for c in CATEGORIES) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
