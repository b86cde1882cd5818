"""Small actions for the next-steps and delete tests: a finished report, choosing steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.responses.next_steps import today

from .flows import complete, csrf_token

#: A development plan's goal, in a worker's words.
GOAL = "Ik wil over een jaar zelf de planning van de ploeg kunnen maken."


@dataclass
class Report:
    code: str
    url: str
    recs: list[dict]  # the worker's recommendations, Dutch, in knob order


def in_days(n: int) -> date:
    return today() + timedelta(days=n)


def finish_report(client, q) -> Report:
    """Complete ``q`` through the web flow; the report with its recommendations."""
    url = complete(client, q).headers["Location"].replace("http://localhost", "")
    code = url.rsplit("/", 1)[1]
    advice = client.get(f"/api/v1/reports/{code}?lang=nl").get_json()["advice"]
    return Report(code, url, [rec for knob in ("direction", "room", "backing") for rec in advice[knob]])


def post_steps(client, report: Report, picks: dict[str, object], *, extra: dict | None = None,
               with_token: bool = True):
    """Post the steps form: ``picks`` maps intervention id to a date, a string as typed, or None."""
    data: dict[str, object] = {"step": list(picks)}
    for rec_id, due in picks.items():
        data[f"when_{rec_id}"] = due.isoformat() if isinstance(due, date) else (due or "")
    data.update(extra or {})
    if with_token:
        data["csrf_token"] = csrf_token(client.get(report.url).get_data(as_text=True))
    return client.post(f"{report.url}/stappen", data=data)


def post_plan(client, report: Report, goal: str = GOAL, helper: str = "Mijn leidinggevende", look_back=None,
              in_calendar: bool = False, with_token: bool = True, lang: str | None = None):
    """Post the plan form; ``look_back`` a date, a string as typed, or None."""
    data: dict[str, object] = {"goal": goal, "helper": helper,
                               "look_back": look_back.isoformat() if isinstance(look_back, date) else (look_back or "")}
    if in_calendar:
        data["in_calendar"] = "y"
    if with_token:
        data["csrf_token"] = csrf_token(client.get(report.url).get_data(as_text=True))
    return client.post(f"{report.url}/plan" + (f"?lang={lang}" if lang else ""), data=data)
