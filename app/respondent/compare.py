"""The profile on the report: which chart is shown, and the comparison with an earlier report.

Both read the page's query string (``?grafiek=radar``, ``?vergelijk=<code or link>``), so the
page works without JavaScript and stays bookmarkable. A code that cannot be compared gives a
message next to the input, never an error page.
"""

from __future__ import annotations

from flask import request
from flask_babel import format_date
from flask_babel import gettext as _

from .. import responses
from ..codes import code_from
from ..compare import change_words, compare_results, comparison_chart, skipped_words
from ..definitions import get_definitions
from ..models import Response
from . import report_context

CHART_KINDS = ("staaf", "radar")


@report_context
def chart_choice(response: Response, code: str, lang: str) -> dict:
    """``chart_kind``: the chart shown on screen; print and PDF show both."""
    kind = request.args.get("grafiek")
    return {"chart_kind": kind if kind in CHART_KINDS else CHART_KINDS[0]}


def _date(response: Response) -> str:
    return format_date(response.completed_at, "long")


def find_earlier(current: Response, code: str, text: str, lang: str) -> tuple[Response | None, str | None]:
    """The earlier report that ``text`` (a code or a report link) opens, or a message saying why not."""
    if not text.strip():
        return None, _("Vul de code of de link van een eerdere uitslag in.")
    other_code = code_from(text)
    if other_code == code:
        return None, _("Dit is de code van deze uitslag zelf. Vul de code van een eerdere uitslag in.")
    earlier = responses.find_report(other_code) if other_code else None
    if earlier is None:
        return None, _("Bij deze code hoort geen uitslag. Controleer of de hele code of link is overgenomen.")
    if earlier.slug != current.slug:
        questionnaires = get_definitions().questionnaires
        other, this = (questionnaires[s].title(lang) if s in questionnaires else s
                       for s in (earlier.slug, current.slug))
        return None, _("Deze code hoort bij een uitslag van een andere vragenlijst (%(other)s). "
                       "Alleen uitslagen van de %(this)s zijn met elkaar te vergelijken.", other=other, this=this)
    if earlier.completed_at >= current.completed_at:
        return None, _("Die uitslag is niet eerder ingevuld dan deze, maar op %(date)s. Open de nieuwste "
                       "uitslag en vergelijk die met de oudere.", date=_date(earlier))
    return earlier, None


@report_context
def comparison(response: Response, code: str, lang: str) -> dict:
    """``compare_input``/``compare_error`` for the form and ``comparison`` (or None) for the result."""
    text = request.args.get("vergelijk")
    context = {"compare_input": text or "", "compare_error": None, "comparison": None}
    if text is None:
        return context
    earlier, error = find_earlier(response, code, text, lang)
    if earlier is None:
        context["compare_error"] = error
        return context
    defs = get_definitions()
    result = compare_results(earlier.result.get(lang) or earlier.result["nl"],
                             response.result.get(lang) or response.result["nl"], defs.model, lang)
    q = defs.questionnaires[response.slug]
    dates = (_date(earlier), _date(response))
    # Not cached: the chart holds two reports' scores, and either may be deleted later.
    chart = comparison_chart(result, (q.scoring.medium, q.scoring.high), dates) if result.changes else None
    context["comparison"] = {
        "code": code_from(text), "date": dates[0], "versions": result.versions, "chart_svg": chart,
        "changes": [change_words(c) for c in result.changes],
        "skipped": [skipped_words(s) for s in result.skipped],
    }
    return context
