"""The app's request class: the request log's (the matched rule kept in the environment), plus a
body of declared length read in one call."""

from __future__ import annotations

import io

from werkzeug.exceptions import ClientDisconnected
from werkzeug.wsgi import get_content_length

from .request_log import RoutedRequest


class AppRequest(RoutedRequest):
    def get_data(self, cache: bool = True, as_text: bool = False,  # type: ignore[override]
                 parse_form_data: bool = False) -> bytes | str:
        """The body, as werkzeug's ``get_data`` gives it; a body with a ``Content-Length`` within
        ``MAX_CONTENT_LENGTH`` is read from the WSGI input with one ``read(length)``.

        werkzeug reads through its guarded stream in 64 KiB steps, zeroing a buffer and copying each
        step twice. For the API's bodies of a kilobyte or two that took longer than parsing their
        JSON. Reading exactly the declared length is what WSGI asks of an application and is just as
        safe: it cannot read past the body. Everything else (chunked or empty bodies, bodies over the
        limit, form data, a stream already in use) goes werkzeug's way, its 413 included.
        """
        state = self.__dict__
        if parse_form_data or self.shallow or "stream" in state or state.get("_cached_data") is not None:
            return super().get_data(cache, as_text, parse_form_data)  # type: ignore[call-overload]
        length = get_content_length(self.environ)
        limit = self.max_content_length
        if not length or (limit is not None and length > limit):
            return super().get_data(cache, as_text, parse_form_data)  # type: ignore[call-overload]
        data = self.environ["wsgi.input"].read(length)
        if len(data) != length:  # the client went away before sending all it announced
            raise ClientDisconnected()
        state["stream"] = io.BytesIO()  # consumed, as werkzeug's stream is after reading it all
        if cache:
            self._cached_data = data
        return data.decode(errors="replace") if as_text else data
