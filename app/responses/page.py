"""The report page's context: the view model plus what hangs off it (steps, sharing, chart, comparison).

The respondent's report, its PDF and an advisor's read-only view of a shared report all render
``respondent/report.html`` with this context; each view adds what only it has (the steps form, the
advisor's organisation).
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from ..definitions import get_definitions
from ..models import Response
from .codes import code_from
from .compare import change_words, compare_results, comparison_chart, skipped_words
from .next_steps import saved
from .plan import saved_plan
from .report import build_report
from .sharing import organisations_shared_with
from .store import find_report, stored_result

#: A report URL holds its key: never send it on, never keep a copy in a cache, never in a search index.
REPORT_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
#: A question page shows someone's answers so far (and the link to resume them): no cache, no index.
QUESTION_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
#: The charts a report page can show on screen (``?grafiek=``); print and PDF show both.
CHART_KINDS = ("staaf", "radar")


def report_page_context(response: Response, code: str | None, lang: str, charts: dict[str, str], *,
                        chart_kind: str | None = None, compare_text: str | None = None) -> dict[str, Any]:
    """Everything ``respondent/report.html`` needs but the steps form.

    Without ``code`` (an advisor opening a report shared with a client's file) the page is read-only:
    the parts that need the worker's code (PDF, steps form, compare, delete, the link) are left out.
    ``compare_text`` is what the worker typed to compare with an earlier report (a code or a link).
    """
    context: dict[str, Any] = {
        "report": build_report(response, lang, charts), "code": code, "advisor_view": None,
        "report_url": url_for("respondent.report", code=code, _external=True) if code else None,
        "chart_kind": chart_kind if chart_kind in CHART_KINDS else CHART_KINDS[0],
        "next_steps": saved(response, lang),
        # The plan is the worker's own: shown only with the report's code, never in an advisor's view.
        "plan": saved_plan(response) if code else None,
        "shared_with": [org.name for org in organisations_shared_with(response)],
        "compare_input": compare_text or "", "compare_error": None, "comparison": None,
    }
    if code is not None and compare_text is not None:
        earlier, error = find_earlier(response, code, compare_text, lang)
        if earlier is None:
            context["compare_error"] = error
        else:
            context["comparison"] = comparison_with(earlier, response, code_from(compare_text), lang)
    return context


def _date(response: Response) -> str:
    return format_date(response.completed_at, "long")


def find_earlier(current: Response, code: str, text: str, lang: str) -> tuple[Response | None, str | None]:
    """The earlier report that ``text`` (a code or a report link) opens, or a message saying why not."""
    if not text.strip():
        return None, _("Vul de code of de link van een eerdere uitslag in.")
    other_code = code_from(text)
    if other_code == code:
        return None, _("Dit is de code van deze uitslag zelf. Vul de code van een eerdere uitslag in.")
    earlier = find_report(other_code) if other_code else None
    if earlier is None:
        return None, _("Bij deze code hoort geen uitslag. Controleer of de hele code of link is overgenomen.")
    if earlier.slug != current.slug:
        questionnaires = get_definitions().questionnaires
        other, this = (questionnaires[s].title(lang) if s in questionnaires else s
                       for s in (earlier.slug, current.slug))
        return None, _("Deze code hoort bij een uitslag van een andere vragenlijst (%(other)s). "
                       "Alleen uitslagen van de %(this)s zijn met elkaar te vergelijken.", other=other, this=this)
    earlier_at, current_at = earlier.completed_at, current.completed_at
    if earlier_at is None or current_at is None:  # only completed responses have a report
        raise ValueError("only completed responses are compared")
    if earlier_at >= current_at:
        return None, _("Die uitslag is niet eerder ingevuld dan deze, maar op %(date)s. Open de nieuwste "
                       "uitslag en vergelijk die met de oudere.", date=_date(earlier))
    return earlier, None


def comparison_with(earlier: Response, current: Response, earlier_code: str | None, lang: str) -> dict[str, Any]:
    """The comparison of ``current`` with ``earlier`` as the page shows it: dates, changes, skipped factors, chart."""
    defs = get_definitions()
    result = compare_results(stored_result(earlier, lang), stored_result(current, lang), defs.model, lang)
    q = defs.questionnaires[current.slug]
    dates = (_date(earlier), _date(current))
    # Not stored: the chart holds two reports' scores, and either may be deleted later.
    chart = comparison_chart(result, (q.scoring.medium, q.scoring.high), dates) if result.changes else None
    return {"code": earlier_code, "date": dates[0], "versions": result.versions, "chart_svg": chart,
            "changes": [change_words(c) for c in result.changes],
            "skipped": [skipped_words(s) for s in result.skipped]}
