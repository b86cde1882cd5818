"""The report as PDF: the report page's HTML, laid out by WeasyPrint with the print stylesheet.

WeasyPrint fetches the page's stylesheets itself. :class:`StaticFetcher` hands it the app's own
static files from disk and refuses every other URL, so rendering a PDF never touches the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join


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


def render_pdf(html: str, base_url: str) -> bytes:
    """The PDF of ``html`` (an app page whose links are relative to ``base_url``), tagged for screen readers."""
    static_url = urljoin(base_url, current_app.static_url_path.rstrip("/") + "/")
    fetcher = StaticFetcher(current_app.static_folder, static_url)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher, media_type="print").write_pdf(pdf_tags=True)
