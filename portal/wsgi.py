"""The WSGI entry for gunicorn and any other WSGI server: ``portal.wsgi:app``, the portal
configured from the ``PORTAL_*`` environment (see ``portal/gunicorn_conf.py``)."""

from portal import create_app

app = create_app()
