"""The daily jobs run once at a time, however many servers start them.

Every app server may carry the same timers (``deploy/``); when two start ``flask money
expire`` at once, the second finds the job's lock taken, does nothing and says so. On
PostgreSQL the lock is an advisory lock held by a connection for the job's length (released
by the database if the process dies); on SQLite, which lives on one machine, a file lock beside
the database file.
"""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import text

from portal.extensions import db


@contextmanager
def only_one(name: str) -> Iterator[bool]:
    """``True`` while this process holds job ``name``'s lock (run it); ``False`` when another
    process holds it (do nothing)."""
    if db.engine.dialect.name == "postgresql":
        with _advisory_lock(name) as held:
            yield held
    else:
        with _file_lock(name) as held:
            yield held


@contextmanager
def _advisory_lock(name: str) -> Iterator[bool]:
    key = zlib.crc32(f"fritidsportalen:{name}".encode())
    with db.engine.connect() as connection:
        held = bool(
            connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        )
        connection.commit()
        try:
            yield held
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()


@contextmanager
def _file_lock(name: str) -> Iterator[bool]:
    database = db.engine.url.database
    folder = (
        os.path.dirname(os.path.abspath(database))
        if database and database != ":memory:"
        else current_app.instance_path
    )
    with open(os.path.join(folder, f".job-{name}.lock"), "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
