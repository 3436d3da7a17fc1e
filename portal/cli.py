"""The portal's ``flask`` commands (``flask db …`` comes from Flask-Migrate):

- ``flask seed-demo``: the demo data, into an empty database;
- ``flask generate-applications N``: N sent applications on top (to measure at scale);
- ``flask outbox send|work``: send the e-mail and SMS waiting in the outbox (once, or as a worker);
- ``flask money expire``: approved money not paid in time goes back to its pool (daily);
- ``flask enrolments remind``: remind clubs that have not answered for a new member (daily);
- ``flask staff code EMAIL``: a demo account's sign-in code (development only);
- ``flask people rehash-cpr``: the CPR numbers' hashes under a new key (after a key change);
- ``flask reports check|rebuild``: the report's rows against the live tables (after rows were
  changed around the portal, e.g. by hand in SQL);
- ``flask backup create|restore FILE``: the whole database, photos included.
"""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo data into an empty database (does nothing if data is already there)."""
    from portal import demo

    if demo.is_loaded():
        click.echo("The database already has data; demo data not loaded.")
        return
    demo.load_demo_data()
    click.echo(
        f"Demo data loaded: {len(demo.SCHEMES)} schemes, {len(demo.ASSOCIATIONS)} associations, "
        f"{len(demo.ACTIVITIES)} activities, {len(demo.DEMO_USERS)} demo accounts."
    )


outbox_group = AppGroup("outbox", help="Send the e-mail and SMS waiting in the outbox.")


def _send_once() -> None:
    from portal.outbox import sender

    report = sender.send_due()
    click.echo(f"outbox: {report.sent} sent, {report.retrying} to retry, {report.failed} failed")
    for error in report.errors:
        click.echo(f"  {error}", err=True)


@outbox_group.command("send")
def outbox_send() -> None:
    """Send every message that is due, once."""
    _send_once()


@outbox_group.command("work")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
def outbox_work(interval: float) -> None:
    """Keep sending until stopped (run one per deployment, beside the web server)."""
    while True:
        _send_once()
        time.sleep(interval)


@click.command("generate-applications")
@click.argument("count", type=click.IntRange(1, 10_000_000))
@with_appcontext
def generate_applications(count: int) -> None:
    """Add COUNT sent applications on top of the demo data (to measure pages at scale)."""
    from portal import volume
    from portal.extensions import db

    with click.progressbar(length=count, label="Applications") as bar:
        volume.generate(count, progress=bar.update)
    # The planner's statistics at once (PostgreSQL's autovacuum would take a while; without
    # them the queue at 100,000 applications answered 29 requests a second, with them 40).
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    click.echo(f"{count} applications added; the database's statistics are up to date.")


money_group = AppGroup("money", help="The schemes' money.")


def _elsewhere(command: str) -> None:
    click.echo(f"`flask {command}` is running on another server; nothing was done here.")


@money_group.command("expire")
def money_expire() -> None:
    """Return approved money not paid in time to the pools, and tell the families (daily)."""
    from portal.db import utcnow
    from portal.jobs import only_one
    from portal.review.services import expire_unused

    with only_one("money-expire") as mine:
        if not mine:
            return _elsewhere("money expire")
        click.echo(f"{expire_unused(utcnow())} approvals expired.")


enrolments_group = AppGroup("enrolments", help="The clubs' answers for new members.")


@enrolments_group.command("remind")
def enrolments_remind() -> None:
    """Remind the clubs that have not answered for a new member in time (daily)."""
    from portal.db import utcnow
    from portal.enrolments.services import remind_clubs
    from portal.jobs import only_one

    with only_one("enrolments-remind") as mine:
        if not mine:
            return _elsewhere("enrolments remind")
        click.echo(f"{remind_clubs(utcnow())} clubs reminded.")


staff_group = AppGroup("staff", help="Staff accounts.")


@staff_group.command("code")
@click.argument("email")
def staff_code(email: str) -> None:
    """Print a staff member's current sign-in code (development only: for the demo accounts)."""
    import pyotp
    from flask import current_app

    from portal.auth.services import find_user

    if current_app.config["ENV"] != "development":
        raise click.ClickException("Only in development: in production the code is on a phone.")
    user = find_user(email)
    if user is None or user.totp_secret is None:
        raise click.ClickException(f"{email} has no second factor set up.")
    click.echo(pyotp.TOTP(user.totp_secret).now())


people_group = AppGroup("people", help="People across applications.")


@people_group.command("rehash-cpr")
def people_rehash_cpr() -> None:
    """Hash every kept CPR number under PORTAL_CPR_KEY again, finding each with
    PORTAL_CPR_OLD_KEY among the 10,000 that share its birth date (see portal/people/cpr.py)."""
    from flask import current_app

    from portal.people.cpr import rehash_all

    old = current_app.config["CPR_OLD_KEY"]
    if not old:
        raise click.ClickException("Set PORTAL_CPR_OLD_KEY to the key the hashes were made with.")
    moved, lost = rehash_all(old)
    click.echo(f"{moved} CPR numbers hashed under the new key; {lost} not found under the old.")
    if lost:
        raise click.ClickException(
            "Some hashes were not made with PORTAL_CPR_OLD_KEY: kept as they are."
        )


reports_group = AppGroup("reports", help="The report's own rows (one per sent application).")


@reports_group.command("check")
def reports_check() -> None:
    """List the applications whose report row differs from the live tables (exit 1 if any)."""
    from portal.reports import facts

    differing = facts.differences()
    if differing:
        shown = ", ".join(str(i) for i in differing[:20]) + (" …" if len(differing) > 20 else "")
        raise click.ClickException(
            f"{len(differing)} report rows differ from the tables (application ids {shown}). "
            "Run `flask reports rebuild`."
        )
    click.echo("Every report row matches the tables.")


@reports_group.command("rebuild")
def reports_rebuild() -> None:
    """Write every report row again from the live tables (while the portal runs: changes
    saved meanwhile wait for it, a second or two at 100,000 applications)."""
    from portal.extensions import db
    from portal.jobs import only_one
    from portal.reports import facts

    with only_one("reports-rebuild") as mine:
        if not mine:
            return _elsewhere("reports rebuild")
        count = facts.rebuild()
        db.session.commit()
        click.echo(f"{count} report rows written.")


backup_group = AppGroup("backup", help="Backups of the whole database (photos included).")


@backup_group.command("create")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_create(target: Path) -> None:
    """Write a backup of the database to TARGET (pg_dump, or SQLite's online backup)."""
    from portal import backup

    try:
        backup.create(target)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target} ({target.stat().st_size:,} bytes).")


@backup_group.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
def backup_restore(source: Path) -> None:
    """Restore the backup SOURCE into this database, which must be empty."""
    from portal import backup

    try:
        backup.restore(source)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {source}. Run `flask db upgrade` if the backup is from an older version.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(backup_group)
    app.cli.add_command(people_group)
    app.cli.add_command(reports_group)
    app.cli.add_command(outbox_group)
    app.cli.add_command(staff_group)
    app.cli.add_command(money_group)
    app.cli.add_command(enrolments_group)
    app.cli.add_command(generate_applications)
