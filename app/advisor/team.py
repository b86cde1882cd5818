"""The team report of a campaign (screen, print, PDF) and the exports of its answers (CSV for tools,
CSV for Dutch Excel, XLSX with codebooks, SPSS).

Login is enforced by the blueprint; :func:`campaign_or_404` makes another organisation's campaign a 404.
Every figure obeys the threshold ``k`` (see :mod:`app.team`); the exports are refused below it, and
while the campaign is open (rows per person only once nobody can add one: :mod:`app.team.export`).
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from ..campaigns.service import anonymity_k
from ..definitions import get_definitions
from ..i18n import current_language
from ..models import Campaign
from ..protection.ratelimits import pdfs_per_address, pdfs_per_session
from ..rendering.pdf import render_pdf
from ..team.export import Table, TooFewResponses, export_allowed, export_table, to_csv
from ..team.formats import column_labels, to_excel_csv, to_sav, to_xlsx
from ..team.report import build_team_report, completed_responses, department_map, earlier_campaigns
from .access import campaign_or_404
from .blueprint import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAV = "application/x-spss-sav"


def _baseline(campaign: Campaign) -> tuple[Campaign | None, str | None]:
    """The earlier campaign chosen in ``?vergelijk=``, or an error message when it is not one of the choices."""
    chosen = request.args.get("vergelijk", "").strip()
    if not chosen:
        return None, None
    found = next((c for c in earlier_campaigns(campaign) if str(c.id) == chosen), None)
    if found is None:
        return None, _("Kies een eerdere campagne van deze organisatie uit de lijst.")
    return found, None


def _page(campaign: Campaign, *, pdf: bool) -> tuple[str, int]:
    """The team report page, and its status: 400 when the chosen baseline is not one of the choices."""
    baseline, error = _baseline(campaign)
    report = build_team_report(campaign, current_language(), baseline)
    html = render_template("advisor/team_report.html", report=report, pdf=pdf, baseline_error=error,
                           campaign_url=url_for("advisor.campaign", campaign_id=campaign.id),
                           export_allowed=export_allowed(campaign.closes_on))
    return html, 400 if error else 200


@bp.get("/campaigns/<int:campaign_id>/report")
def team_report(campaign_id: int):
    """The team report on screen; the browser prints it with the print stylesheet."""
    return _page(campaign_or_404(campaign_id), pdf=False)


@bp.get("/campaigns/<int:campaign_id>/report.pdf")
@pdfs_per_session
@pdfs_per_address
def team_report_pdf(campaign_id: int):
    """The same page as an A4 PDF (WeasyPrint), named after the campaign's opening date."""
    campaign = campaign_or_404(campaign_id)
    filename = f"teamrapport-{campaign.opens_on:%Y-%m-%d}.pdf"
    headers = {"Content-Type": "application/pdf", "Content-Disposition": f'attachment; filename="{filename}"'}
    html, _status = _page(campaign, pdf=True)
    return render_pdf(html, request.url_root), 200, headers


def _export(campaign_id: int) -> Table | tuple[str, int]:
    campaign = campaign_or_404(campaign_id)
    k = anonymity_k()
    if not export_allowed(campaign.closes_on):
        return render_template("advisor/team_export_refused.html", campaign=campaign, k=k, still_open=True), 409
    try:
        return export_table(get_definitions(), completed_responses(campaign), department_map(campaign), k)
    except TooFewResponses:
        return render_template("advisor/team_export_refused.html", campaign=campaign, k=k), 409


def _download(campaign_id: int, suffix: str, content_type: str, body: str | bytes):
    headers = {"Content-Type": content_type,
               "Content-Disposition": f'attachment; filename="campagne-{campaign_id}-antwoorden{suffix}"'}
    return body, 200, headers


@bp.get("/campaigns/<int:campaign_id>/export.csv")
def team_export_csv(campaign_id: int):
    """Item answers and factor scores, one row per completed response, as plain CSV for tools
    (comma, decimal point, UTF-8 without BOM, column ids as header)."""
    table = _export(campaign_id)
    if not isinstance(table, Table):
        return table
    return _download(campaign_id, ".csv", "text/csv; charset=utf-8", to_csv(table))


@bp.get("/campaigns/<int:campaign_id>/export-excel.csv")
def team_export_excel_csv(campaign_id: int):
    """The same table as CSV for Excel with Dutch settings (semicolon, decimal comma, UTF-8 with BOM)."""
    table = _export(campaign_id)
    if not isinstance(table, Table):
        return table
    labels = column_labels(get_definitions(), table.header, current_language())
    return _download(campaign_id, "-excel.csv", "text/csv; charset=utf-8", to_excel_csv(table, labels))


@bp.get("/campaigns/<int:campaign_id>/export.xlsx")
def team_export_xlsx(campaign_id: int):
    """The same table as an Excel workbook, with a codebook sheet per questionnaire version."""
    table = _export(campaign_id)
    if not isinstance(table, Table):
        return table
    return _download(campaign_id, ".xlsx", XLSX, to_xlsx(table, get_definitions(), current_language()))


@bp.get("/campaigns/<int:campaign_id>/export.sav")
def team_export_sav(campaign_id: int):
    """The same table as an SPSS data file with variable and value labels."""
    table = _export(campaign_id)
    if not isinstance(table, Table):
        return table
    return _download(campaign_id, ".sav", SAV, to_sav(table, get_definitions(), current_language()))
