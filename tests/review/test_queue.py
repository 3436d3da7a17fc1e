"""The queue's filters, search and pages: a GET form that works without JavaScript, swapped in
place with htmx, keyset pages, and a fixed number of queries however long the page."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import event

from portal.applications.models import Application
from portal.extensions import db
from portal.workflow import ApplicationStatus
from tests.auth.signing_in import Staff
from tests.factories import make_activity, make_sent_application


def shown(staff: Staff, query: str) -> list[str]:
    import re

    page = staff.get(f"/da/staff/?{query}").get_data(as_text=True)
    return re.findall(r">(FP-TEST-\d{3})</a>", page)


def test_search_and_filters_narrow_the_list(app: Flask, guide: Staff) -> None:
    with app.app_context():
        make_sent_application(1, first="Amira", locale="ar", born=date(2015, 5, 3))
        make_sent_application(2, first="Sara", locale="da", born=date(2010, 1, 1))
        make_sent_application(3, first="Yusuf", locale="en", days_ago=30)
        make_sent_application(4, first="Ali", status=ApplicationStatus.APPROVED)
    assert shown(guide, "") == ["FP-TEST-003", "FP-TEST-002", "FP-TEST-001"]  # oldest first
    assert shown(guide, "q=amira") == ["FP-TEST-001"]
    assert shown(guide, "q=fp-test-002") == ["FP-TEST-002"]
    assert shown(guide, "q=20100003") == ["FP-TEST-003"]  # a phone number, without +45
    assert shown(guide, "q=f2@x.dk") == ["FP-TEST-002"]
    # A few digits: of a phone number, of an e-mail address, of a reference (the digits-only
    # search asks the parents' table on its own, bench/RESULTS.md).
    assert shown(guide, "q=100 002") == ["FP-TEST-002"]  # of +45 20 10 00 02
    assert shown(guide, "q=test-00") == ["FP-TEST-003", "FP-TEST-002", "FP-TEST-001"]
    assert shown(guide, "q=002") == ["FP-TEST-002"]  # three digits: the reference only
    assert shown(guide, "language=ar") == ["FP-TEST-001"]
    assert shown(guide, "age=14-17") == ["FP-TEST-002"]
    assert shown(guide, "overdue=y") == ["FP-TEST-003"]  # sent 30 days ago, still waiting
    assert shown(guide, "status=approved") == ["FP-TEST-004"]
    assert shown(guide, "sort=newest") == ["FP-TEST-001", "FP-TEST-002", "FP-TEST-003"]
    # Unknown values are ignored, not a 500 or an empty list.
    assert shown(guide, "language=xx&age=old&status=nonsense&after=garbage") == [
        "FP-TEST-003",
        "FP-TEST-002",
        "FP-TEST-001",
    ]


def test_pages_follow_each_other_without_gaps_or_repeats(app: Flask, guide: Staff) -> None:
    with app.app_context():
        references = [make_sent_application(n) for n in range(1, 121)]
    seen: list[str] = []
    url = "/da/staff/?waiting=new"
    import re

    while url:
        page = guide.get(url).get_data(as_text=True)
        seen += re.findall(r">(FP-TEST-\d{3})</a>", page)
        found = re.search(r'<a href="([^"]+after=[^"]+)" class="button button--secondary">', page)
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert sorted(seen) == sorted(references) and len(seen) == len(set(seen)) == 120


def test_the_list_costs_the_same_queries_for_5_rows_or_50(app: Flask, guide: Staff) -> None:
    """No query per row: the participant, applicant and activity come with the list."""

    def queries_for_queue() -> int:
        count = 0

        def counter(*_args: object) -> None:
            nonlocal count
            count += 1

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", counter)
            try:
                assert guide.get("/da/staff/").status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", counter)
        return count

    with app.app_context():  # each row its own activity, with its club and names
        for n in range(1, 6):
            make_sent_application(n, activity_id=make_activity().id)
    few = queries_for_queue()
    with app.app_context():
        for n in range(6, 51):
            make_sent_application(n, activity_id=make_activity().id)
    many = queries_for_queue()
    assert many == few


def test_htmx_gets_only_the_list(app: Flask, guide: Staff, htmx_headers: dict[str, str]) -> None:
    with app.app_context():
        make_sent_application(1, first="Amira")
    response = guide.client.get("/da/staff/?q=amira", headers=htmx_headers)
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="queue-results"')
    assert "FP-TEST-001" in html and 'role="search"' not in html  # not the filters again
    assert "HX-Request" in response.headers["Vary"]


def test_generate_applications_adds_rows_the_queue_can_show(
    app: Flask, runner, guide: Staff
) -> None:  # type: ignore[no-untyped-def]
    """`flask generate-applications N` (for bench/queue_latency.py) on top of the demo data."""
    from sqlalchemy import func, select, text

    from portal.demo import DEMO_APPLICATIONS, DEMO_HISTORY, DEMO_SAME_CHILD, load_demo_data

    with app.app_context():
        load_demo_data()
    result = runner.invoke(args=["generate-applications", "300"])
    assert result.exit_code == 0, result.output
    assert "300 applications added; the database's statistics are up to date." in result.output
    with app.app_context():  # ANALYZE ran: the planner knows how many rows there are
        if db.engine.dialect.name == "sqlite":
            analysed = db.session.execute(
                text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'application'")
            ).scalar_one()
        else:
            analysed = db.session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_user_tables "
                    "WHERE relname = 'application' AND last_analyze IS NOT NULL"
                )
            ).scalar_one()
    assert analysed > 0
    with app.app_context():
        total, references = db.session.execute(
            select(func.count(), func.count(func.distinct(Application.reference)))
        ).one()
    assert total == references == 300 + len(DEMO_APPLICATIONS) + len(DEMO_SAME_CHILD) + DEMO_HISTORY
    assert guide.get("/da/staff/?waiting=&sort=newest").status_code == 200


def test_url_for_s_own_words_in_the_queue_s_query_are_just_a_query(
    app: Flask, guide: Staff
) -> None:
    """Found by the fuzz (issue 13): the queue's export links and next page handed the query to
    url_for, so ``?_method=`` answered 500 — the language switcher's bug, in two more places."""
    with app.app_context():
        for n in range(1, 53):
            make_sent_application(n)
    response = guide.get("/da/staff/?q=&_method=&_anchor=x")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/da/staff/exports/queue.csv?q=&amp;_method=&amp;_anchor=x" in html
    assert "_anchor=x&amp;after=" in html  # the next page keeps the query too


def test_on_a_phone_the_list_comes_first_with_the_filters_folded(
    app: Flask, sent: str, guide: Staff
) -> None:
    """Issue 18, item 7: nine menus no longer push the list ≈ 1,700 px down on a phone: they
    are folded, open only when one is in use (and say how many); a reference never breaks."""
    page = guide.get("/da/staff/").get_data(as_text=True)
    assert '<details class="queue-filters__more">' in page and "<summary>Filtre</summary>" in page
    filtered = guide.get("/da/staff/?status=submitted&language=ar").get_data(as_text=True)
    assert '<details class="queue-filters__more" open>' in filtered
    assert "Filtre (2 i brug)" in filtered
    assert f'class="queue__reference"><a href="/da/staff/cases/{sent}">' in filtered
