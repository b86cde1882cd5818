"""The report as PDF: the report page's HTML, laid out by WeasyPrint with the print stylesheet.

WeasyPrint fetches the page's stylesheets itself. :class:`StaticFetcher` hands it the app's own
static files from disk and refuses every other URL, so rendering a PDF never touches the network.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from flask import current_app
from werkzeug.security import safe_join


# WeasyPrint is slow to import and few visitors ask for a PDF: it is imported on the first PDF, not
# when the app starts (``from app.rendering.pdf import StaticFetcher`` still works).
@cache
def _static_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """Serves URLs under ``static_url`` from ``folder``; ``data:`` URLs as usual; nothing else."""

        def __init__(self, folder: str | Path, static_url: str) -> None:
            super().__init__(allowed_protocols=("data", "http", "https"))
            self.folder = str(folder)
            self.static_url = static_url

        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(self.static_url):
                relative = unquote(urlsplit(url[len(self.static_url):]).path)
                path = safe_join(self.folder, relative)
                if path is not None and Path(path).is_file():
                    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": content_type})
            raise ValueError(f"a PDF only uses the app's own static files, not {url}")

    return StaticFetcher


def __getattr__(name: str):
    if name == "StaticFetcher":
        return _static_fetcher_class()
    raise AttributeError(name)


def render_pdf(html: str, base_url: str) -> bytes:
    """The PDF of ``html`` (an app page whose links are relative to ``base_url``), tagged for screen readers."""
    from weasyprint import HTML

    static_path, static_folder = current_app.static_url_path, current_app.static_folder
    if static_path is None or static_folder is None:  # the app is made with its static folder
        raise RuntimeError("a PDF needs the app's static folder for its stylesheets")
    static_url = urljoin(base_url, static_path.rstrip("/") + "/")
    fetcher = _static_fetcher_class()(static_folder, static_url)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher, media_type="print").write_pdf(pdf_tags=True)
