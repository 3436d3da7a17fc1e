"""``flask`` commands: ``flask seed-demo`` (``flask db …`` comes from Flask-Migrate)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext


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


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
