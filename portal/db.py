"""The declarative base, shared column types and the database connection settings."""

from __future__ import annotations

import enum
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from flask import g, has_request_context, request
from sqlalchemy import DateTime, Engine, MetaData, event
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: Constraint names are fixed so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime, stored naive in UTC (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    """An unguessable token for URLs and messages (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class HasLocale(Protocol):
    @property
    def locale(self) -> str: ...


T = TypeVar("T", bound=HasLocale)


def pick_translation(translations: list[T], locale: str, fallback: str = "da") -> T:
    """Staff-written text in ``locale``, else in ``fallback`` (Danish), else in any language."""
    by_locale = {t.locale: t for t in translations}
    return by_locale.get(locale) or by_locale.get(fallback) or translations[0]


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def configure_sqlite(engine: Engine) -> None:
    """WAL, a 5 s busy timeout, foreign keys, and transactions that begin when they should.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's ``begin`` decides:
    a request that may write (anything but GET/HEAD) and every CLI command begin with
    ``BEGIN IMMEDIATE``, so two writers queue on the busy timeout instead of failing when a
    read lock is upgraded; GET/HEAD requests begin deferred and read in parallel under WAL. A
    GET that must write (a staff session seen) does it in its own transaction inside
    :func:`write_in_read_request`, which begins immediate too.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        reading = (
            has_request_context()
            and request.method in ("GET", "HEAD")
            and not g.get("write_transaction")
        )
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


@contextmanager
def write_in_read_request(session: Any) -> Iterator[None]:
    """A write during a GET, in a transaction of its own that begins as a writer's would
    (``BEGIN IMMEDIATE`` on SQLite): it waits for another writer within the busy timeout. A read
    transaction upgraded to a write fails at once instead when someone wrote since it began
    ("database is locked", issue 17: 14 of 25,000 queue requests under load)."""
    session.commit()  # the read so far ends here
    flagged = has_request_context()
    if flagged:
        g.write_transaction = True
    try:
        yield
        session.commit()
    finally:
        if flagged:
            g.write_transaction = False


def enum_column(enum_cls: type[enum.StrEnum]) -> SAEnum:
    """A StrEnum stored as its value in a VARCHAR (no native enum type to migrate)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
