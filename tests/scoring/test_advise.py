"""Advice order tables on the fixture catalog (tests/fixtures/defs/interventions.yaml).

Worker interventions, in catalog order, as (knob, addresses, segments):

  w-dir-goals       direction [motivation]
  w-dir-future      direction [awareness, opportunities]
  w-dir-flex-info   direction [awareness]              {flex}
  w-dir-money-info  direction [means]
  w-room-budget     room      [means]                  pairs_with w-back-coach
  w-room-jobcraft   room      [opportunities]
  w-room-small-flex room      [means]                  {small_org, flex}
  w-room-small      room      [means]                  {small_org}
  w-room-taster     room      [opportunities, motivation]
  w-back-talk       backing   [motivation, awareness]
  w-back-peer       backing   [means]
  w-back-coach      backing   [means]
  w-back-network    backing   [opportunities]          {older}

An intervention counts for the most needed factor it addresses (its "primary" factor).
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from scoring import DimensionScore, ScoreResult, advise, evaluate, factor_ranking, result_dict
from scoring.advise import MAX_PER_KNOB

FACTORS = ("motivation", "awareness", "means", "opportunities")


def make_result(q, factors: dict[str, float | None], knobs: dict[str, float | None] | None = None):
    """A ScoreResult for questionnaire ``q`` with the given scores; bands from q's cut-offs."""
    def dims(scores):
        band = q.scoring.band
        return {d: DimensionScore(s, None if s is None else band(s), int(s is not None), 2)
                for d, s in scores.items()}
    return ScoreResult(q.slug, q.version, q.audience, dims(factors), dims(knobs or {}))


def scores(mot, aw, means, opp) -> dict[str, float | None]:
    return dict(zip(FACTORS, (mot, aw, means, opp), strict=True))


def rec_ids(advice) -> dict[str, list[str]]:
    return {knob: [r.intervention.id for r in recs]
            for knob, recs in advice.recommendations.items()}


# --- factor ranking ------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "expected"), [
    (scores(0, 50, 90, 100), ["motivation", "awareness", "means", "opportunities"]),
    # how far below the high cut-off (75): awareness 65, means 35, motivation 15, opportunities 5
    (scores(60, 10, 40, 70), ["awareness", "means", "motivation", "opportunities"]),
    # unscored factors after the scored, not-high ones; high factors last
    (scores(100, 74, None, 80), ["awareness", "means", "motivation", "opportunities"]),
    (scores(None, 90, 20, None), ["means", "motivation", "opportunities", "awareness"]),
    # equal need: model order
    (scores(30, 30, 30, 30), list(FACTORS)),
    (scores(100, 80, 76, 90), list(FACTORS)),  # all high: model order, not score order
])
def test_factor_ranking(defs, mini, values, expected):
    result = make_result(mini, values)
    assert factor_ranking(defs.model, result.factors, mini.scoring.high) == expected


def test_a_factor_without_any_score_ranks_as_unscored(defs, mini):
    result = make_result(mini, {"motivation": 100, "awareness": 10, "opportunities": 60})
    assert factor_ranking(defs.model, result.factors, 75) == [
        "awareness", "opportunities", "means", "motivation"]


# --- which interventions, in which order ---------------------------------------------------------

WORKER_CASES = {
    "weakest_first": (
        scores(0, 50, 90, 100), set(),
        {"direction": ["w-dir-goals", "w-dir-future", "w-dir-flex-info"],
         "room": ["w-room-taster"],  # the only room intervention for a factor that is not high
         "backing": ["w-back-talk"]},
    ),
    "segment_first_among_equal_factor_rank": (
        scores(0, 50, 90, 100), {"flex"},
        {"direction": ["w-dir-goals", "w-dir-flex-info", "w-dir-future"],
         "room": ["w-room-taster"],
         "backing": ["w-back-talk"]},
    ),
    "distance_below_high_and_at_most_three": (
        scores(60, 10, 40, 70), set(),
        {"direction": ["w-dir-future", "w-dir-flex-info", "w-dir-money-info"],
         "room": ["w-room-budget", "w-room-small-flex", "w-room-small"],
         "backing": ["w-back-talk", "w-back-coach", "w-back-peer"]},
    ),
    "pairing_prefers_the_coach_of_the_budget": (
        scores(100, 100, 20, 100), set(),
        {"direction": ["w-dir-money-info"],
         "room": ["w-room-budget", "w-room-small-flex", "w-room-small"],
         "backing": ["w-back-coach", "w-back-peer"]},
    ),
    "one_segment_match_ties_by_catalog_order": (
        scores(100, 100, 20, 100), {"small_org"},
        {"direction": ["w-dir-money-info"],
         "room": ["w-room-small-flex", "w-room-small", "w-room-budget"],
         "backing": ["w-back-coach", "w-back-peer"]},
    ),
    "more_segment_matches_first": (
        scores(100, 100, 20, 100), {"small_org", "flex"},
        {"direction": ["w-dir-money-info"],
         "room": ["w-room-small-flex", "w-room-small", "w-room-budget"],
         "backing": ["w-back-coach", "w-back-peer"]},
    ),
    "other_segment_match": (
        scores(100, 100, 20, 100), {"flex"},
        {"direction": ["w-dir-money-info"],
         "room": ["w-room-small-flex", "w-room-budget", "w-room-small"],
         "backing": ["w-back-coach", "w-back-peer"]},
    ),
    "unscored_factors_after_scored_needs": (
        scores(55, None, None, 90), set(),
        {"direction": ["w-dir-goals", "w-dir-future", "w-dir-flex-info"],
         "room": ["w-room-taster", "w-room-budget", "w-room-small-flex"],
         "backing": ["w-back-talk", "w-back-coach", "w-back-peer"]},
    ),
    "equal_scores_follow_model_order": (
        scores(30, 30, 30, 30), set(),
        {"direction": ["w-dir-goals", "w-dir-future", "w-dir-flex-info"],
         "room": ["w-room-taster", "w-room-budget", "w-room-small-flex"],
         "backing": ["w-back-talk", "w-back-coach", "w-back-peer"]},
    ),
    "all_high_still_one_per_knob": (
        scores(100, 80, 76, 90), set(),
        {"direction": ["w-dir-goals"], "room": ["w-room-taster"], "backing": ["w-back-talk"]},
    ),
    "segment_does_not_beat_factor_rank": (
        scores(100, 100, 100, 100), {"older"},
        {"direction": ["w-dir-goals"], "room": ["w-room-taster"], "backing": ["w-back-talk"]},
    ),
}


@pytest.mark.parametrize(("values", "segments", "expected"), list(WORKER_CASES.values()),
                         ids=list(WORKER_CASES))
def test_worker_advice_order(defs, mini, values, segments, expected):
    advice = advise(defs.model, defs.catalog, make_result(mini, values), mini.scoring.high,
                    frozenset(segments))
    assert rec_ids(advice) == expected
    assert list(advice.recommendations) == ["direction", "room", "backing"]
    for knob, recs in advice.recommendations.items():
        assert 1 <= len(recs) <= MAX_PER_KNOB
        assert all(r.intervention.knob == knob for r in recs)
        assert all(r.intervention.audience == "worker" for r in recs)


def test_strengths_are_the_high_factors_in_model_order(defs, mini):
    def strengths(values):
        return advise(defs.model, defs.catalog, make_result(mini, values), 75).strengths
    assert strengths(scores(0, 50, 90, 100)) == ("means", "opportunities")
    assert strengths(scores(100, 75, 74.9, None)) == ("motivation", "awareness")
    assert strengths(scores(10, 20, 30, 40)) == ()
    assert strengths(scores(100, 80, 76, 90)) == FACTORS


def test_reasons_carry_factor_band_score_and_segments(defs, mini):
    advice = advise(defs.model, defs.catalog, make_result(mini, scores(0, 50, 90, 100)), 75,
                    frozenset({"flex", "older"}))
    reasons = {r.intervention.id: r.reason
               for recs in advice.recommendations.values() for r in recs}
    assert reasons["w-dir-goals"].factor == "motivation"
    assert (reasons["w-dir-goals"].band, reasons["w-dir-goals"].score) == ("low", 0)
    assert reasons["w-dir-goals"].segments == () and reasons["w-dir-goals"].pairs_with is None
    flex = reasons["w-dir-flex-info"]
    assert (flex.factor, flex.band) == ("awareness", "medium")
    assert flex.segments == ("flex",)
    # the taster addresses opportunities (high) and motivation (low): it is there for motivation
    assert reasons["w-room-taster"].factor == "motivation"


def test_pairing_is_the_reason_the_coach_comes_first(defs, mini):
    result = make_result(mini, scores(100, 100, 20, 100))
    paired = advise(defs.model, defs.catalog, result, 75)
    coach = paired.recommendations["backing"][0]
    assert coach.intervention.id == "w-back-coach"
    assert coach.reason.pairs_with == "w-room-budget"
    assert paired.recommendations["backing"][1].reason.pairs_with is None
    # the same catalog without the pairs_with link: catalog order puts the peer first again
    unlinked = tuple(dataclasses.replace(iv, pairs_with=()) for iv in defs.catalog.interventions)
    catalog = dataclasses.replace(defs.catalog, interventions=unlinked)
    plain = advise(defs.model, catalog, result, 75)
    assert rec_ids(plain)["backing"] == ["w-back-peer", "w-back-coach"]
    assert all(r.reason.pairs_with is None for r in plain.recommendations["backing"])


def test_advice_is_only_for_the_respondents_audience(defs, mini, scan):
    worker = advise(defs.model, defs.catalog, make_result(mini, scores(0, 0, 0, 0)), 75)
    employer = advise(defs.model, defs.catalog, make_result(scan, scores(0, 0, 0, 0)), 80)
    assert all(i.startswith("w-") for ids in rec_ids(worker).values() for i in ids)
    assert all(i.startswith("e-") for ids in rec_ids(employer).values() for i in ids)
    # e-dir-vision is first in the catalog and addresses motivation, the first factor
    assert rec_ids(employer)["direction"] == ["e-dir-vision", "e-dir-news"]


def test_a_knob_without_candidates_stays_empty(defs, mini):
    # The catalog, not the engine, guarantees a recommendation per knob (tests/questionnaires).
    only_direction = tuple(iv for iv in defs.catalog.interventions if iv.knob == "direction")
    catalog = dataclasses.replace(defs.catalog, interventions=only_direction)
    advice = advise(defs.model, catalog, make_result(mini, scores(0, 0, 0, 0)), 75)
    assert advice.recommendations["room"] == () and advice.recommendations["backing"] == ()


# --- employer scan, end to end -------------------------------------------------------------------

SCAN_ANSWERS = {"sc_1": 4, "sc_2": 3, "sc_3": 2, "sc_4": 1, "sc_5": 2, "sc_6": None, "sc_7": 4,
                "sc_8": 1, "sc_9": 2}
# factors: motivation 100 (high), awareness 83.3 (high), means 16.7 (low), opportunities 50 (medium)


@pytest.mark.parametrize(("org_size", "room"), [
    ("large", ["e-room-budget", "e-room-hours", "e-room-rotation"]),
    ("small", ["e-room-hours", "e-room-budget", "e-room-rotation"]),
])
def test_employer_advice(defs, org_size, room):
    ev = evaluate(defs, "scan", SCAN_ANSWERS, {"sector": "zorg", "org_size": org_size})
    assert rec_ids(ev.advice) == {
        "direction": ["e-dir-news"],
        "room": room,
        "backing": ["e-back-coach", "e-back-talks"],
    }
    assert ev.advice.strengths == ("motivation", "awareness")


def test_employer_result_dict(defs):
    ev = evaluate(defs, "scan", SCAN_ANSWERS, {"sector": "zorg", "org_size": "large"})
    out = result_dict(defs.model, ev.result, ev.advice, "nl")
    assert list(out) == ["questionnaire", "factors", "knobs", "advice", "strengths"]
    assert out["questionnaire"] == {"slug": "scan", "version": "2.1.0"}
    assert out["factors"]["means"] == {"score": pytest.approx(50 / 3), "band": "low", "answered": 2,
                                       "items": 3}
    assert list(out["knobs"]) == ["direction", "room", "backing"]
    assert out["knobs"]["room"] == {"score": pytest.approx(50 / 3), "band": "low", "answered": 2,
                                    "items": 3}
    assert out["knobs"]["direction"]["band"] == "medium"
    reasons = {r["id"]: r["reason"] for recs in out["advice"].values() for r in recs}
    assert reasons["e-dir-news"] == (
        "Omdat de score van uw organisatie op Kansen gemiddeld is (50 van 100).")
    assert reasons["e-back-coach"] == (
        "Omdat de score van uw organisatie op Middelen laag is (17 van 100). "
        "Dit hoort bij 'Zet een leerbudget op'.")
    en = result_dict(defs.model, ev.result, ev.advice, "en")
    reasons_en = {r["id"]: r["reason"] for recs in en["advice"].values() for r in recs}
    assert reasons_en["e-back-coach"] == (
        "Because your organisation's score on Means is low (17 out of 100). "
        "This goes with 'Set up a learning budget'.")
    assert en["advice"]["backing"][0]["title"] == "Offer coaching"
    assert out["strengths"] == ["motivation", "awareness"]


def test_employer_strength_reason(defs, scan):
    result = make_result(scan, scores(100, 100, 100, 100))
    out = result_dict(defs.model, result, advise(defs.model, defs.catalog, result, 80), "nl")
    # e-dir-vision addresses awareness and motivation; with all factors high, the first in
    # model order (motivation) is the one it builds on
    assert [(r["id"], r["reason"]) for r in out["advice"]["direction"]] == [
        ("e-dir-vision", "Bouw verder op het sterke punt Motivatie van uw organisatie.")]


def reasons(out: dict) -> dict[str, list[tuple[str, str]]]:
    """(id, reason) per knob from a result dict."""
    return {knob: [(r["id"], r["reason"]) for r in recs] for knob, recs in out["advice"].items()}


# --- worker result dict, both languages ----------------------------------------------------------

REC_KEYS = {"id", "title", "text", "knob", "addresses", "reason"}
# DESIGN.md lists these six; result.render_recommendation adds "effort" (small_step/longer_route).
REC_EXTRA = {"effort"}


def test_worker_result_dict_shape(defs):
    answers = {"mot_1": 1, "mot_2": 5, "bew_1": 3, "mid_1": 5, "mid_2": 1, "kan_1": 5, "kan_2": 5}
    ev = evaluate(defs, "mini", answers, {"sector": "zorg", "contract": "vast", "age_band": "lt25"})
    out = ev.to_dict(defs, "nl")
    assert list(out) == ["questionnaire", "factors", "advice", "strengths"]  # no knobs for workers
    assert out["questionnaire"] == {"slug": "mini", "version": "0.3.0"}
    assert list(out["factors"]) == list(FACTORS)
    for figure in out["factors"].values():
        assert set(figure) == {"score", "band", "answered", "items"}
    assert out["factors"]["motivation"] == {"score": 0.0, "band": "low", "answered": 2, "items": 3}
    assert list(out["advice"]) == ["direction", "room", "backing"]
    for knob, recs in out["advice"].items():
        assert 1 <= len(recs) <= 3
        for rec in recs:
            assert set(rec) == REC_KEYS | REC_EXTRA
            assert rec["knob"] == knob and isinstance(rec["addresses"], list)
    assert out["strengths"] == ["means", "opportunities"]
    assert json.loads(json.dumps(out)) == out


def test_reasons_are_rendered_in_dutch_and_english(defs):
    # motivation 0 (low), awareness unscored, means 20 (low), opportunities 100 (high);
    # respondent is a flexible worker at a small organisation
    answers = {"mot_1": 1, "mot_2": 5, "mid_1": 2, "mid_2": 5, "mid_3": 1, "mid_4": None,
               "kan_1": 5, "kan_2": 5, "kan_3": 1}
    profile = {"sector": "techniek", "contract": "flex", "age_band": "lt25", "org_size": "small"}
    ev = evaluate(defs, "mini", answers, profile)
    assert ev.result.factors["means"].score == pytest.approx(25 / 3)
    nl = ev.to_dict(defs, "nl")
    en = ev.to_dict(defs, "en")


    assert reasons(nl) == {
        "direction": [
            ("w-dir-goals", "Omdat je score op Motivatie laag is (0 van 100)."),
            ("w-dir-money-info", "Omdat je score op Middelen laag is (8 van 100)."),
            ("w-dir-flex-info",
             "Er waren te weinig antwoorden over Bewustzijn. Dit past bij flexwerkers."),
        ],
        "room": [
            ("w-room-taster", "Omdat je score op Motivatie laag is (0 van 100)."),
            ("w-room-small-flex", "Omdat je score op Middelen laag is (8 van 100). "
                                  "Dit past bij kleine organisaties en flexwerkers."),
            ("w-room-small", "Omdat je score op Middelen laag is (8 van 100). "
                             "Dit past bij kleine organisaties."),
        ],
        # the budget is not among the three room picks here, so the coach is not preferred
        "backing": [
            ("w-back-talk", "Omdat je score op Motivatie laag is (0 van 100)."),
            ("w-back-peer", "Omdat je score op Middelen laag is (8 van 100)."),
            ("w-back-coach", "Omdat je score op Middelen laag is (8 van 100)."),
        ],
    }
    assert reasons(en)["room"][1] == (
        "w-room-small-flex",
        "Because your score on Means is low (8 out of 100). This suits small organisations and "
        "flexible workers.")
    assert reasons(en)["direction"][2] == (
        "w-dir-flex-info",
        "There were too few answers about Awareness. This suits flexible workers.")
    assert [r["title"] for r in en["advice"]["backing"]] == [
        "Talk about your work", "Learn with a colleague", "Get a career coach"]
    assert nl["strengths"] == en["strengths"] == ["opportunities"]


def test_paired_reason_names_the_budget_title(defs, mini):
    result = make_result(mini, scores(100, 100, 20, 100))
    advice = advise(defs.model, defs.catalog, result, 75)
    nl = result_dict(defs.model, result, advice, "nl")["advice"]["backing"][0]
    en = result_dict(defs.model, result, advice, "en")["advice"]["backing"][0]
    assert nl["id"] == en["id"] == "w-back-coach"
    assert nl["reason"] == ("Omdat je score op Middelen laag is (20 van 100). "
                            "Dit hoort bij 'Vraag een leerbudget aan'.")
    assert en["reason"] == ("Because your score on Means is low (20 out of 100). "
                            "This goes with 'Apply for a learning budget'.")


def test_all_high_gives_strength_reasons(defs, mini):
    result = make_result(mini, scores(100, 90, 80, 100))
    advice = advise(defs.model, defs.catalog, result, 75)
    out = result_dict(defs.model, result, advice, "nl")
    assert reasons(out) == {
        "direction": [("w-dir-goals", "Bouw verder op je sterke punt Motivatie.")],
        "room": [("w-room-taster", "Bouw verder op je sterke punt Motivatie.")],
        "backing": [("w-back-talk", "Bouw verder op je sterke punt Motivatie.")],
    }
    assert out["strengths"] == list(FACTORS)
    en = result_dict(defs.model, result, advice, "en")
    assert en["advice"]["room"][0]["reason"] == "Build on your strength Motivation."


def test_results_that_rank_alike_get_the_same_interventions_with_their_own_scores(defs, mini):
    """The choice of interventions follows the ranking; the reasons carry each result's own scores
    and bands."""
    first = advise(defs.model, defs.catalog, make_result(mini, scores(10, 30, 50, 90)), 75)
    second = advise(defs.model, defs.catalog, make_result(mini, scores(20, 40, 60, 95)), 75)
    assert rec_ids(first) == rec_ids(second)
    for advice, expected in ((first, {"motivation": 10, "awareness": 30, "means": 50}),
                             (second, {"motivation": 20, "awareness": 40, "means": 60})):
        for recs in advice.recommendations.values():
            for rec in recs:
                assert rec.reason.score == expected[rec.reason.factor]
                assert rec.reason.band == mini.scoring.band(rec.reason.score)
    assert first.strengths == second.strengths == ("opportunities",)
