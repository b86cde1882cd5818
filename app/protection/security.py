"""Security headers on every response, the session cookie's Secure flag, and the API's rate limits.

The Content-Security-Policy allows no inline script or style at all: every template keeps its CSS
and JS in ``app/static``, and the charts carry their looks as SVG attributes (``app.rendering.charts``).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

CSP = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
])

#: Set on every response unless the view set its own (report pages send ``Referrer-Policy: no-referrer``).
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


def set_security_headers(response: Response) -> Response:
    """The headers above on every response that does not set its own; HSTS only over HTTPS
    (as the request says after any ``ProxyFix``, app/wsgi.py)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, whose cookie is Secure whenever the request came over HTTPS.

    ``SESSION_COOKIE_SECURE=True`` forces the flag; otherwise it follows the request, so the same
    app works on plain http://127.0.0.1 in development and gets Secure cookies behind TLS: directly, or
    behind a reverse proxy whose ``X-Forwarded-Proto`` is trusted (``FLASK_PROXY_FIX_X_PROTO=1``, app/wsgi.py).
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def api_limit(method: str) -> Callable[[], str]:
    """The API's rate limit for ``method`` ("POST" or "GET"), read from the config at request time."""
    return lambda: str(current_app.config[f"API_RATELIMIT_{method}"])


def init_app(app: Flask) -> None:
    """Security headers on every response; the session cookie Secure on HTTPS.

    Behind a reverse proxy, app/wsgi.py must trust its X-Forwarded-For and -Proto
    (``FLASK_PROXY_FIX_X_FOR=1 FLASK_PROXY_FIX_X_PROTO=1``): otherwise every client shares the
    proxy's address, and so one rate-limit counter, and no request counts as HTTPS.
    """
    app.after_request(set_security_headers)
    app.session_interface = SessionInterface()
