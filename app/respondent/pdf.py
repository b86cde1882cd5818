"""The report as a PDF download: the same template and context as ``/r/<code>``, with ``pdf=True``."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale, to_user_timezone

from ..pdf import render_pdf
from . import bp
from .views import REPORT_HEADERS, report_or_404, report_page_context


@bp.get("/r/<code>/pdf")
def report_pdf(code: str):
    """The report in the page's language as an A4 PDF named ``<questionnaire>-<completion date>.pdf``."""
    response = report_or_404(code)
    context = report_page_context(response, code, str(get_locale() or "nl"))
    html = render_template("respondent/report.html", pdf=True, **context)
    filename = f"{response.slug}-{to_user_timezone(response.completed_at):%Y-%m-%d}.pdf"
    headers = {**REPORT_HEADERS, "Content-Type": "application/pdf",
               "Content-Disposition": f'attachment; filename="{filename}"'}
    return render_pdf(html, request.url_root), 200, headers
