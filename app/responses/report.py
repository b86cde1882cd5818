"""The report's view model: stored numbers and advice, joined with the model's words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from .charts import Bar, profile_bars, profile_radar
from .definitions import get_definitions
from .extensions import db
from .models import ReportChart, Response


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
    cutoffs: tuple[float, float]
    extra: dict[str, Any] = field(default_factory=dict)
    radar_svg: str = ""


def band_label(band: str | None) -> str:
    labels = {"low": _("laag"), "medium": _("gemiddeld"), "high": _("hoog")}
    return labels.get(band or "", _("geen score"))


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
    scored = [r for r in factors if r.score is not None]
    if not scored:
        return [_("Er waren te weinig antwoorden voor een uitslag. Vul de vragenlijst opnieuw in.")]
    employer = audience == "employer"
    best = max(scored, key=lambda r: r.score)
    weakest = min(scored, key=lambda r: r.score)
    if best.score == weakest.score:
        lines = [_("De scores van uw organisatie op de factoren liggen gelijk.") if employer
                 else _("Je scores op de factoren liggen gelijk.")]
    else:
        lines = [_("Uw organisatie scoort het hoogst op %(f)s.", f=best.label) if employer
                 else _("Je scoort het hoogst op %(f)s.", f=best.label)]
        if weakest.band != "high":
            lines.append(_("De meeste winst is te halen bij %(f)s.", f=weakest.label) if employer
                         else _("De meeste winst haal je bij %(f)s.", f=weakest.label))
    lines.append(_("Hieronder staan per knop een paar stappen voor uw organisatie.") if employer
                 else _("Hieronder staan per knop een paar kleine stappen die je kunt zetten."))
    return lines


def chart_for(response: Response, key: str, render) -> str:
    """The cached chart ``key`` of ``response``; rendered and stored on the first view only."""
    cached = db.session.scalar(select(ReportChart.svg).where(
        ReportChart.response_id == response.id, ReportChart.key == key))
    if cached is not None:
        return cached
    svg = render()
    db.session.add(ReportChart(response_id=response.id, key=key, svg=svg))
    db.session.commit()
    return svg


def build_report(response: Response, lang: str) -> Report:
    defs = get_definitions()
    q = defs.questionnaires[response.slug]
    stored = response.result[lang if lang in response.result else "nl"]
    model = defs.model
    factors = _rows(stored["factors"], list(model.factors), q.audience, lang, knob=False)
    knobs = _rows(stored.get("knobs", {}), list(model.knobs), q.audience, lang, knob=True)
    cutoffs = (q.scoring.medium, q.scoring.high)

    # The same arguments draw the bars and the radar; each chart is cached under its own key.
    chart_args = (
        [Bar(r.label, r.score, f"{r.score} · {r.band_label}" if r.score is not None else r.band_label)
         for r in factors],
        cutoffs,
        _("Je profiel (0 tot 100)") if q.audience != "employer" else _("Profiel van uw organisatie (0 tot 100)"),
        (_("gemiddeld vanaf %(n)s", n=int(cutoffs[0])), _("hoog vanaf %(n)s", n=int(cutoffs[1]))),
    )

    advice = [{"id": k.id, "label": k.label(lang), "description": k.description(lang),
               "recs": stored["advice"].get(k.id, [])} for k in model.knobs]
    audience_strength = "employer_strength" if q.audience == "employer" else "strength"
    strengths = [{"label": model.factor_map[f].label(lang),
                  "text": getattr(model.factor_map[f], audience_strength)(lang)}
                 for f in stored["strengths"] if f in model.factor_map]
    return Report(
        slug=q.slug, title=q.title(lang), audience=q.audience, version=response.version,
        completed_at=response.completed_at, summary=_summary(factors, q.audience), factors=factors,
        knobs=knobs, advice=advice, strengths=strengths,
        chart_svg=chart_for(response, f"bars-{lang}", lambda: profile_bars(*chart_args)), cutoffs=cutoffs,
        radar_svg=chart_for(response, f"radar-{lang}", lambda: profile_radar(*chart_args)),
    )
