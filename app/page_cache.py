"""Rendered report pages, remembered per worker process.

A report page is expensive to render (a full template with two charts, tables, forms) and changes
rarely: the scored result of a response never changes, so a page depends only on its language, the
chart chosen, the date (the next-steps form's earliest date), the saved next steps and the names of
the organisations it is shared with. The key holds all of those, so a page is never served stale
and nothing needs invalidating; several workers or hosts each keep their own small cache.

The one per-visitor part, the CSRF token in the forms, is stored as a placeholder and filled in
for each request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask_wtf.csrf import generate_csrf

CSRF_PLACEHOLDER = "\x1fcsrf-token\x1f"  # a control character never appears in rendered HTML


class PageCache:
    """A thread-safe LRU of rendered pages with a bounded number of entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def page(self, key: Hashable, render: Callable[[], str]) -> str:
        """The page for ``key`` with this request's CSRF token; ``render()`` draws it when missing."""
        with self._lock:
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
        if html is None:
            fresh = render()
            token = generate_csrf()  # the token the forms in ``fresh`` carry
            html = fresh.replace(token, CSRF_PLACEHOLDER)
            if self.size > 0:
                with self._lock:
                    self._pages[key] = html
                    while len(self._pages) > self.size:
                        self._pages.popitem(last=False)
            return fresh
        return html.replace(CSRF_PLACEHOLDER, generate_csrf())

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)
