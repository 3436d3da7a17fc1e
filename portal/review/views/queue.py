"""The queue: everything that waits for a guide, with counts and filters."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms import SelectChoice

from portal.applications import queries as application_queries
from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.auth.access import staff_id, staff_required
from portal.db import utcnow
from portal.htmx import render_page_or_fragment
from portal.i18n import current_locale, locale_info, supported_locales, url_with_query
from portal.people import queries as people
from portal.review import queries
from portal.review.forms import AGE_BANDS, QueueFilterForm
from portal.review.views import bp
from portal.workflow import ApplicationStatus


@bp.get("/")
@staff_required()
def queue() -> ResponseReturnValue:
    """Everything that waits for a guide, with counts per kind; filters in a GET form. With
    htmx the form swaps only the list (and the address bar follows)."""
    now = utcnow()
    form = QueueFilterForm(request.args)
    _queue_choices(form)
    filters = _filters(form)
    me = staff_id()
    # Audited first: its commit would otherwise expire the rows loaded for the page.
    details = request.query_string.decode()[:500] or None
    audit.record_access(me, AuditAction.SEARCH, "queue", details=details)
    page = queries.search(filters, now, me=me, after=request.args.get("after"))
    response = render_page_or_fragment(
        "review/queue.html",
        "review/_queue_results.html",
        counts=queries.counts(now),
        form=form,
        filters_in_use=_in_use(filters),
        results=page,
        flags=people.flags(page.rows),
        filters=filters,
        next_url=_next_page_url(page),
        bulk_reasons=queries.decline_reasons(current_locale()),
        activity_label=lambda a: application_queries.activity_label(a, current_locale()),
        status_label=application_queries.status_label,
    )
    if filters.q:
        # Looking someone up: each family listed gets a row in its access log.
        audit.record_search_hits(me, page.rows, details)
    return response


def _in_use(filters: queries.QueueFilters) -> int:
    """How many of the folded filters are set (the kind of work chosen above the form counts
    only when it is not the default "new")."""
    chosen = [
        filters.status, filters.scheme_id, filters.activity_id, filters.association_id,
        filters.language, filters.age, filters.guide, filters.overdue or None,
        filters.newest_first or None,
        # "Everything" or another kind of work than new (a status replaces the kind).
        "waiting" if filters.waiting is not queries.Waiting.NEW and not filters.status else None,
    ]  # fmt: skip
    return sum(value is not None for value in chosen)


def _next_page_url(page: queries.Page) -> str | None:
    if page.after is None:
        return None
    kept = [(key, value) for key, value in request.args.items(multi=True) if key != "after"]
    return url_with_query(".queue", [*kept, ("after", page.after)])


def _choices(*pairs: tuple[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _queue_choices(form: QueueFilterForm) -> None:
    locale = current_locale()
    every = ("", _("All"))
    form.waiting.choices = _choices(
        ("", _("Everything")),
        *((kind.value, str(queries.WAITING_LABELS[kind])) for kind in queries.Waiting),
    )
    form.status.choices = _choices(
        every,
        *(
            (status.value, str(status.label))
            for status in ApplicationStatus
            if status is not ApplicationStatus.DRAFT
        ),
    )
    form.scheme.choices = _choices(every, *queries.scheme_choices(locale))
    form.activity.choices = _choices(every, *queries.activity_filter_choices(locale))
    form.association.choices = _choices(every, *queries.association_choices())
    form.language.choices = _choices(
        every, *((code, locale_info(code).endonym) for code in supported_locales())
    )
    form.age.choices = _choices(every, *((band, band.replace("-", "–")) for band in AGE_BANDS))
    form.guide.choices = _choices(
        ("", _("Anyone")), ("me", _("Me")), ("nobody", _("Nobody yet")), *queries.guide_choices()
    )


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filters(form: QueueFilterForm) -> queries.QueueFilters:
    """The form's values; an unknown value is ignored rather than refused."""

    def valid(field: Any) -> str | None:
        value = field.data or None
        return value if value in {choice.value for choice in field.choices} else None

    status = valid(form.status)
    waiting = valid(form.waiting) if "waiting" in request.args else queries.Waiting.NEW.value
    return queries.QueueFilters(
        waiting=queries.Waiting(waiting) if waiting and not status else None,
        status=ApplicationStatus(status) if status else None,
        scheme_id=_number(valid(form.scheme)),
        activity_id=_number(valid(form.activity)),
        association_id=_number(valid(form.association)),
        language=valid(form.language),
        age=AGE_BANDS.get(valid(form.age) or ""),
        guide=valid(form.guide),
        overdue=bool(form.overdue.data),
        q=(form.q.data or "").strip()[:100] or None,
        newest_first=form.sort.data == "newest",
    )
