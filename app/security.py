"""Security headers on every response, the session cookie's Secure flag, and the API's rate limits.

The Content-Security-Policy allows no inline script or style at all: every template keeps its CSS
and JS in ``app/static``, and the charts carry their looks as SVG attributes (``app.charts``).
"""

from __future__ import annotations

import binascii
import hmac
import time
import zlib
from collections.abc import Callable, Iterable
from typing import Any

import orjson
from flask import Flask, current_app, has_request_context, request
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, int_to_bytes, want_bytes

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


_HEADERS = tuple((name.lower(), name, value) for name, value in HEADERS.items())


class SecurityHeaders:
    """WSGI middleware: the headers above on every response that does not set its own.

    A wrapper around ``start_response`` rather than a Flask ``after_request`` hook: it covers every
    response the app sends (error pages and static files too) at the cost of one pass over a list of
    header tuples, with no ``Response`` object work per request. HSTS only on HTTPS requests, as the
    WSGI environment says after any ``ProxyFix`` (app/wsgi.py), which wraps this layer.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        https = environ.get("wsgi.url_scheme") == "https"

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            headers.extend((name, value) for lower, name, value in _HEADERS if lower not in present)
            if https and "strict-transport-security" not in present:
                headers.append(("Strict-Transport-Security", HSTS))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def _b64decode(data: bytes) -> bytes:
    """What itsdangerous's ``base64_decode`` gives for ``data`` (URL-safe alphabet, padding left off),
    in one call; it raises ``binascii.Error`` where that raises ``BadData``."""
    return binascii.a2b_base64(data.translate(_FROM_URLSAFE) + b"=" * (-len(data) % 4))


class SessionSerializer(URLSafeTimedSerializer):
    """itsdangerous's timed serializer as Flask sets it up for session cookies, with a quicker check
    of a good cookie: the signing keys are derived once, not twice per request.

    ``loads`` returns a payload only when itsdangerous would: the HMAC of the cookie's value and
    timestamp matches under one of the keys (newest first) and the timestamp is no older than
    ``max_age`` (nor in the future). Anything else (a bad or expired signature, an unreadable
    payload, a salt of its own) goes to itsdangerous's own ``loads``, which raises its exact error.
    ``dumps`` writes itsdangerous's format too, so Flask's own serializer reads these cookies.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signer = self.make_signer(self.salt)
        self._keys = [signer.derive_key(key) for key in reversed(self.secret_keys)]  # newest first
        self._digest = signer.digest_method
        self._tagged_json = isinstance(self.serializer, TaggedJSONSerializer)

    def loads(self, s: str | bytes, max_age: int | None = None, return_timestamp: bool = False,
              salt: str | bytes | None = None) -> Any:
        if salt is None and not return_timestamp:
            try:
                signed, _, signature = want_bytes(s).rpartition(b".")
                expected = _b64decode(signature)
                for key in self._keys:
                    if hmac.compare_digest(hmac.digest(key, signed, self._digest), expected):
                        payload, _, stamp = signed.rpartition(b".")
                        age = int(time.time()) - int.from_bytes(_b64decode(stamp), "big")
                        if max_age is None or 0 <= age <= max_age:
                            return self._load_payload(payload)
                        break
            except Exception:  # noqa: S110 - itsdangerous below raises the precise error
                pass
        return super().loads(s, max_age=max_age, return_timestamp=return_timestamp, salt=salt)

    def _load_payload(self, payload: bytes) -> Any:
        """The session in a signed payload, as ``load_payload`` reads it.

        Flask's tagged JSON reads plain JSON as JSON does; only an object whose one key is a tag
        (a space and a letter or two: tuples, bytes, dates, ...) means more, so a payload without
        ``{" `` in it is read by the app's JSON reader (orjson) at once.
        """
        if not self._tagged_json or payload.startswith(b"."):  # another serializer; compressed
            return self.load_payload(payload)
        data = _b64decode(payload)
        if b'{" ' in data:
            return self.serializer.loads(data.decode())
        return orjson.loads(data)

    def dumps(self, obj: Any, salt: str | bytes | None = None) -> str:
        """What itsdangerous writes (payload, timestamp, signature), signed with the derived key kept.

        A session is a few short values, not worth the attempt to compress them that itsdangerous
        makes every time; a long one (over 512 bytes) is compressed when that is shorter, as there.
        """
        if salt is not None or not self.is_text_serializer:
            return super().dumps(obj, salt)
        data = want_bytes(self.serializer.dumps(obj, **self.serializer_kwargs))
        payload = base64_encode(data)
        if len(data) > 512 and len(compressed := zlib.compress(data)) < len(data) - 1:
            payload = b"." + base64_encode(compressed)
        signed = payload + b"." + base64_encode(int_to_bytes(int(time.time())))
        signature = hmac.digest(self._keys[0], signed, self._digest)  # the newest key, as itsdangerous signs
        return (signed + b"." + base64_encode(signature)).decode()


def cookie_value(header: str, name: str) -> str | None:
    """The first value of cookie ``name`` in a Cookie ``header`` as werkzeug's ``parse_cookie`` reads
    it ("" when there is none), or None when the header has a quoted value (werkzeug unescapes those).

    What werkzeug does for a header without quotes, without building a dict of every cookie: each part
    between semicolons is ``key`` or ``key=value``, spaces and tabs around the key, the "=" and the
    value ignored; a part with a space or tab inside its key or value is skipped.
    """
    if '"' in header:
        return None
    for part in header.split(";"):
        key, _, value = part.partition("=")
        if key.strip(" \t") != name:
            continue
        key, value = key.strip(" \t"), value.strip(" \t")
        if " " in value or "\t" in value:
            continue
        return value
    return ""


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, whose cookie is Secure whenever the request came over HTTPS.

    ``SESSION_COOKIE_SECURE=True`` forces the flag; otherwise it follows the request, so the same
    app works on plain http://127.0.0.1 in development and gets Secure cookies behind TLS: directly, or
    behind a reverse proxy whose ``X-Forwarded-Proto`` is trusted (``FLASK_PROXY_FIX_X_PROTO=1``, app/wsgi.py).
    """

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer (a ``SessionSerializer``), built once per secret key instead of twice per
        request: the same keys, salt, fallbacks and signer, so the cookies are the same as Flask's."""
        if not app.secret_key:
            return None
        fallbacks = tuple(app.config.get("SECRET_KEY_FALLBACKS") or ())
        key = (app.secret_key, fallbacks)
        serializer = self._serializers.get(key)
        if serializer is None:  # Flask's keys (itsdangerous wants the current one last), salt and signer
            serializer = SessionSerializer([*fallbacks, app.secret_key], salt=self.salt, serializer=self.serializer,
                                           signer_kwargs={"key_derivation": self.key_derivation,
                                                          "digest_method": self.digest_method})
            self._serializers = {key: serializer}  # one app, one secret: only the current one is kept
        return serializer

    def open_session(self, app: Flask, request: Any) -> Any:
        """Flask's ``open_session``, finding the cookie with ``cookie_value`` rather than parsing the
        whole Cookie header into ``request.cookies``; no Cookie header at all: an empty session."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        header = request.environ.get("HTTP_COOKIE")
        value = cookie_value(header, self.get_cookie_name(app)) if header else ""
        if value is None:  # quoted: werkzeug's parser takes the escapes out
            value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data = serializer.loads(value, max_age=int(app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return self.session_class()
        return self.session_class(data)

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        """Flask's ``save_session``, short when there is no cookie to write: a session that was not
        changed, and is not a permanent one refreshed on each request, only adds ``Vary: Cookie``
        if it was read (as Flask does), without Flask working out the cookie's attributes first."""
        # dict.get: session.get and session.permanent would mark the session read
        refresh = dict.get(session, "_permanent") and app.config["SESSION_REFRESH_EACH_REQUEST"]
        if not session.modified and not refresh:
            if session.accessed:
                if "Vary" in response.headers:
                    response.vary.add("Cookie")
                else:
                    response.headers["Vary"] = "Cookie"
            return
        super().save_session(app, session, response)


def api_limit(method: str):
    """The API's rate limit for ``method`` ("POST" or "GET"), read from the config at request time."""
    return lambda: current_app.config[f"API_RATELIMIT_{method}"]


def init_app(app: Flask) -> None:
    """Security headers on every response; the session cookie Secure on HTTPS.

    Behind a reverse proxy, app/wsgi.py must trust its X-Forwarded-For and -Proto
    (``FLASK_PROXY_FIX_X_FOR=1 FLASK_PROXY_FIX_X_PROTO=1``): otherwise every client shares the
    proxy's address, and so one rate-limit counter, and no request counts as HTTPS.
    """
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
    app.session_interface = SessionInterface()
    _csrf_check_only_unsafe_methods(app)


EXEMPT_KEY = "regiekompas.csrf_exempt_blueprints"


def exempt_from_csrf(app: Flask, blueprint: Any) -> None:
    """Exempt ``blueprint`` (the JSON API: no cookies, no forms) from CSRF checks, in Flask-WTF and
    in the hook below, which then skips Flask-WTF's for it."""
    from .extensions import csrf

    csrf.exempt(blueprint)
    app.extensions.setdefault(EXEMPT_KEY, set()).add(blueprint.name)


def _csrf_check_only_unsafe_methods(app: Flask) -> None:
    """Run Flask-WTF's CSRF hook only where it checks something: POST, PUT, PATCH and DELETE
    requests outside the exempted blueprints.

    Its ``before_request`` hook works out whether the view is exempt before it looks at the method,
    on every GET too, and does so for every API call: a few per cent of such a request, for nothing.
    The hook itself is unchanged and still decides everything else.
    """
    hooks = app.before_request_funcs[None]
    exempt = app.extensions.setdefault(EXEMPT_KEY, set())
    for i, hook in enumerate(hooks):
        if getattr(hook, "__name__", "") == "csrf_protect":
            def csrf_protect(check=hook):
                if request.method in current_app.config["WTF_CSRF_METHODS"] and request.blueprint not in exempt:
                    return check()
                return None
            hooks[i] = csrf_protect
            return
    raise RuntimeError("Flask-WTF's CSRFProtect must be set up before app.security")
