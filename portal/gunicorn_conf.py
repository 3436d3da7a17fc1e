"""gunicorn's settings for the portal: ``gunicorn -c python:portal.gunicorn_conf`` (``make serve``).

Every value comes from the environment, so one file serves every machine:

- ``PORTAL_BIND`` (``127.0.0.1:8000``): where to listen; behind nginx on the same machine,
  loopback (set ``PORTAL_PROXY_HOPS=1`` so the portal reads the client's address from nginx).
- ``PORTAL_WORKERS`` (2): processes. Each holds its own database connections; with more than
  one, rate limits must be counted in Redis (``PORTAL_RATELIMIT_STORAGE_URI``).
- ``PORTAL_THREADS`` (1): threads per process (more than 1 uses the ``gthread`` worker).
- ``PORTAL_TIMEOUT`` (30): seconds before a stuck worker is restarted.

gunicorn's own access log is off: the portal writes one line per request itself, naming the
route and never the path (paths hold the families' tokens), see ``portal/logs.py``. A graceful
reload (new code, same socket, requests in flight finish): ``kill -HUP <master pid>``.
"""

import gc
import os
from typing import Any

wsgi_app = "portal.wsgi:app"
bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WORKERS", "2"))
threads = int(os.environ.get("PORTAL_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("PORTAL_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (a slow leak never grows for long).
max_requests = 5000
max_requests_jitter = 500
accesslog = None
errorlog = "-"
loglevel = os.environ.get("PORTAL_LOG_LEVEL", "info").lower()
# The proxy's addresses are read by the portal (ProxyFix, PORTAL_PROXY_HOPS), not here.
forwarded_allow_ips = "127.0.0.1"


def post_worker_init(worker: Any) -> None:
    """The worker has loaded the portal (its modules, models and catalogues live as long as
    the worker): leave them out of every garbage collection from now on, so a collection
    during a request only looks at what requests made."""
    gc.freeze()
