"""Turn scores and advice into the plain, localized result of the JSON API and the report.

The shape is the contract in DESIGN.md ("JSON API v1", *Result*). Scores are not rounded here;
reasons are rendered from the sentence templates in ``model.yaml`` (``texts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .advise import Advice, Reason, Recommendation
from .definitions import Model
from .score import DimensionScore, ScoreResult

#: Sentence templates the model must provide (checked when the definitions load).
REQUIRED_TEXTS = (
    "band_low", "band_medium", "band_high",
    "reason_worker", "reason_employer",
    "reason_unscored_worker", "reason_unscored_employer",
    "reason_strength_worker", "reason_strength_employer",
    "reason_segment", "reason_paired",
)


def _dimension(s: DimensionScore) -> dict[str, Any]:
    return {"score": s.score, "band": s.band, "answered": s.answered, "items": s.items}


def render_reason(model: Model, audience: str, reason: Reason, lang: str) -> str:
    """The reason for a recommendation as one or more plain sentences in ``lang`` (the pairing
    sentence, which needs the other intervention's title, is added by :func:`render_recommendation`)."""
    t = model.texts
    factor = model.factor_map[reason.factor].label(lang)
    suffix = "employer" if audience == "employer" else "worker"
    if reason.score is None:
        parts = [t[f"reason_unscored_{suffix}"](lang).format(factor=factor)]
    elif reason.band == "high":
        parts = [t[f"reason_strength_{suffix}"](lang).format(factor=factor)]
    else:
        band = t[f"band_{reason.band}"](lang)
        parts = [t[f"reason_{suffix}"](lang).format(factor=factor, band=band, score=round(reason.score))]
    if reason.segments:
        labels = [model.segment_map[s].label(lang) for s in reason.segments]
        joiner = " en " if lang == "nl" else " and "
        parts.append(t["reason_segment"](lang).format(segment=joiner.join(labels)))
    return " ".join(parts)


def render_recommendation(model: Model, audience: str, rec: Recommendation, lang: str,
                          titles: Mapping[str, str]) -> dict[str, Any]:
    """One ``rec`` object of the API: id, title, text, knob, addresses, reason, effort; ``titles``
    holds the title of each intervention a reason may say it pairs with."""
    iv = rec.intervention
    reason = render_reason(model, audience, rec.reason, lang)
    if rec.reason.pairs_with:
        reason += " " + model.texts["reason_paired"](lang).format(title=titles[rec.reason.pairs_with])
    return {"id": iv.id, "title": iv.title(lang), "text": iv.text(lang), "knob": iv.knob,
            "addresses": list(iv.addresses), "reason": reason, "effort": iv.effort}


def result_dict(model: Model, result: ScoreResult, advice: Advice, lang: str) -> dict[str, Any]:
    """The result object of DESIGN.md; ``knobs`` only for the employer scan."""
    recommendations = advice.recommendations
    # A reason names the recommendation it pairs with by that one's title.
    titles = {r.intervention.id: r.intervention.title(lang) for recs in recommendations.values() for r in recs}
    out: dict[str, Any] = {
        "questionnaire": {"slug": result.slug, "version": result.version},
        "factors": {f: _dimension(s) for f, s in result.factors.items()},
    }
    if result.audience == "employer":
        out["knobs"] = {k.id: _dimension(result.knobs[k.id]) for k in model.knobs if k.id in result.knobs}
    out["advice"] = {knob: [render_recommendation(model, result.audience, r, lang, titles) for r in recs]
                     for knob, recs in recommendations.items()}
    out["strengths"] = list(advice.strengths)
    return out
