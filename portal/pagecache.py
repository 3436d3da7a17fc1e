"""Public pages rendered once, then served from each worker's memory until what they show
changes, with an ETag so a phone's repeat visit is a 304 (issue 17).

The home page, the catalogue (each filter), an activity's page, the accessibility statement and
the privacy notice hold no personal data and read the same for every visitor of a language:
their views are :func:`public_page`. What they show lives in a few tables (activities, clubs,
schemes, the municipality's settings); any change to a row of them, through the ORM, gives the
one-row table ``content_version`` a new random token in the same transaction. A worker keys
its pages on that token (read at most every ``PAGE_CACHE_RECHECK_SECONDS``; at once after a
change made in that worker), the day, the URL and the htmx headers. A new token means every
page is rendered anew; a restored backup brings its own token back, and with it only pages
rendered from that very data. No token (an empty database): nothing is kept.

What a page's response gets per request is still done per request: the language cookie, the
security headers, the request log.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, wraps
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context, make_response, request
from flask.typing import ResponseReturnValue
from sqlalchemy import String, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base
from portal.extensions import db
from portal.security import mark_public

#: Pages a worker keeps (each a few kilobytes to 30 KB): the catalogue's filters are many.
MAX_PAGES = 500


class ContentVersion(Base):
    """One row: a new token whenever something a public page shows has changed."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


@dataclass
class Entry:
    body: bytes
    content_type: str
    vary: tuple[str, ...]
    etag: str


@dataclass
class Store:
    """One app's pages in one worker."""

    token: str | None = None
    checked_at: float = float("-inf")
    pages: OrderedDict[tuple[Any, ...], Entry] = field(default_factory=OrderedDict)

    def current_token(self, recheck_seconds: float) -> str | None:
        now = time.monotonic()
        if now - self.checked_at >= recheck_seconds:
            self.token = db.session.execute(
                select(ContentVersion.token).where(ContentVersion.id == 1)
            ).scalar_one_or_none()
            self.checked_at = now
        return self.token

    def keep(self, key: tuple[Any, ...], entry: Entry) -> None:
        self.pages[key] = entry
        while len(self.pages) > MAX_PAGES:
            self.pages.popitem(last=False)


def _store() -> Store:
    store: Store = current_app.extensions["pagecache"]
    return store


def public_page(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """A view whose page holds no personal data: marked public, kept, and answered with an
    ETag (a matching ``If-None-Match`` gets a 304)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        mark_public()
        config = current_app.config
        if not config["PAGE_CACHE"]:
            return view(*args, **kwargs)
        store = _store()
        token = store.current_token(config["PAGE_CACHE_RECHECK_SECONDS"])
        if token is None:
            return view(*args, **kwargs)
        today = datetime.now(ZoneInfo(config["TIMEZONE"])).date()
        key = (
            token,
            today,
            request.full_path,
            request.headers.get("HX-Request"),
            request.headers.get("HX-Boosted"),
            request.headers.get("HX-History-Restore-Request"),
        )
        entry = store.pages.get(key)
        if entry is None:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.direct_passthrough:
                return response
            body = response.get_data()
            entry = Entry(
                body=body,
                content_type=response.content_type or "text/html; charset=utf-8",
                vary=tuple(response.vary),
                etag=hashlib.blake2b(body, digest_size=12).hexdigest(),
            )
            store.keep(key, entry)
        else:
            store.pages.move_to_end(key)
        response = current_app.response_class(entry.body, content_type=entry.content_type)
        response.vary.update(entry.vary)
        response.set_etag(entry.etag)
        return response.make_conditional(request)

    return wrapper


# What public pages show changed: a new token, in the same transaction ------------------------


@cache
def _public_models() -> tuple[type, ...]:
    """The models whose rows public pages show (imported on first use, after every model is
    defined; looked up once, asked on every flush)."""
    from portal.catalogue.models import Activity, ActivitySession, ActivityTranslation, Association
    from portal.main.models import MunicipalitySettings
    from portal.schemes.models import Scheme, SchemeTranslation, SchemeYear

    return (
        Activity, ActivitySession, ActivityTranslation, Association, MunicipalitySettings,
        Scheme, SchemeTranslation, SchemeYear,
    )  # fmt: skip


def _note_changes(session: Session, _context: Any, _instances: Any) -> None:
    models = _public_models()
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(row, models) for row in changed):
        session.info["public_content_changed"] = True


def _new_token(session: Session, _context: Any) -> None:
    if not session.info.pop("public_content_changed", False):
        return
    token = secrets.token_hex(16)
    connection = session.connection()
    done = connection.execute(
        update(ContentVersion).where(ContentVersion.id == 1).values(token=token)
    )
    if done.rowcount == 0:
        connection.execute(insert(ContentVersion).values(id=1, token=token))
    session.info["public_content_committed"] = True


def _after_commit(session: Session) -> None:
    if session.info.pop("public_content_committed", False) and has_app_context():
        store = current_app.extensions.get("pagecache")
        if store is not None:
            store.checked_at = float("-inf")  # this worker sees its own change at once


def _after_rollback(session: Session, _transaction: Any) -> None:
    session.info.pop("public_content_changed", None)
    session.info.pop("public_content_committed", None)


def init_app(app: Flask) -> None:
    app.extensions["pagecache"] = Store()
    if not event.contains(Session, "before_flush", _note_changes):
        event.listen(Session, "before_flush", _note_changes)
        event.listen(Session, "after_flush", _new_token)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)
