"""Flask extensions, created unbound here and attached to the app in ``create_app``."""

from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from portal.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
compress = Compress()
htmx = Htmx()
#: Limits on the few forms a stranger could hammer (resume codes, new links by SMS/e-mail).
#: Storage: ``PORTAL_RATELIMIT_STORAGE_URI`` (``redis://…`` in production; memory by default).
limiter = Limiter(get_remote_address)


def rate_limited(limit: Any, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``limiter.limit`` on a view, marked, so that Flask-Limiter looks only at the views that
    have limits (working out that a view has none is a sixth of a small page's time)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        limited = limiter.limit(limit, **options)(view)
        limited.is_rate_limited = True  # type: ignore[attr-defined]
        return limited

    return decorate


@limiter.request_filter
def _has_no_limits() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return view is not None and not getattr(view, "is_rate_limited", False)
