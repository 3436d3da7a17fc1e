"""Fritidsportalen: a municipality's leisure-support portal."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import assets, cli, errors, i18n, logs, pagecache, security
from portal import htmx as htmx_support
from portal.config import load_config
from portal.db import configure_sqlite
from portal.extensions import compress, csrf, db, limiter, migrate
from portal.reports import facts


class Portal(Flask):
    def log_exception(self, exc_info: Any) -> None:
        """An unhandled exception, logged with the request's id and route (Flask's own line
        names the path, which holds the families' tokens)."""
        rule = request.url_rule
        route = rule.rule if rule is not None else "(no route)"
        self.logger.error(
            "unhandled exception on %s %s",
            request.method,
            route,
            exc_info=exc_info,
            extra={"request_id": logs.request_id(), "route": route},
        )


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the portal. ``config`` overrides the defaults and the ``PORTAL_*`` environment."""
    # Templates, static files, catalogues and migrations live in the package (they ship in the
    # wheel). The instance folder (the embedded SQLite database, job locks) is Flask's default:
    # ``instance/`` beside the package in a checkout, ``<venv>/var/portal-instance`` when
    # installed; PORTAL_INSTANCE_PATH chooses another.
    app = Portal(__name__, instance_path=os.environ.get("PORTAL_INSTANCE_PATH") or None)
    load_config(app, config)
    os.makedirs(app.instance_path, exist_ok=True)
    if hops := app.config["PROXY_HOPS"]:
        # Behind nginx: the client's address, scheme and host as the proxy saw them.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    logs.init_app(app)  # first: every request has an id before anything can refuse it

    init_database(app)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    htmx_support.init_app(app)
    i18n.init_app(app)
    assets.init_app(app)
    pagecache.init_app(app)
    facts.init_app()
    security.init_app(app)
    errors.init_app(app)
    register_blueprints(app)
    cli.init_app(app)
    return app


def init_database(app: Flask) -> None:
    import portal.models  # noqa: F401  (registers every table on the metadata)

    # Statements' values (names, phone numbers) are never put in error messages and logs.
    options = {"pool_pre_ping": True, "hide_parameters": True}
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "migrations"))
    with app.app_context():
        configure_sqlite(db.engine)


def register_blueprints(app: Flask) -> None:
    from portal.admin.views import bp as admin_bp
    from portal.applications.views import bp as applications_bp
    from portal.assisted.views import bp as assisted_bp
    from portal.associations.staff_views import bp as associations_staff_bp
    from portal.associations.views import bp as associations_bp
    from portal.auth.contact_views import bp as auth_contacts_bp
    from portal.auth.views import bp as auth_bp
    from portal.catalogue.views import bp as catalogue_bp
    from portal.main.views import bp as main_bp
    from portal.outbox.webhooks import bp as sms_status_bp
    from portal.reports import bp as reports_bp
    from portal.review.views import bp as review_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(sms_status_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(applications_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(auth_contacts_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(assisted_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(associations_bp)
    app.register_blueprint(associations_staff_bp)
    if app.config["DEV_OUTBOX"]:
        from portal.outbox.views import bp as dev_outbox_bp

        app.register_blueprint(dev_outbox_bp)
