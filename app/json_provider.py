"""Flask's JSON (API bodies, ``jsonify``, the session cookie) through orjson.

The API's result object is a few kilobytes of nested objects: the standard library's encoder spent
more time writing it than the scoring took to compute it. orjson writes and reads the same JSON
several times faster. What Flask's own provider does is kept: dates go through Flask's ``default``
(HTTP dates), as do dataclasses; a debug app indents. Keys keep the order the app builds them in.

Reading is stricter than the standard library, as JSON itself is: ``NaN``, ``Infinity`` and numbers
beyond a double are not JSON, and such a body is answered like any malformed one. (An integer beyond
64 bits is read as a float, and so refused as "not a whole number" by the answer check.)
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class OrjsonProvider(DefaultJSONProvider):
    #: Keys in the order the app builds its objects (the order DESIGN.md documents), not sorted.
    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, tuple):  # named tuples: a list, as the standard library writes them
            return list(o)
        return DefaultJSONProvider.default(o)

    def _bytes(self, obj: Any, *, sort_keys: bool | None = None, indent: int | None = None,
               default: Any = None) -> bytes:
        option = _OPTIONS
        if self.sort_keys if sort_keys is None else sort_keys:
            option |= orjson.OPT_SORT_KEYS
        if indent:
            option |= orjson.OPT_INDENT_2
        return orjson.dumps(obj, default=default or self.default, option=option)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        # separators and ensure_ascii are the standard library's; orjson writes compact UTF-8.
        return self._bytes(obj, sort_keys=kwargs.get("sort_keys"), indent=kwargs.get("indent"),
                           default=kwargs.get("default")).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        indent = (self.compact is None and self._app.debug) or self.compact is False
        return self._app.response_class(self._bytes(obj, indent=2 if indent else None) + b"\n",
                                       mimetype=self.mimetype)


def read_json(text: str | bytes) -> Any:
    """The database's JSON columns read back (the engine's ``json_deserializer``): orjson, which
    reads the same values several times faster than the standard library; text only the standard
    library reads (``NaN``, which its writer puts out for a float that is not a number) still reads."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
