"""Backups that restore: ``flask backup create FILE`` and ``flask backup restore FILE``.

Everything the portal keeps is in its database — the families' photos and PDFs included
(``upload_data``) — so a backup is the database: ``pg_dump``'s custom format on PostgreSQL
(restored with ``pg_restore``, which must be the server's major version or newer), SQLite's
online backup API on the embedded default (a consistent copy while the portal runs). A restore
goes only into an empty database (a new one, or one just created by the operator): it never
mixes two states. Keep backups as carefully as the database (they hold the same personal data)
and keep ``PORTAL_CPR_KEY`` apart from them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL

from portal.extensions import db


class BackupError(RuntimeError):
    """What went wrong, in words for the operator."""


def _libpq(url: URL) -> str:
    """The URL as pg_dump and pg_restore read it: no driver name, no password (that goes in
    the environment, not on a command line every user of the machine can list)."""
    return url.set(drivername="postgresql", password=None).render_as_string()


def _run(command: list[str]) -> None:
    url = db.engine.url
    env = {**os.environ, **({"PGPASSWORD": str(url.password)} if url.password else {})}
    # The operator's own command: fixed programs, the configured database, the file named.
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def create(target: Path) -> None:
    """Write a backup of the whole database to ``target``."""
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), _libpq(url)])
        return
    if not url.database or url.database == ":memory:":
        raise BackupError("This SQLite database is in memory: there is nothing on disk to copy.")
    db.session.remove()
    with closing(sqlite3.connect(url.database)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def restore(source: Path) -> None:
    """Put a backup into this (empty) database."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    db.session.remove()
    tables = inspect(db.engine).get_table_names()
    if tables:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables): restore into a new database, "
            "then point PORTAL_DATABASE_URL at it."
        )
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", _libpq(url), str(source)])
        return
    db.engine.dispose()
    with (
        closing(sqlite3.connect(source)) as backup,
        closing(sqlite3.connect(str(url.database))) as live,
    ):
        backup.backup(live)
