"""Text that a database cannot store is refused before any view sees it.

PostgreSQL's text cannot hold a NUL character (U+0000), and no database stores a lone surrogate
(U+D800 to U+DFFF: it has no UTF-8 encoding). Either one, sent on to a query, ends in a 500, or on
SQLite in a stored NUL. So before every request the URL's path parts, the query string, the form
fields (names and values) and a JSON body (keys and values, at any depth) are checked; one such
character anywhere answers 400 and nothing is stored: the error page in the user's language, or
under ``/api/`` the JSON error naming every field at fault.

What really arrives: werkzeug decodes ``%00`` to a NUL in the path, the query and a form. The
UTF-8 bytes of a surrogate (``%ED%A0%80``) arrive as U+FFFD in the path and in a multipart form, and
stay percent-encoded text in the query and a URL-encoded form; so a surrogate only comes in through
JSON (``"\\ud800"``, or its raw bytes, which Python's JSON reader lets through). The check looks for
both everywhere anyway: it does not depend on how a server or werkzeug version decodes.
"""

from __future__ import annotations

import json
import re
from collections import deque

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from ..errors import ApiError, api_error_response, is_api_request

#: A NUL or a lone surrogate: what no database here can store.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
API_MESSAGE = "The request holds text that cannot be stored (a NUL character or a lone surrogate)."
IN_VALUE = "contains a character that cannot be stored (NUL or a lone surrogate)"
IN_NAME = "the name contains a character that cannot be stored (NUL or a lone surrogate)"


def storable(text: str) -> bool:
    """Whether a database can store ``text``: no NUL character, no lone surrogate."""
    return UNSTORABLE.search(text) is None


def unstorable_message() -> str:
    """What a person is told, in their language."""
    return _("Deze invoer bevat een teken dat we niet kunnen opslaan (zoals een nul-teken). "
             "Haal het weg en probeer het opnieuw.")


def shown(name: str) -> str:
    """``name`` with each unstorable character written as an escape (``\\u0000``), fit for any output."""
    return UNSTORABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", name)


class UnstorableText(BadRequest):
    """400: the request holds text that cannot be stored; ``details`` names each field (API shape)."""

    def __init__(self, details: list[dict[str, str]]):
        super().__init__(API_MESSAGE)
        self.details = details


def _pairs_problems(pairs) -> list[dict[str, str]]:
    problems = []
    for name, value in pairs:
        if not storable(name):
            problems.append({"field": shown(name), "problem": IN_NAME})
        elif isinstance(value, str) and not storable(value):
            problems.append({"field": name, "problem": IN_VALUE})
    return problems


def _json_problems(body: object) -> list[dict[str, str]]:
    """The unstorable keys and strings of a parsed JSON ``body``, as dotted paths (``profile.sector``,
    ``items[2]``); walked without recursion, so a deeply nested body cannot exhaust the stack."""
    problems = []
    queue: deque[tuple[str, object]] = deque([("", body)])
    while queue:
        path, value = queue.popleft()
        if isinstance(value, str):
            if not storable(value):
                problems.append({"field": path, "problem": IN_VALUE})
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{shown(key)}" if path else shown(key)
                if not storable(key):
                    problems.append({"field": child, "problem": IN_NAME})
                queue.append((child, item))
        elif isinstance(value, list):
            queue.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return problems


def _json_body() -> object:
    """The JSON body, or None when there is none or it is not JSON (the view then says what is wrong)."""
    if not request.is_json:
        return None
    try:
        return json.loads(request.get_data())
    except (ValueError, RecursionError):  # malformed, not UTF-8, or nested beyond the parser's depth
        return None


def problems() -> list[dict[str, str]]:
    """Every path part, query parameter, form field and JSON key or value of this request that holds
    text a database cannot store (empty: the request may go on)."""
    found = _pairs_problems((request.view_args or {}).items())
    found += _pairs_problems(request.args.items(multi=True))
    found += _pairs_problems(request.form.items(multi=True))
    body = _json_body()
    if body is not None:
        found += _json_problems(body)
    return found


def refuse_unstorable() -> None:
    """``before_request``: 400 when any part of the request holds text a database cannot store."""
    found = problems()
    if found:
        raise UnstorableText(found)


def unstorable_response(error: UnstorableText):
    """The error page in the user's language; under ``/api/`` the JSON error naming the fields."""
    if is_api_request():
        return api_error_response(ApiError(400, API_MESSAGE, error.details))
    return render_template("error.html", code=400, unstorable=unstorable_message()), 400


def init_app(app: Flask) -> None:
    """Check every request (after the CSRF check and the rate limits, before any view or login)."""
    app.before_request(refuse_unstorable)
    app.register_error_handler(UnstorableText, unstorable_response)
