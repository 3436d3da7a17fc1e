"""The portal under gunicorn as a municipality runs it (issue 15): ``portal.wsgi:app`` with
``portal/gunicorn_conf.py``, production settings, two workers behind "one proxy"; JSON log
lines on stdout without tokens; a graceful reload keeps answering; a stop ends cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest

from portal import create_app

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Xiw7rUrJcIi71b6GIWA6Fw"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    """Until gunicorn answers (or 60 s): a readiness wait, not a measurement."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped"
        try:
            if _get(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 60 s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    database = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    env = {
        **os.environ,
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": "s" * 40,
        "PORTAL_CPR_KEY": "c" * 40,
        "PORTAL_DATABASE_URL": database,
        "PORTAL_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "PORTAL_BIND": f"127.0.0.1:{_free_port()}",
        "PORTAL_WORKERS": "2",
        "PORTAL_PROXY_HOPS": "1",
    }
    app = create_app({"DATABASE_URL": database, "SECRET_KEY": "s" * 40})
    with app.app_context():
        flask_migrate.upgrade()
    log = tmp_path / "stdout.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:portal.gunicorn_conf"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield f"http://{env['PORTAL_BIND']}", server, log
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()


def test_gunicorn_serves_logs_json_reloads_and_stops(
    served: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    base, server, log = served
    _wait_until_up(f"{base}/healthz", server)
    status, headers = _get(f"{base}/da/", {"X-Forwarded-For": "203.0.113.9"})
    assert status == 200 and len(headers["X-Request-ID"]) == 32
    assert headers["Strict-Transport-Security"]  # production's headers
    assert _get(f"{base}/da/applications/{TOKEN}")[0] == 404

    server.send_signal(signal.SIGHUP)  # graceful reload: new workers, the same socket
    _wait_until_up(f"{base}/healthz", server)
    assert _get(f"{base}/da/activities")[0] == 200

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=60) == 0

    text = log.read_text()
    assert TOKEN not in text  # gunicorn's access log is off; ours names the route
    requests = [json.loads(line) for line in text.splitlines() if '"route"' in line]
    routes = {line["route"] for line in requests}
    assert {"/<lang:lang>/", "/<lang:lang>/applications/<token>", "/healthz"} <= routes
    assert all(line["request_id"] and "duration_ms" in line for line in requests)
    assert "Handling signal: hup" in text.lower() or "hang up" in text.lower()
