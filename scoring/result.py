"""Turn scores and advice into the plain, localized result of the JSON API and the report.

The shape is the contract in DESIGN.md ("JSON API v1", *Result*). Scores are not rounded here;
reasons are rendered from the sentences in the data: the model's signals, factor reasons, knob ``build``
sentences and ``texts`` templates, and the items' ``reason``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .advise import Advice, Reason, Recommendation
from .definitions import Model, Questionnaire, Text
from .score import DimensionScore, ScoreResult

#: Sentence templates the model must provide (checked when the definitions load).
REQUIRED_TEXTS = (
    "band_low", "band_medium", "band_high",
    "reason_strength_worker", "reason_strength_employer",
    "reason_paired_worker", "reason_paired_employer",
)


def _dimension(s: DimensionScore) -> dict[str, Any]:
    return {"score": s.score, "band": s.band, "answered": s.answered, "items": s.items}


def render_reason(model: Model, q: Questionnaire, audience: str, reason: Reason, lang: str,
                  titles: Mapping[str, str]) -> str:
    """The sentence that says what triggered a recommendation, in ``lang``; ``titles`` holds the title of
    each recommended intervention (a guidance step's reason names the budget step it belongs with)."""
    factor = model.factor_map[reason.factor]
    label = factor.label(lang)
    score = round(reason.score) if reason.score is not None else None
    match reason.kind:
        case "signal":
            text = model.signal_map[reason.signal or ""].reasons[audience]
        case "paired":
            return model.texts[f"reason_paired_{audience}"](lang).format(title=titles[reason.pairs_with or ""])
        case "answer":
            text = q.item_map[reason.item or ""].reason or Text("", "")
        case "strength":
            text = model.texts[f"reason_strength_{audience}"]
        case "build":
            text = model.knob_map[reason.knob or ""].build[audience]
        case _:  # band, unscored
            text = factor.reasons[audience][reason.band or "unscored"][reason.index]
    return text(lang).format(factor=label, score=score)


def render_recommendation(model: Model, q: Questionnaire, audience: str, rec: Recommendation, lang: str,
                          titles: Mapping[str, str]) -> dict[str, Any]:
    """One ``rec`` object of the API: id, title, text, knob, addresses, reason, effort."""
    iv = rec.intervention
    return {"id": iv.id, "title": iv.title(lang), "text": iv.text(lang), "knob": iv.knob,
            "addresses": list(iv.addresses), "reason": render_reason(model, q, audience, rec.reason, lang, titles),
            "effort": iv.effort}


def result_dict(model: Model, q: Questionnaire, result: ScoreResult, advice: Advice, lang: str) -> dict[str, Any]:
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
    out["advice"] = {knob: [render_recommendation(model, q, result.audience, r, lang, titles) for r in recs]
                     for knob, recs in recommendations.items()}
    out["strengths"] = list(advice.strengths)
    return out
