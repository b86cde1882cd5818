"""The report's view model: stored numbers and advice, joined with the model's words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from scoring import DimensionScore, ScoreResult, factor_ranking
from scoring.advise import raised_signals
from scoring.help import help_routes, worker_questions

from ..definitions import get_definitions
from ..extensions import db
from ..i18n import band_label
from ..models import ReportChart, Response, insert_on_conflict
from ..rendering.charts import Bar, profile_bars, profile_radar
from .store import stored_result


@dataclass
class Row:
    id: str
    label: str
    score: int | None
    band: str | None
    band_label: str
    meaning: str
    answered: int
    items: int


@dataclass
class Report:
    slug: str
    title: str
    audience: str
    version: str
    completed_at: Any
    summary: list[str]
    factors: list[Row]
    knobs: list[Row]
    advice: list[dict[str, Any]]
    strengths: list[dict[str, str]]
    chart_svg: str
    radar_svg: str
    cutoffs: tuple[float, float]
    #: The recommendation to start with ("Wat nu?"): the first step of the knob whose step is for the
    #: most needed factor; ``None`` without advice.
    first_step: dict[str, Any] | None = None
    #: "Wie kan je helpen" (workers only): title, text, how, otherwise, link.
    helpers: list[dict[str, str | None]] | None = None
    #: "Vragen voor het gesprek" (workers only), from the weakest factors, and whom to take them to
    #: (a self-employed worker has no manager; an agency worker also has the intercedent).
    questions: list[str] | None = None
    questions_to: str | None = None


def _rows(dims: dict[str, dict], definitions: list, audience: str, lang: str, *, knob: bool) -> list[Row]:
    rows = []
    for d in definitions:
        s = dims.get(d.id)
        if s is None:
            continue
        band = s["band"]
        if band is None:
            meaning = _("Er waren te weinig antwoorden om dit te scoren.")
        elif knob:
            meaning = d.employer_bands[band](lang)
        else:
            meaning = d.meaning(band, audience)(lang)
        score = None if s["score"] is None else round(s["score"])
        rows.append(Row(d.id, d.label(lang), score, band, band_label(band), meaning, s["answered"], s["items"]))
    return rows


def _summary(factors: list[Row], audience: str) -> list[str]:
    """Two or three plain sentences: the strongest factor, where most is to gain, what follows."""
    scored = [(r.score, r) for r in factors if r.score is not None]
    if not scored:
        return [_("Er waren te weinig antwoorden voor een uitslag. Vul de vragenlijst opnieuw in.")]
    employer = audience == "employer"
    top, best = max(scored, key=lambda pair: pair[0])
    bottom, weakest = min(scored, key=lambda pair: pair[0])
    if top == bottom:
        lines = [_("De scores van uw organisatie op de factoren liggen gelijk.") if employer
                 else _("Je scores op de factoren liggen gelijk.")]
    else:
        # "Highest" is praise: said only of a factor that is not low; when all are low, say so instead.
        lines = ([_("Uw organisatie scoort het hoogst op %(f)s.", f=best.label) if employer
                  else _("Je scoort het hoogst op %(f)s.", f=best.label)] if best.band != "low"
                 else [_("Alle scores van uw organisatie zijn nu laag.") if employer
                       else _("Al je scores zijn nu laag.")])
        if weakest.band != "high":
            lines.append(_("De meeste winst is te halen bij %(f)s.", f=weakest.label) if employer
                         else _("De meeste winst haal je bij %(f)s.", f=weakest.label))
    lines.append(_("Hieronder staan per knop een paar stappen voor uw organisatie.") if employer
                 else _("Hieronder staan per knop een paar kleine stappen die je kunt zetten."))
    return lines


def chart_inputs(response: Response, lang: str) -> tuple[list[Bar], tuple[float, float], str, tuple[str, str]]:
    """What the bars and the radar of ``response`` are drawn from, in ``lang``: the bars, the cut-offs,
    the title and the cut-offs' labels."""
    q = get_definitions().questionnaires[response.slug]
    cutoffs = (q.scoring.medium, q.scoring.high)
    bars = [Bar(r.label, r.score, f"{r.score} · {r.band_label}" if r.score is not None else r.band_label)
            for r in _factor_rows(response, lang)]
    title = _("Je profiel (0 tot 100)") if q.audience != "employer" else _("Profiel van uw organisatie (0 tot 100)")
    labels = (_("gemiddeld vanaf %(n)s", n=int(cutoffs[0])), _("hoog vanaf %(n)s", n=int(cutoffs[1])))
    return bars, cutoffs, title, labels


#: The report's charts, by the key prefix they are stored under in ``report_chart``.
CHARTS = ("bars", "radar")
#: Part of every stored chart's key: a new chart style (phone-sized text, 2026-12) draws the charts anew.
CHART_STYLE = ".2"


def stored_charts(response: Response, lang: str) -> dict[str, str]:
    """The SVG of each of :data:`CHARTS` for ``response`` in ``lang``: read from the database, and
    drawn and stored first where missing (a result never changes, so neither do its charts)."""
    keys = {name: f"{name}{CHART_STYLE}-{lang}" for name in CHARTS}
    rows = db.session.execute(select(ReportChart.key, ReportChart.svg).where(
        ReportChart.response_id == response.id, ReportChart.key.in_(keys.values())))
    found = {key: svg for key, svg in rows}
    missing = [name for name, key in keys.items() if key not in found]
    if missing:
        inputs = chart_inputs(response, lang)
        for name in missing:
            found[keys[name]] = profile_bars(*inputs) if name == "bars" else profile_radar(*inputs)
        # The first views of a new report (page, radar, PDF) may come at once; the same input draws
        # the same SVG, so whichever request stores a chart first, the others keep its row.
        drawn = [{"response_id": response.id, "key": keys[name], "svg": found[keys[name]]} for name in missing]
        insert_on_conflict(ReportChart, drawn, ["response_id", "key"])
        db.session.commit()
    return {name: found[key] for name, key in keys.items()}


def _factor_rows(response: Response, lang: str) -> list[Row]:
    q = get_definitions().questionnaires[response.slug]
    return _rows(stored_result(response, lang)["factors"], list(get_definitions().model.factors), q.audience, lang,
                 knob=False)


def _scores(dims: dict[str, dict]) -> dict[str, DimensionScore]:
    return {k: DimensionScore(d["score"], d["band"], d["answered"], d["items"]) for k, d in dims.items()}


def _first_step(advice: list[dict[str, Any]], ranking: list[str]) -> dict[str, Any] | None:
    """Of the knobs' first steps, the one for the most needed factor it addresses (knob order on a tie)."""
    firsts = [(knob, knob["recs"][0]) for knob in advice if knob["recs"]]
    if not firsts:
        return None
    place = {f: i for i, f in enumerate(ranking)}

    def need(pair: tuple[dict[str, Any], dict[str, Any]]) -> int:
        return min((place.get(f, len(place)) for f in pair[1].get("addresses", ())), default=len(place))

    knob, rec = min(firsts, key=need)
    return {**rec, "knob_label": knob["label"]}


def talk_to(segments: frozenset[str]) -> str:
    """Whom the worker takes the questions for the conversation to, by contract."""
    if "self_employed" in segments:
        return _("Neem deze vragen mee naar een coach of loopbaanadviseur.")
    if "flex" in segments:
        return _("Neem deze vragen mee naar je leidinggevende of een coach. Werk je via een "
                 "uitzendbureau? Dan kan ook je intercedent helpen.")
    return _("Neem deze vragen mee naar je leidinggevende of een coach.")


def _what_next(response: Response, lang: str, factors: dict[str, DimensionScore]) -> tuple[list, list, str]:
    """The worker's help routes (by contract and situation), questions for the talk and whom to ask."""
    defs = get_definitions()
    q = defs.questionnaires[response.slug]
    segments = q.segments_for(response.profile or {})
    result = ScoreResult(q.slug, response.version, q.audience, factors, {})
    answers = {k: v for k, v in (response.answers or {}).items() if isinstance(v, int)}
    signals = [signal for signal, _item in raised_signals(defs.model, q, result, answers, segments)]
    helpers = [{"id": r.id, "title": r.title(lang), "text": r.text(lang), "how": r.how(lang),
                "otherwise": r.otherwise(lang) if r.otherwise else None, "link": r.link}
               for r in help_routes(defs.help, segments, signals)]
    questions = [t(lang) for t in worker_questions(defs.model, factors, q.scoring.high, segments)]
    return helpers, questions, talk_to(segments)


def build_report(response: Response, lang: str, charts: dict[str, str]) -> Report:
    """The report of ``response`` in ``lang``, with the ``charts`` of :func:`stored_charts`."""
    defs = get_definitions()
    q = defs.questionnaires[response.slug]
    stored = stored_result(response, lang)
    model = defs.model
    factors = _factor_rows(response, lang)
    knobs = _rows(stored.get("knobs", {}), list(model.knobs), q.audience, lang, knob=True)
    advice = [{"id": k.id, "label": k.label(lang), "description": k.describe(q.audience)(lang),
               "recs": stored["advice"].get(k.id, [])} for k in model.knobs]
    audience_strength = "employer_strength" if q.audience == "employer" else "strength"
    strengths = [{"label": model.factor_map[f].label(lang),
                  "text": getattr(model.factor_map[f], audience_strength)(lang)}
                 for f in stored["strengths"] if f in model.factor_map]
    scores = _scores(stored["factors"])
    helpers, questions, questions_to = (_what_next(response, lang, scores) if q.audience == "worker"
                                        else (None, None, None))
    return Report(
        first_step=_first_step(advice, factor_ranking(model, scores, q.scoring.high)),
        helpers=helpers, questions=questions, questions_to=questions_to,
        slug=q.slug, title=q.title(lang), audience=q.audience, version=response.version,
        completed_at=response.completed_at, summary=_summary(factors, q.audience), factors=factors,
        knobs=knobs, advice=advice, strengths=strengths, chart_svg=charts["bars"], radar_svg=charts["radar"],
        cutoffs=(q.scoring.medium, q.scoring.high),
    )
