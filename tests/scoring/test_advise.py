"""The advice rules on the fixture catalog (tests/fixtures/defs/interventions.yaml), one rule at a time.

Worker interventions, in catalog order, as (knob, addresses, eligibility, preference, effort):

  w-dir-goals       direction [motivation]
  w-dir-future      direction [awareness, opportunities]
  w-dir-flex-info   direction [awareness]              prefers flex
  w-dir-money-info  direction [means]
  w-room-budget     room      [means]                                   pairs_with w-back-coach
  w-room-jobcraft   room      [opportunities]                 longer
  w-room-small-flex room      [means]                  prefers small_org, flex
  w-room-small      room      [means]                  prefers small_org  longer
  w-room-taster     room      [opportunities, motivation]
  w-back-talk       backing   [motivation, awareness]
  w-back-peer       backing   [means]
  w-back-coach      backing   [means]                                  longer
  w-back-network    backing   [opportunities]          prefers older
  w-room-time       room      [means]                  answers no_time   pairs_with w-back-peer
  w-back-agency     backing   [means, motivation]      for flex only
  w-back-manager    backing   [means, motivation]      not for flex

An intervention counts for the most needed factor it addresses. The order of the rules is in the
docstring of scoring/advise.py and in docs/advice.md.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from scoring import DimensionScore, ScoreResult, advise, evaluate, factor_ranking, load_definitions, result_dict
from scoring.advise import ANSWER, BAND, PAIRED, SIGNAL, STRENGTH, UNSCORED
from tests.scoring.conftest import FIXTURES

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
    return {knob: [r.intervention.id for r in recs] for knob, recs in advice.recommendations.items()}


def all_ids(advice) -> set[str]:
    return {i for ids in rec_ids(advice).values() for i in ids}


def run(defs, q, values, segments=(), answers=None, knobs=None, catalog=None):
    return advise(defs.model, catalog or defs.catalog, q, make_result(q, values, knobs), frozenset(segments),
                  answers)


def with_catalog(defs, **changes):
    """The fixture catalog with some interventions changed: ``id=dict(field=value)``."""
    entries = tuple(dataclasses.replace(iv, **changes.get(iv.id.replace("-", "_"), {}))
                    for iv in defs.catalog.interventions)
    return dataclasses.replace(defs.catalog, interventions=entries)


# --- need ranking ----------------------------------------------------------------------------------

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


def test_the_most_needed_factor_gets_its_steps_first(defs, mini):
    advice = run(defs, mini, scores(0, 90, 90, 100))  # only motivation is not high
    assert rec_ids(advice)["direction"] == ["w-dir-goals"]
    assert rec_ids(advice)["room"] == ["w-room-taster"]  # the taster is there for motivation, not opportunities
    assert [r.reason.factor for recs in advice.recommendations.values() for r in recs] == ["motivation"] * 4


def test_strengths_are_the_high_factors_in_model_order(defs, mini):
    def strengths(values):
        return run(defs, mini, values).strengths
    assert strengths(scores(0, 50, 90, 100)) == ("means", "opportunities")
    assert strengths(scores(100, 75, 74.9, None)) == ("motivation", "awareness")
    assert strengths(scores(10, 20, 30, 40)) == ()
    assert strengths(scores(100, 80, 76, 90)) == FACTORS


# --- eligibility -----------------------------------------------------------------------------------

def test_a_step_written_for_a_group_is_shown_only_inside_it(defs, mini):
    low = scores(0, 90, 0, 90)
    assert "w-back-agency" not in all_ids(run(defs, mini, low))
    assert "w-back-agency" in all_ids(run(defs, mini, low, {"flex"}))


def test_a_step_not_for_a_group_is_never_shown_to_it(defs, mini):
    low = scores(0, 90, 0, 90)
    assert "w-back-manager" in all_ids(run(defs, mini, low))
    assert "w-back-manager" not in all_ids(run(defs, mini, low, {"flex"}))
    assert "w-back-manager" not in all_ids(run(defs, mini, low, {"flex", "older"}))


def test_preference_segments_rank_but_never_exclude(defs, mini):
    values = scores(90, 0, 90, 90)  # awareness low: future and flex-info both address it
    assert rec_ids(run(defs, mini, values))["direction"] == ["w-dir-future", "w-dir-flex-info"]
    assert rec_ids(run(defs, mini, values, {"flex"}))["direction"] == ["w-dir-flex-info", "w-dir-future"]


def test_the_loader_refuses_an_entry_without_for(tmp_path):
    import shutil

    from scoring import DefinitionError

    folder = tmp_path / "defs"
    shutil.copytree(FIXTURES / "defs", folder)
    catalog = folder / "interventions.yaml"
    text = catalog.read_text()
    catalog.write_text(text.replace("    for: all\n", "", 1).replace("    for: [flex]\n", "    for: []\n", 1))
    with pytest.raises(DefinitionError) as error:
        load_definitions(folder)
    assert str(error.value).splitlines() == [
        "defs/interventions.yaml: interventions[0].for: "
        "is required: 'all', or the list of segments the text is written for",
        "defs/interventions.yaml: interventions[22].for: "
        "is required: 'all', or the list of segments the text is written for",
    ]


def test_every_knob_needs_a_step_for_everyone(tmp_path):
    import shutil

    from scoring import DefinitionError

    folder = tmp_path / "defs"
    shutil.copytree(FIXTURES / "defs", folder)
    catalog = folder / "interventions.yaml"
    # Every employer backing step becomes one for small organisations only.
    text = catalog.read_text()
    for entry in ("e-back-recognition", "e-back-coach", "e-back-talks", "e-back-guide"):
        head, _, tail = text.partition(f"  - id: {entry}\n")
        tail = tail.replace("    for: all\n", "    for: [small_org]\n", 1)
        text = f"{head}  - id: {entry}\n{tail}"
    catalog.write_text(text)
    with pytest.raises(DefinitionError) as error:
        load_definitions(folder)
    assert ("defs/interventions.yaml: interventions: the employer audience needs an intervention for "
            "everyone (for: all, no not_for) on knob 'backing'") in str(error.value).splitlines()


# --- priorities ------------------------------------------------------------------------------------

def test_direction_starts_with_awareness_when_it_is_not_high(defs, mini):
    # motivation is the most needed (0), awareness only medium (70): still, change starts with awareness.
    advice = run(defs, mini, scores(0, 70, 90, 90))
    direction = advice.recommendations["direction"]
    assert direction[0].intervention.id == "w-dir-future" and direction[0].reason.factor == "awareness"
    assert [r.intervention.id for r in direction] == ["w-dir-future", "w-dir-goals", "w-dir-flex-info"]
    # with awareness high, need alone decides
    assert rec_ids(run(defs, mini, scores(0, 90, 90, 90)))["direction"] == ["w-dir-goals"]


def test_the_lead_rule_comes_from_the_data(defs, mini):
    model = dataclasses.replace(defs.model, advice=dataclasses.replace(defs.model.advice, leads={}))
    advice = advise(model, defs.catalog, mini, make_result(mini, scores(0, 70, 90, 90)))
    assert rec_ids(advice)["direction"][0] == "w-dir-goals"


def test_small_steps_before_longer_routes_and_at_most_one_longer_route(defs, mini):
    # means low: budget, small-flex, small (longer) and time all address it; opportunities low: jobcraft (longer)
    advice = run(defs, mini, scores(90, 90, 0, 90))
    assert rec_ids(advice)["room"] == ["w-room-budget", "w-room-small-flex", "w-room-time"]
    catalog = with_catalog(defs, w_room_budget={"effort": "longer_route"},
                           w_room_small_flex={"effort": "longer_route"})
    room = rec_ids(run(defs, mini, scores(90, 90, 0, 90), catalog=catalog))["room"]
    assert room == ["w-room-time", "w-room-budget"]  # the small step first; one longer route, not two


def test_a_budget_step_brings_its_guidance_step(defs, mini):
    advice = run(defs, mini, scores(90, 90, 20, 90))
    assert "w-room-budget" in rec_ids(advice)["room"]
    coach = next(r for r in advice.recommendations["backing"] if r.intervention.id == "w-back-coach")
    assert (coach.reason.kind, coach.reason.pairs_with) == (PAIRED, "w-room-budget")
    # without the link, the coach (a longer route) is not there for means at all: the peer is
    unlinked = with_catalog(defs, w_room_budget={"pairs_with": ()})
    assert "w-back-coach" not in rec_ids(run(defs, mini, scores(90, 90, 20, 90), catalog=unlinked))["backing"]


# --- signals ---------------------------------------------------------------------------------------

MINI_ALL_HIGH = {"mot_1": 5, "mot_2": 1, "mot_3": 5, "bew_1": 5, "bew_2": 1, "mid_1": 5, "mid_2": 1, "mid_3": 5,
                 "mid_4": 5, "kan_1": 5, "kan_2": 5, "kan_3": 1}


def test_a_worker_who_lacks_time_gets_a_time_step(defs, profiles):
    # Every factor high, but "Ik heb tijd om te leren" answered 1: the signal brings the time step.
    answers = {**MINI_ALL_HIGH, "mid_1": 1}
    ev = evaluate(defs, "mini", answers, profiles["mini"])
    assert ev.result.factors["means"].band == "high"
    assert ev.advice.signals == (("no_time", "mid_1"),)
    time = next(r for r in ev.advice.recommendations["room"] if r.intervention.id == "w-room-time")
    assert (time.reason.kind, time.reason.signal, time.reason.item) == (SIGNAL, "no_time", "mid_1")
    reasons = {r["id"]: r["reason"] for recs in ev.to_dict(defs, "nl")["advice"].values() for r in recs}
    assert reasons["w-room-time"] == "Je gaf aan dat je geen tijd hebt."
    assert {r["id"]: r["reason"] for recs in ev.to_dict(defs, "en")["advice"].values()
            for r in recs}["w-room-time"] == "You said that you have no time."


def test_a_middling_answer_raises_no_signal(defs, profiles):
    ev = evaluate(defs, "mini", {**MINI_ALL_HIGH, "mid_1": 3}, profiles["mini"])
    assert ev.advice.signals == ()
    assert "w-room-time" not in all_ids(ev.advice)


def test_an_employer_with_budget_but_little_backing_gets_the_step_that_ties_them(defs, scan):
    knobs = {"direction": 90, "room": 60, "backing": 20}
    advice = run(defs, scan, scores(90, 90, 90, 90), knobs=knobs)
    assert advice.signals == (("budget_without_guidance", None),)
    first = advice.recommendations["backing"][0]
    assert (first.intervention.id, first.reason.kind) == ("e-back-guide", SIGNAL)
    assert "e-back-guide" not in all_ids(run(defs, scan, scores(90, 90, 90, 90),
                                             knobs={"direction": 90, "room": 20, "backing": 20}))


# --- the order the rules apply ---------------------------------------------------------------------

def test_need_comes_before_signals(defs, mini):
    # means high, motivation low, time lacking: the room knob starts with the step for motivation
    answers = {**MINI_ALL_HIGH, "mid_1": 1}
    advice = run(defs, mini, scores(0, 90, 90, 90), answers=answers)
    assert rec_ids(advice)["room"] == ["w-room-time", "w-room-taster"]  # the signal's step, then need ...
    catalog = with_catalog(defs, w_room_taster={"answers": ("no_time",)})
    # ... unless a step for the most needed factor answers the signal too: then it alone does both
    advice = run(defs, mini, scores(0, 90, 90, 90), answers=answers, catalog=catalog)
    assert rec_ids(advice)["room"] == ["w-room-taster"]


def test_signals_come_before_preference_segments_before_effort_before_catalog_order(defs, mini):
    values = scores(90, 90, 0, 90)
    answers = {"mid_1": 1}
    base = rec_ids(run(defs, mini, values, answers=answers))["room"]
    assert base[0] == "w-room-time"  # answers the raised signal
    segmented = rec_ids(run(defs, mini, values, {"small_org"}))["room"]
    assert segmented[:2] == ["w-room-small-flex", "w-room-small"]  # preference beats effort and catalog order
    plain = rec_ids(run(defs, mini, values))["room"]
    assert plain == ["w-room-budget", "w-room-small-flex", "w-room-time"]  # effort, then catalog order


# --- topics: what an answer and a step are about ---------------------------------------------------

def test_an_answer_is_the_reason_only_of_a_step_on_its_topic(defs, mini):
    # "Ik krijg nieuwe taken" (topic new_tasks) answered 1, opportunities low: the job-crafting step works
    # on new tasks, so it comes first (before the small taster step) and carries that answer.
    advice = run(defs, mini, scores(90, 90, 90, 0), answers={"kan_1": 1})
    reasons = {r.intervention.id: r.reason for recs in advice.recommendations.values() for r in recs}
    assert rec_ids(advice)["room"][0] == "w-room-jobcraft"
    assert (reasons["w-room-jobcraft"].kind, reasons["w-room-jobcraft"].item) == (ANSWER, "kan_1")
    assert [i for i, r in reasons.items() if r.item == "kan_1"] == ["w-room-jobcraft"]
    # without the topic the answer is nobody's reason: a band sentence instead
    untopical = with_catalog(defs, w_room_jobcraft={"topics": ()})
    advice = run(defs, mini, scores(90, 90, 90, 0), answers={"kan_1": 1}, catalog=untopical)
    assert all(r.reason.item != "kan_1" for recs in advice.recommendations.values() for r in recs)


def test_a_step_whose_topics_are_answered_high_is_not_recommended(defs, mini):
    # means low, but "Ik ken mijn opleidingsbudget" (topic budget) answered 4: the budget step is in place.
    values = scores(90, 90, 0, 90)
    assert "w-room-budget" in rec_ids(run(defs, mini, values, answers={"mid_3": 2}))["room"]
    assert "w-room-budget" in rec_ids(run(defs, mini, values, answers={"mid_3": 3}))["room"]  # says nothing
    assert "w-room-budget" not in all_ids(run(defs, mini, values, answers={"mid_3": 4}))
    assert "w-room-budget" not in all_ids(run(defs, mini, values, answers={"mid_3": 5}))


def test_a_knob_holds_no_two_steps_on_the_same_topics(defs, mini):
    values = scores(90, 90, 0, 90)
    assert rec_ids(run(defs, mini, values))["room"] == ["w-room-budget", "w-room-small-flex", "w-room-time"]
    both_budget = with_catalog(defs, w_room_small_flex={"topics": ("budget",)})
    room = rec_ids(run(defs, mini, values, catalog=both_budget))["room"]
    assert "w-room-small-flex" not in room and room[0] == "w-room-budget"


# --- steps for the respondent's own group ---------------------------------------------------------

def test_a_step_written_for_the_persons_group_comes_right_after_the_lead(defs, mini):
    # motivation most needed, awareness medium (the lead), means low; money-info now written for flex only
    values = scores(0, 70, 40, 90)
    catalog = with_catalog(defs, w_dir_money_info={"for_segments": ("flex",)})
    assert rec_ids(run(defs, mini, values, catalog=catalog))["direction"] == [
        "w-dir-future", "w-dir-goals", "w-dir-flex-info"]
    assert rec_ids(run(defs, mini, values, {"flex"}, catalog=catalog))["direction"] == [
        "w-dir-flex-info", "w-dir-money-info", "w-dir-goals"]
    # the rule is data: without it, need alone decides after the lead (motivation 0 before means 40)
    model = dataclasses.replace(defs.model, advice=dataclasses.replace(defs.model.advice, group_steps_per_knob=0))
    advice = advise(model, catalog, mini, make_result(mini, values), frozenset({"flex"}))
    assert rec_ids(advice)["direction"] == ["w-dir-flex-info", "w-dir-goals", "w-dir-money-info"]


def test_a_step_for_the_persons_group_answers_a_signal_before_a_general_one(defs, mini):
    # w-room-small, now for flex workers and answering no_time, is a longer route: by effort alone the
    # general small time step would answer the signal.
    catalog = with_catalog(defs, w_room_small={"for_segments": ("flex",), "answers": ("no_time",), "segments": ()})
    answers = {**MINI_ALL_HIGH, "mid_1": 1}
    flex = run(defs, mini, scores(90, 90, 60, 90), {"flex"}, answers=answers, catalog=catalog)
    assert (flex.recommendations["room"][0].intervention.id, flex.recommendations["room"][0].reason.kind) == (
        "w-room-small", SIGNAL)
    other = run(defs, mini, scores(90, 90, 60, 90), answers=answers, catalog=catalog)
    assert other.recommendations["room"][0].intervention.id == "w-room-time"


# --- reasons ---------------------------------------------------------------------------------------

def test_reasons_say_what_triggered_them(defs, mini):
    # bew_1 answered 1 (keyed 1): its own sentence; awareness is low (0)
    answers = {"bew_1": 1, "bew_2": 5, "kan_1": 1, "kan_2": 1, "kan_3": 5}
    advice = run(defs, mini, scores(90, 0, 90, 0), answers=answers)
    out = result_dict(defs.model, mini, make_result(mini, scores(90, 0, 90, 0)), advice, "nl")
    reasons = {r["id"]: r["reason"] for recs in out["advice"].values() for r in recs}
    kinds = {r.intervention.id: r.reason.kind for recs in advice.recommendations.values() for r in recs}
    assert reasons["w-dir-future"] == "Je weet niet goed hoe je werk verandert."
    assert kinds["w-dir-future"] == ANSWER
    assert {kinds[i] for i in reasons} <= {ANSWER, BAND}
    assert "Je awareness is laag (0)." in reasons.values()


def test_no_reason_is_used_twice_even_for_one_weak_factor(defs, mini):
    advice = run(defs, mini, scores(0, 90, 90, 90))
    out = result_dict(defs.model, mini, make_result(mini, scores(0, 90, 90, 90)), advice, "nl")
    reasons = [r["reason"] for recs in out["advice"].values() for r in recs]
    assert len(reasons) == len(set(reasons)) == 4
    assert reasons[:2] == ["Je motivation is laag (0).", "Je motivation vraagt aandacht."]


def test_unscored_and_strength_reasons(defs, mini):
    advice = run(defs, mini, scores(90, None, 90, 90))
    kinds = [r.reason.kind for recs in advice.recommendations.values() for r in recs]
    assert kinds[0] == UNSCORED
    all_high = run(defs, mini, scores(100, 90, 80, 100))
    assert all(r.reason.kind in (STRENGTH, "build") for recs in all_high.recommendations.values() for r in recs)
    out = result_dict(defs.model, mini, make_result(mini, scores(100, 90, 80, 100)), all_high, "nl")
    assert out["advice"]["direction"][0]["reason"] == "Bouw verder op je sterke punt Motivatie."


def test_a_paired_reason_names_the_budget_step(defs, mini):
    result = make_result(mini, scores(90, 90, 20, 90))
    advice = advise(defs.model, defs.catalog, mini, result)
    nl = {r["id"]: r["reason"] for r in result_dict(defs.model, mini, result, advice, "nl")["advice"]["backing"]}
    en = {r["id"]: r["reason"] for r in result_dict(defs.model, mini, result, advice, "en")["advice"]["backing"]}
    assert nl["w-back-coach"] == "Dit hoort bij 'Vraag een leerbudget aan'."
    assert en["w-back-coach"] == "This goes with 'Apply for a learning budget'."


# --- audience and the result object ----------------------------------------------------------------

def test_advice_is_only_for_the_respondents_audience(defs, mini, scan):
    worker = run(defs, mini, scores(0, 0, 0, 0))
    employer = run(defs, scan, scores(0, 0, 0, 0))
    assert all(i.startswith("w-") for i in all_ids(worker))
    assert all(i.startswith("e-") for i in all_ids(employer))


REC_KEYS = {"id", "title", "text", "knob", "addresses", "reason", "effort"}


def test_worker_result_dict_shape(defs):
    answers = {"mot_1": 1, "mot_2": 5, "bew_1": 3, "mid_1": 5, "mid_2": 1, "kan_1": 5, "kan_2": 5}
    ev = evaluate(defs, "mini", answers, {"sector": "zorg", "contract": "vast", "age_band": "lt25"})
    out = ev.to_dict(defs, "nl")
    assert list(out) == ["questionnaire", "factors", "advice", "strengths"]  # no knobs for workers
    assert out["questionnaire"] == {"slug": "mini", "version": "0.3.0"}
    assert out["factors"]["motivation"] == {"score": 0.0, "band": "low", "answered": 2, "items": 3}
    for knob, recs in out["advice"].items():
        assert 1 <= len(recs) <= 3
        for rec in recs:
            assert set(rec) == REC_KEYS and rec["knob"] == knob
    assert out["strengths"] == ["means", "opportunities"]
    assert json.loads(json.dumps(out)) == out


def test_employer_result_dict(defs):
    answers = {"sc_1": 4, "sc_2": 3, "sc_3": 2, "sc_4": 1, "sc_5": 2, "sc_6": None, "sc_7": 4, "sc_8": 1, "sc_9": 2}
    ev = evaluate(defs, "scan", answers, {"sector": "zorg", "org_size": "large"})
    out = result_dict(defs.model, defs.questionnaires["scan"], ev.result, ev.advice, "nl")
    assert list(out) == ["questionnaire", "factors", "knobs", "advice", "strengths"]
    assert out["questionnaire"] == {"slug": "scan", "version": "2.1.0"}
    assert out["factors"]["means"] == {"score": pytest.approx(50 / 3), "band": "low", "answered": 2, "items": 3}
    assert list(out["knobs"]) == ["direction", "room", "backing"]
    assert out["strengths"] == ["motivation", "awareness"]
    reasons = [r["reason"] for recs in out["advice"].values() for r in recs]
    assert len(reasons) == len(set(reasons))
