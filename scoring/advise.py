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


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an intervention is recommended: the factor it is for with that factor's band and score,
    the respondent's segments it is for, and the recommended intervention it pairs with."""

    factor: str
    band: str | None
    score: float | None
    segments: tuple[str, ...] = ()
    pairs_with: str | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    intervention: Intervention
    reason: Reason


@dataclass(frozen=True, slots=True)
class Advice:
    """The recommendations per knob, in the model's knob order, and the factors that are strengths."""

    recommendations: Mapping[str, tuple[Recommendation, ...]]
    strengths: tuple[str, ...]


def factor_ranking(model: Model, factors: Mapping[str, DimensionScore], high: float) -> list[str]:
    """Factor ids from most to least needed (see the module docstring)."""
    order = model.factor_order

    def need(fid: str) -> tuple[int, float, int]:
        s = factors.get(fid)
        if s is None or s.score is None:
            return (1, 0.0, order[fid])
        if s.band == "high":
            return (2, 0.0, order[fid])
        return (0, -(high - s.score), order[fid])

    return sorted((f.id for f in model.factors), key=need)


def _needed(factors: Mapping[str, DimensionScore], fid: str) -> bool:
    """True unless the factor scores ``high``: unscored factors are needed too."""
    s = factors.get(fid)
    return s is None or s.band != "high"


def _knob_advice(candidates: tuple[Intervention, ...], factors: Mapping[str, DimensionScore],
                 rank: Mapping[str, int], needed: frozenset[str], segments: frozenset[str],
                 paired: Mapping[str, str]) -> tuple[Recommendation, ...]:
    """Up to three recommendations among one knob's ``candidates`` (in catalog order) for ``needed``
    factors, and at least one. ``rank`` is each factor's place in the ranking; ``paired`` maps a
    backing intervention's id to the recommended intervention that pairs with it."""
    unranked = len(rank)  # the place of a factor the model does not have: after all of its own
    # Each intervention is for the most needed factor it addresses.
    factor_for = {iv.id: min(iv.addresses, key=lambda f: (rank.get(f, unranked), f)) for iv in candidates}

    def order(iv: Intervention) -> tuple[int, int, bool]:
        return (rank.get(factor_for[iv.id], unranked), -len(segments.intersection(iv.segments)), iv.id not in paired)

    # sorted() is stable, so catalog order settles the remaining ties.
    ranked = sorted(candidates, key=order)
    chosen = [iv for iv in ranked if factor_for[iv.id] in needed][:MAX_PER_KNOB] or ranked[:1]
    recommendations = []
    for iv in chosen:
        factor = factor_for[iv.id]
        s = factors.get(factor)
        reason = Reason(factor, s.band if s is not None else None, s.score if s is not None else None,
                        tuple(seg for seg in iv.segments if seg in segments), paired.get(iv.id))
        recommendations.append(Recommendation(iv, reason))
    return tuple(recommendations)


def advise(model: Model, catalog: Catalog, result: ScoreResult, high: float,
           segments: frozenset[str] = frozenset()) -> Advice:
    """Recommend 1-3 interventions per knob for ``result``; ``high`` is the questionnaire's cut-off."""
    factors = result.factors
    ranking = factor_ranking(model, factors, high)
    rank = {fid: i for i, fid in enumerate(ranking)}
    needed = frozenset(f for f in ranking if _needed(factors, f))
    recommendations: dict[str, tuple[Recommendation, ...]] = {}
    paired: dict[str, str] = {}
    # Backing comes last, so that it can favour the guidance that a recommended budget pairs with.
    for knob in sorted(model.knob_ids, key=lambda k: k == "backing"):
        recommendations[knob] = _knob_advice(catalog.for_knob(result.audience, knob), factors, rank, needed,
                                             segments, paired if knob == "backing" else {})
        for rec in recommendations[knob]:
            for other in rec.intervention.pairs_with:
                paired.setdefault(other, rec.intervention.id)
    strengths = tuple(f.id for f in model.factors if f.id not in needed)
    return Advice({k: recommendations[k] for k in model.knob_ids}, strengths)
