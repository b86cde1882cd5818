"""The WSGI entry point for gunicorn: ``gunicorn app.wsgi:app`` (settings in gunicorn.conf.py).

Behind a reverse proxy, say how many proxies set each ``X-Forwarded-*`` header, e.g.
``FLASK_PROXY_FIX_X_FOR=1 FLASK_PROXY_FIX_X_PROTO=1``: then the client address (for rate limits)
and the scheme (for secure cookies and external links) come from the proxy's headers. Without
these settings the headers are ignored, as they must be when no proxy strips them.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import create_app
from .request_log import add_redaction

PROXY_FIX_HEADERS = ("for", "proto", "host", "port", "prefix")


def behind_proxy(app: Flask) -> Flask:
    """Wrap ``app`` in ProxyFix when any ``PROXY_FIX_X_*`` setting is above zero."""
    counts = {f"x_{name}": int(app.config.get(f"PROXY_FIX_X_{name.upper()}", 0)) for name in PROXY_FIX_HEADERS}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)  # type: ignore[method-assign]
    return app


def compile_templates(app: Flask) -> int:
    """Compile every template now; the number compiled.

    With gunicorn's ``preload_app`` this runs once in the master, and every worker forked from it
    starts with the compiled templates (shared memory). Otherwise each worker, and each replacement
    after ``max_requests``, compiles them again on its first requests: most of a fresh worker's
    first page (tens of milliseconds per template).
    """
    names = [name for name in app.jinja_env.list_templates() if name.endswith(".html")]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


app = behind_proxy(create_app())
compile_templates(app)
# gunicorn's error log names the request's URI when a request fails outside Flask ("Error handling request").
add_redaction("gunicorn.error")
