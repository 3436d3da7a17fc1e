"""Flask extensions, created unbound here and attached to the app in ``create_app``."""

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
