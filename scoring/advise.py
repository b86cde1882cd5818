"""Advice: per knob 1-3 interventions from the catalog, weakest factors first.

The rules (DESIGN.md, "Advice rules"):

* factors are ranked by need: how far the score lies below the ``high`` cut-off, largest first;
  factors without a score (too few answers) come next, factors in band ``high`` last;
  ties follow the model's factor order;
* for each knob, the catalog's interventions for the respondent's audience are ranked by the
  most needed factor they address, then segment matches (more first), then — on the backing
  knob — whether they pair with a means intervention recommended on another knob ("money alone
  is not enough"), then catalog order; all keys are fixed, so ties are deterministic;
* a knob gets up to three interventions that address a factor that is not ``high``, and always at
  least one (then it helps to build on a strength);
* every recommendation keeps its reason: the factor it is for, its band and score, the matching
  segments and the intervention it pairs with;
* factors in band ``high`` are listed as strengths.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .definitions import Catalog, Intervention, Model
from .score import DimensionScore, ScoreResult

MAX_PER_KNOB = 3


@dataclass(frozen=True)
class Reason:
    """Why an intervention is recommended."""

    factor: str
    band: str | None
    score: float | None
    segments: tuple[str, ...] = ()
    pairs_with: str | None = None


@dataclass(frozen=True)
class Recommendation:
    intervention: Intervention
    reason: Reason


@dataclass(frozen=True)
class Advice:
    recommendations: Mapping[str, tuple[Recommendation, ...]]
    strengths: tuple[str, ...]


def factor_ranking(model: Model, factors: Mapping[str, DimensionScore], high: float) -> list[str]:
    """Factor ids from most to least needed (see the module docstring)."""
    order = {f.id: i for i, f in enumerate(model.factors)}

    def need(fid: str) -> tuple[int, float, int]:
        s = factors.get(fid)
        if s is None or s.score is None:
            return (1, 0.0, order[fid])
        if s.band == "high":
            return (2, 0.0, order[fid])
        return (0, -(high - s.score), order[fid])

    return sorted((f.id for f in model.factors), key=need)


def _needed(factors: Mapping[str, DimensionScore], fid: str) -> bool:
    s = factors.get(fid)
    return s is None or s.band != "high"


def advise(model: Model, catalog: Catalog, result: ScoreResult, high: float,
           segments: frozenset[str] = frozenset()) -> Advice:
    """Recommend 1-3 interventions per knob for ``result``; ``high`` is the questionnaire's cut-off."""
    rank = {fid: i for i, fid in enumerate(factor_ranking(model, result.factors, high))}
    candidates = [iv for iv in catalog.interventions if iv.audience == result.audience]
    position = {iv.id: i for i, iv in enumerate(catalog.interventions)}

    def primary(iv: Intervention) -> str:
        return min(iv.addresses, key=lambda f: rank.get(f, len(rank)))

    def pick(knob: str, paired: Mapping[str, str]) -> tuple[Recommendation, ...]:
        pool = sorted(
            (iv for iv in candidates if iv.knob == knob),
            key=lambda iv: (rank.get(primary(iv), len(rank)), -len(segments.intersection(iv.segments)),
                            iv.id not in paired, position[iv.id]),
        )
        chosen = [iv for iv in pool if _needed(result.factors, primary(iv))][:MAX_PER_KNOB] or pool[:1]
        recs = []
        for iv in chosen:
            f = primary(iv)
            s = result.factors.get(f)
            recs.append(Recommendation(iv, Reason(
                factor=f, band=s.band if s else None, score=s.score if s else None,
                segments=tuple(seg for seg in iv.segments if seg in segments),
                pairs_with=paired.get(iv.id),
            )))
        return tuple(recs)

    recommendations: dict[str, tuple[Recommendation, ...]] = {}
    paired: dict[str, str] = {}
    # Backing goes last so it can favour the guidance that a recommended budget pairs with.
    knob_ids = [k.id for k in model.knobs]
    for knob in sorted(knob_ids, key=lambda k: k == "backing"):
        recommendations[knob] = pick(knob, paired if knob == "backing" else {})
        for rec in recommendations[knob]:
            for other in rec.intervention.pairs_with:
                paired.setdefault(other, rec.intervention.id)
    strengths = tuple(f.id for f in model.factors
                      if (s := result.factors.get(f.id)) is not None and s.band == "high")
    return Advice({k: recommendations[k] for k in knob_ids}, strengths)
