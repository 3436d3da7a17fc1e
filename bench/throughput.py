"""Requests per second of the citizen pages and the guides' queue against the bare-Flask
ceiling, side by side in one run (issue 17).

Starts the portal under gunicorn (``portal/gunicorn_conf.py``: 2 sync workers, production
settings, its JSON request log to a file) on a new database holding the demo data, and the
bare app (``bench/bare.py``: a Jinja page of the same size) on the same gunicorn settings;
then, for each page, ``wrk -t2 -c20`` against the page and against a bare page of its size,
one after the other, for three rounds. Prints req/s, p50 and p99 per page with the share of
the ceiling (the median of the rounds' ratios), then the portal workers' memory (RSS).

    .venv/bin/python -m bench.throughput                      # SQLite (the embedded default)
    .venv/bin/python -m bench.throughput --postgres           # PostgreSQL (database bench)
    .venv/bin/python -m bench.throughput --seconds 5 --pages catalogue-da,question

Installs Debian's wrk when it is missing (as `make chromium` installs Chromium).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET = "bench-secret-key-of-enough-length-0123456789abcdef"
CPR_KEY = "bench-cpr-key-of-enough-length-0123456789abcdef"
PG_ADMIN = "postgresql+psycopg://127.0.0.1:5432/postgres"
PG_BENCH = "postgresql+psycopg://127.0.0.1:5432/bench"


def _install_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("Installing Debian's wrk", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(database_url: str, instance: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")},
        "FLASK_APP": "portal",
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": SECRET,
        "PORTAL_CPR_KEY": CPR_KEY,
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_WORKERS": "2",
        # Redis counts the rate limits of both workers, as in production (the pages measured
        # have none: only sign-in and resume forms are limited).
        "PORTAL_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/14",
    }


def _prepare_database(env: dict[str, str], postgres: bool) -> None:
    if postgres:
        from sqlalchemy import create_engine, text

        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS bench WITH (FORCE)"))
            connection.execute(text("CREATE DATABASE bench"))
        admin.dispose()
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "flask"), *command], env=env, check=True, capture_output=True)


@contextmanager
def _gunicorn(env: dict[str, str], args: list[str], log: Path) -> Iterator[tuple[str, int]]:
    port = _free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-b", f"127.0.0.1:{port}", *args],
            env={**env, "PORTAL_BIND": f"127.0.0.1:{port}"},
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(f"gunicorn did not start: see {log}") from None
                    time.sleep(0.2)
            yield base, server.pid
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


@dataclass
class Page:
    name: str
    path: str
    cookie: str = ""


def _pages(env: dict[str, str], base: str) -> list[Page]:
    """The citizen pages, and a family's own pages with that family's session cookie (made
    through the portal's forms by the test client on the same database and secret)."""
    os.environ.update({k: v for k, v in env.items() if k.startswith("PORTAL_")})
    os.environ["PORTAL_LOG_LEVEL"] = "WARNING"  # this process's requests are not the bench's
    from portal import create_app
    from tests.applications.family import Family

    app = create_app()
    draft = Family(app.test_client())
    first = draft.start("girls-cricket")
    check = draft.answer_all(first)
    sent = Family(app.test_client())
    sent.answer_all(sent.start("girls-cricket"))
    assert sent.submit().status_code == 303
    status = f"/da/applications/{sent.token}"

    def cookie(family: Family) -> str:
        found = family.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        assert found is not None
        return f"{found.key}={found.value}"

    pages = [
        Page("home-da", "/da/"),
        Page("catalogue-da", "/da/activities"),
        Page("catalogue-ar", "/ar/activities"),
        Page("catalogue-en", "/en/activities"),
        Page("catalogue-filtered", "/da/activities?age=11&who=girls"),
        Page("activity-da", "/da/activities/girls-cricket"),
    ]
    for url in draft.visited:
        step = url.split("?")[0].rsplit("/", 1)[1]
        pages.append(Page(f"question-{step}", url, cookie(draft)))
    pages.append(Page("check-answers", check, cookie(draft)))
    pages.append(Page("status-da", status, cookie(sent)))
    pages.append(Page("status-ar", status.replace("/da/", "/ar/"), cookie(sent)))
    for page in pages:  # every page answers 200 before it is measured
        request = urllib.request.Request(base + page.path, headers={"Cookie": page.cookie})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200, (page, response.status)
    return pages


def _size(base: str, page: Page) -> int:
    request = urllib.request.Request(base + page.path, headers={"Cookie": page.cookie})
    with urllib.request.urlopen(request, timeout=10) as response:
        return len(response.read())


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _wrk(url: str, seconds: int, cookie: str = "") -> Run:
    command = ["wrk", "-t2", "-c20", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def percentile(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    found = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(found.group(1)) if found else 0
    return Run(rps, percentile("50%"), percentile("99%"), errors)


def _rss_mb(master: int) -> list[float]:
    """Resident memory of each worker (the master's children), in MB."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master):
            found.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL (database bench)")
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    options = parser.parse_args()
    _install_wrk()
    work = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    url = PG_BENCH if options.postgres else f"sqlite:///{work / 'portal.sqlite3'}"
    env = _environment(url, work / "instance")
    _prepare_database(env, options.postgres)
    # Workers are not replaced after 5,000 requests here (production's max_requests), so the
    # memory read after the load is that of workers that served all of it.
    portal_args = ["-c", "python:portal.gunicorn_conf", "--max-requests", "0"]
    bare_args = [*portal_args, "bench.bare:app"]  # the same settings, another app
    with (
        _gunicorn(env, portal_args, work / "portal.log") as (portal, master),
        _gunicorn(env, bare_args, work / "bare.log") as (bare, _),
    ):
        pages = _pages(env, portal)
        if options.pages:
            wanted = set(options.pages.split(","))
            pages = [page for page in pages if page.name in wanted]
        results: dict[str, list[tuple[Run, Run]]] = {page.name: [] for page in pages}
        sizes = {page.name: _size(portal, page) for page in pages}
        for round_ in range(options.rounds):
            for page in pages:
                mine = _wrk(portal + page.path, options.seconds, page.cookie)
                ceiling = _wrk(f"{bare}/bare/{sizes[page.name]}", options.seconds)
                results[page.name].append((mine, ceiling))
                print(
                    f"round {round_ + 1} {page.name:22} {mine.rps:8.0f} req/s "
                    f"(ceiling {ceiling.rps:6.0f}) {mine.rps / ceiling.rps:6.1%}",
                    flush=True,
                )
        rss = _rss_mb(master)
    database = "PostgreSQL" if options.postgres else "SQLite"
    print(f"\n{database}, wrk -t2 -c20 -d{options.seconds}s, {options.rounds} rounds, medians:")
    print("| page | bytes | req/s | p50 ms | p99 ms | ceiling req/s | share | non-2xx |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for page in pages:
        runs = results[page.name]
        print(
            f"| {page.name} | {sizes[page.name]} "
            f"| {statistics.median(m.rps for m, _ in runs):.0f} "
            f"| {statistics.median(m.p50_ms for m, _ in runs):.1f} "
            f"| {statistics.median(m.p99_ms for m, _ in runs):.1f} "
            f"| {statistics.median(c.rps for _, c in runs):.0f} "
            f"| {statistics.median(m.rps / c.rps for m, c in runs):.0%} "
            f"| {sum(m.errors for m, _ in runs)} |"
        )
    print(f"\nportal workers' RSS after the load: {', '.join(f'{mb:.0f} MB' for mb in rss)}")
    if options.postgres:
        from sqlalchemy import create_engine, text

        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS bench WITH (FORCE)"))
        admin.dispose()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
