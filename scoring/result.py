"""Turn scores and advice into the plain, localized result of the JSON API and the report.

The shape is the contract in DESIGN.md ("JSON API v1", *Result*). Scores are not rounded here;
reasons are rendered from the sentence templates in ``model.yaml`` (``texts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .advise import Advice, Reason, Recommendation
from .definitions import Intervention, Model
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


#: Bound on the reason sentences remembered per model; a few thousand different ones occur.
_MEMO_MAX = 20_000


def render_reason(model: Model, audience: str, reason: Reason, lang: str) -> str:
    """The reason for a recommendation as one or more plain sentences in ``lang``.

    The sentence depends on the factor, the band, the rounded score, the segments and the
    language only (a few thousand combinations), so each is written once and remembered.
    """
    shown = None if reason.score is None or reason.band == "high" else round(reason.score)
    key = ("reason", audience == "employer", reason.factor, reason.band, shown, reason.segments, lang)
    memo = model.memo
    text = memo.get(key)
    if text is None:
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        text = memo[key] = _write_reason(model, audience, reason, lang)
    return text


def _write_reason(model: Model, audience: str, reason: Reason, lang: str) -> str:
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


def _static_parts(model: Model, iv: Intervention, lang: str) -> tuple[str, str, str, str, tuple[str, ...], str]:
    """What a recommendation of ``iv`` says in ``lang`` whatever its reason (remembered per model)."""
    key = ("recommendation", iv.id, lang)
    memo = model.memo
    parts = memo.get(key)
    if parts is None:
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        parts = memo[key] = (iv.id, iv.title(lang), iv.text(lang), iv.knob, iv.addresses, iv.effort)
    return parts


def render_recommendation(model: Model, audience: str, rec: Recommendation, lang: str,
                          titles: Mapping[str, str]) -> dict[str, Any]:
    """One ``rec`` object of the API: id, title, text, knob, addresses, reason, effort; ``titles``
    holds the title of each intervention a reason may say it pairs with."""
    iv_id, title, text, knob, addresses, effort = _static_parts(model, rec.intervention, lang)
    reason = render_reason(model, audience, rec.reason, lang)
    if rec.reason.pairs_with:
        reason += " " + model.texts["reason_paired"](lang).format(title=titles[rec.reason.pairs_with])
    return {"id": iv_id, "title": title, "text": text, "knob": knob, "addresses": list(addresses),
            "reason": reason, "effort": effort}


def result_dict(model: Model, result: ScoreResult, advice: Advice, lang: str) -> dict[str, Any]:
    """The result object of DESIGN.md; ``knobs`` only for the employer scan."""
    recommendations = advice.recommendations
    # A reason names the recommendation it pairs with by its title (most advice pairs nothing).
    titles = {r.intervention.id: r.intervention.title(lang) for recs in recommendations.values() for r in recs
              } if any(r.reason.pairs_with for recs in recommendations.values() for r in recs) else {}
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
