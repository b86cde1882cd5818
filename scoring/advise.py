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
from typing import NamedTuple

from .definitions import Catalog, Intervention, Model
from .score import DimensionScore, ScoreResult

MAX_PER_KNOB = 3


class Reason(NamedTuple):
    """Why an intervention is recommended (a named tuple: advice makes many of these, fast)."""

    factor: str
    band: str | None
    score: float | None
    segments: tuple[str, ...] = ()
    pairs_with: str | None = None


class Recommendation(NamedTuple):
    intervention: Intervention
    reason: Reason


_new = tuple.__new__


class Advice(NamedTuple):
    """The recommendations per knob, and the factors that are strengths (immutable, like ScoreResult)."""

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
    s = factors.get(fid)
    return s is None or s.band != "high"


class _Candidate(NamedTuple):
    rank: int  # of the factor it is for
    position: int  # in the catalog
    intervention: Intervention
    factor: str  # the most needed factor it addresses
    segments: frozenset[str]


class _Pool(NamedTuple):
    candidates: tuple[_Candidate, ...]
    segments: frozenset[str]  # every segment any candidate is for
    ids: frozenset[str]


def _candidates(catalog: Catalog, audience: str, knob: str, ranking: tuple[str, ...]) -> _Pool:
    """The knob's interventions for ``audience``, each with the factor it is for, ordered by that
    factor's need and then by catalog order. Depends only on the ranking (a few dozen possible), so
    it is computed once per ranking and remembered on the (immutable) catalog."""
    key = ("advice-candidates", audience, knob, ranking)
    found = catalog.memo.get(key)
    if found is None:
        rank = {fid: i for i, fid in enumerate(ranking)}
        unranked = len(rank)
        entries = []
        for iv in catalog.for_knob(audience, knob):
            primary_rank, primary = min((rank.get(f, unranked), f) for f in iv.addresses)
            entries.append(_Candidate(primary_rank, catalog.position[iv.id], iv, primary, frozenset(iv.segments)))
        found = catalog.memo[key] = _Pool(tuple(sorted(entries, key=lambda c: (c.rank, c.position))),
                                          frozenset().union(*(c.segments for c in entries)),
                                          frozenset(c.intervention.id for c in entries))
    return found


#: Bound on what advice remembers per catalog; in practice a few thousand choices occur.
_MEMO_MAX = 50_000


class _Choice(NamedTuple):
    intervention: Intervention
    factor: str  # the one it is recommended for
    segments: tuple[str, ...]  # the respondent's segments it is for, in the intervention's order


def _choose(catalog: Catalog, audience: str, knob: str, ranking: tuple[str, ...], needed: int,
            segments: frozenset[str], paired: Mapping[str, str]) -> tuple[_Choice, ...]:
    """Up to three candidates for a needed factor (at least one), with segment matches and pairing
    breaking ties between interventions for the same factor, each with the segments it matches.

    ``needed`` counts the factors at the head of ``ranking`` that are not ``high``. The choice
    depends only on the ranking, that count, and the segments and pairings that occur in the knob's
    pool, so it is remembered on the catalog under exactly those.
    """
    pool = _candidates(catalog, audience, knob, ranking)
    relevant_segments = segments & pool.segments if segments else segments
    relevant_pairs = pool.ids.intersection(paired) if paired else frozenset()
    key = ("advice-choice", audience, knob, ranking, needed, relevant_segments, relevant_pairs)
    memo = catalog.memo
    chosen = memo.get(key)
    if chosen is None:
        candidates = pool.candidates
        if relevant_segments or relevant_pairs:
            candidates = tuple(sorted(candidates, key=lambda c: (
                c.rank, -len(relevant_segments & c.segments), c.intervention.id not in relevant_pairs, c.position)))
        needed_factors = frozenset(ranking[:needed])
        best = tuple(c for c in candidates if c.factor in needed_factors)[:MAX_PER_KNOB] or candidates[:1]
        # The segments an intervention is for are all in the pool's, so matching the relevant ones
        # is matching the respondent's.
        chosen = tuple(_Choice(c.intervention, c.factor,
                               tuple(seg for seg in c.intervention.segments if seg in relevant_segments))
                       for c in best)
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[key] = chosen
    return chosen


def _knob_order(model: Model) -> tuple[str, ...]:
    """The knobs in the order advice visits them: backing last, so it can favour the guidance that
    a recommended budget pairs with (worked out once per model)."""
    order = model.memo.get("advice-knob-order")
    if order is None:
        order = model.memo["advice-knob-order"] = tuple(sorted(model.knob_ids, key=lambda k: k == "backing"))
    return order


class _Planned(NamedTuple):
    intervention: Intervention
    factor: str
    segments: tuple[str, ...]
    pairs_with: str | None


def _plan(model: Model, catalog: Catalog, audience: str, ranking: tuple[str, ...], needed: int,
          segments: frozenset[str]) -> tuple[tuple[tuple[str, tuple[_Planned, ...]], ...], tuple[str, ...]]:
    """Which interventions each knob recommends, for which factor, with which segments and pairing,
    and which factors are strengths: ((knob, planned), ...) in the model's knob order, and strengths.

    All of it follows from the ranking, how many factors are needed and the segments (not from the
    scores themselves), so it is worked out once per such combination and remembered on the catalog.
    """
    knob_ids = model.knob_ids
    key = ("advice-plan", audience, knob_ids, ranking, needed, segments)
    memo = catalog.memo
    found = memo.get(key)
    if found is None:
        planned: dict[str, tuple[_Planned, ...]] = {}
        paired: dict[str, str] = {}
        for knob in _knob_order(model):
            pairs = paired if knob == "backing" else {}
            planned[knob] = tuple(_Planned(iv, f, matched, pairs.get(iv.id))
                                  for iv, f, matched in _choose(catalog, audience, knob, ranking, needed, segments,
                                                                pairs))
            for p in planned[knob]:
                for other in p.intervention.pairs_with:
                    paired.setdefault(other, p.intervention.id)
        # Not needed means high: the strengths, in the model's factor order.
        high = frozenset(ranking[needed:])
        strengths = tuple(f.id for f in model.factors if f.id in high)
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        found = memo[key] = (tuple((k, planned[k]) for k in knob_ids), strengths)
    return found


def advise(model: Model, catalog: Catalog, result: ScoreResult, high: float,
           segments: frozenset[str] = frozenset()) -> Advice:
    """Recommend 1-3 interventions per knob for ``result``; ``high`` is the questionnaire's cut-off."""
    factors = result.factors
    ranking = tuple(factor_ranking(model, factors, high))
    # Factors that are not high come first in the ranking; how many there are says which are needed.
    needed = sum(1 for f in ranking if _needed(factors, f))
    plan, strengths = _plan(model, catalog, result.audience, ranking, needed, segments)
    recommendations = {}
    for knob, planned in plan:
        recs = []
        for iv, f, matched, pairs_with in planned:
            s = factors.get(f)
            band, value = (s.band, s.score) if s is not None else (None, None)
            # Recommendation(iv, Reason(factor, band, score, segments, pairs_with)), made as the named
            # tuples' own _make does (advice makes many, and their __new__ is a Python call each).
            recs.append(_new(Recommendation, (iv, _new(Reason, (f, band, value, matched, pairs_with)))))
        recommendations[knob] = tuple(recs)
    return Advice(recommendations, strengths)
