"""Scoring tables, hand-computed from tests/fixtures/defs.

mini (worker): scale 1..5, so a keyed mean m maps to (m - 1) / 4 * 100; reverse items are
mot_2, bew_2, mid_2, kan_3 (x' = 6 - x); threshold 0.5; cut-offs 50 (medium) and 75 (high).
scan (employer): scale 1..4, (m - 1) / 3 * 100; reverse items sc_3, sc_6, sc_8 (x' = 5 - x);
threshold 0.5; cut-offs 50 and 80.
"""

from __future__ import annotations

import dataclasses

import pytest

import scoring
from scoring import DimensionScore, InputError, ScoreResult, evaluate, score, validate_submission
from scoring.definitions import Item, ScoringRules, Text
from scoring.score import check_answers, check_profile, keyed_value

D = DimensionScore


def dim(value: float | None, band: str | None, answered: int, items: int) -> DimensionScore:
    """An expected DimensionScore; the score is compared approximately."""
    return D(None if value is None else pytest.approx(value, abs=1e-9), band, answered, items)


# --- reverse keying ------------------------------------------------------------------------------

ITEM = Item("x", Text("x", "x"), "motivation")
REVERSED = Item("y", Text("y", "y"), "motivation", reverse=True)


@pytest.mark.parametrize(("item", "value", "low", "high", "expected"), [
    (ITEM, 2, 1, 5, 2),
    (REVERSED, 1, 1, 5, 5),
    (REVERSED, 2, 1, 5, 4),
    (REVERSED, 3, 1, 5, 3),
    (REVERSED, 5, 1, 5, 1),
    (REVERSED, 1, 1, 4, 4),
    (REVERSED, 3, 1, 4, 2),
    (REVERSED, 0, 0, 10, 10),
    (REVERSED, 7, 0, 10, 3),
])
def test_reverse_keying_uses_the_theoretical_range(item, value, low, high, expected):
    assert keyed_value(item, value, low, high) == expected


def test_reverse_keying_of_a_single_answer_from_the_package(mini):
    # What app code calls for one stored answer: the questionnaire's own scale, its own items.
    low, high = mini.scale.min, mini.scale.max
    assert scoring.keyed_value(mini.item_map["mot_2"], 5, low, high) == 1  # reverse-keyed
    assert scoring.keyed_value(mini.item_map["mot_1"], 5, low, high) == 5


def test_reverse_keying_ignores_the_observed_range(mini, factor_ids):
    # Only 4s and 5s are given; a reversed 5 is still 1 (theoretical 1..5), not 4 (observed 4..5).
    result = score(mini, {"mot_1": 5, "mot_2": 5, "mot_3": 4}, factor_ids)
    # keyed 5, 1, 4 -> mean 10/3 -> (10/3 - 1) / 4 * 100 = 58.33
    assert result.factors["motivation"] == dim(175 / 3, "medium", 3, 3)


# --- factor scores on the worker questionnaire ---------------------------------------------------

MINI_CASES = [
    # (answers, factor, expected (score, band, answered, items))
    ({"mot_1": 5, "mot_2": 1, "mot_3": 5}, "motivation", (100, "high", 3, 3)),
    ({"mot_1": 4, "mot_2": 2, "mot_3": None}, "motivation", (75, "high", 2, 3)),  # exactly 75
    ({"mot_1": 4, "mot_2": 3, "mot_3": 4}, "motivation", (200 / 3, "medium", 3, 3)),  # 11/3
    ({"mot_1": 3, "mot_2": 3, "mot_3": 2}, "motivation", (125 / 3, "low", 3, 3)),  # 8/3
    ({"mot_1": 5, "mot_2": 5, "mot_3": 1}, "motivation", (100 / 3, "low", 3, 3)),  # 5, 1, 1
    ({"mot_1": 2, "mot_2": 4}, "motivation", (25, "low", 2, 3)),  # reversed 4 -> 2
    ({"mot_1": 1, "mot_2": 5}, "motivation", (0, "low", 2, 3)),
    ({"mot_1": 5}, "motivation", (None, None, 1, 3)),  # 1 of 3 < half
    ({"mot_2": 1, "mot_3": None}, "motivation", (None, None, 1, 3)),  # None is missing
    ({}, "motivation", (None, None, 0, 3)),
    ({"bew_1": 3}, "awareness", (50, "medium", 1, 2)),  # exactly half answered, exactly 50
    ({"bew_2": 4}, "awareness", (25, "low", 1, 2)),
    ({"bew_1": None, "bew_2": None}, "awareness", (None, None, 0, 2)),
    ({"bew_1": 5, "bew_2": 2}, "awareness", (87.5, "high", 2, 2)),
    ({"bew_1": 4, "bew_2": 5}, "awareness", (37.5, "low", 2, 2)),
    ({"mid_1": 2, "mid_2": 4, "mid_3": None}, "means", (25, "low", 2, 4)),  # exactly half
    ({"mid_1": 5, "mid_3": None}, "means", (None, None, 1, 4)),  # below half
    ({"mid_1": 4, "mid_2": 1, "mid_3": 4, "mid_4": 5}, "means", (87.5, "high", 4, 4)),
    ({"mid_1": 3, "mid_2": 3, "mid_3": 3, "mid_4": 2}, "means", (43.75, "low", 4, 4)),
    ({"mid_1": 3, "mid_2": 3, "mid_3": 3, "mid_4": 3}, "means", (50, "medium", 4, 4)),
    ({"mid_1": 4, "mid_2": 2, "mid_3": 4, "mid_4": 3}, "means", (68.75, "medium", 4, 4)),
    ({"mid_1": 4, "mid_2": 2, "mid_3": 4, "mid_4": 4}, "means", (75, "high", 4, 4)),
    ({"kan_1": 1, "kan_2": 2, "kan_3": 3}, "opportunities", (25, "low", 3, 3)),
    ({"kan_1": 5, "kan_3": 2}, "opportunities", (87.5, "high", 2, 3)),
    ({"kan_3": 1}, "opportunities", (None, None, 1, 3)),
]


@pytest.mark.parametrize(("answers", "factor", "expected"), MINI_CASES)
def test_factor_score(mini, factor_ids, answers, factor, expected):
    result = score(mini, answers, factor_ids)
    assert result.factors[factor] == dim(*expected)


def test_full_response_scores_every_factor(mini, factor_ids):
    answers = {"mot_1": 4, "mot_2": 2, "mot_3": 5, "bew_1": 2, "bew_2": None, "mid_1": 1,
               "mid_2": 5, "mid_4": 2, "kan_1": 3, "kan_2": 4, "kan_3": 4}
    result = score(mini, answers, factor_ids)
    assert (result.slug, result.version, result.audience) == ("mini", "0.3.0", "worker")
    assert list(result.factors) == factor_ids
    assert result.factors == {
        "motivation": dim(250 / 3, "high", 3, 3),  # 4, 4, 5 -> 13/3
        "awareness": dim(25, "low", 1, 2),  # 2
        "means": dim(25 / 3, "low", 3, 4),  # 1, 1, 2 -> 4/3
        "opportunities": dim(50, "medium", 3, 3),  # 3, 4, 2
    }
    assert result.knobs == {}  # no worker item names a knob


def test_answers_for_other_items_do_not_leak(mini, factor_ids):
    alone = score(mini, {"bew_1": 5}, factor_ids).factors["awareness"]
    others = {"mot_1": 1, "mid_2": 1, "kan_2": 1}
    noisy = score(mini, {"bew_1": 5, **others}, factor_ids).factors["awareness"]
    assert alone == noisy == dim(100, "high", 1, 2)


def test_only_requested_factors_are_scored(mini):
    result = score(mini, {"mot_1": 5, "mot_2": 1}, ["means", "motivation", "nonsense"])
    assert list(result.factors) == ["means", "motivation", "nonsense"]
    assert result.factors["nonsense"] == D(None, None, 0, 0)
    assert result.factors["motivation"] == dim(100, "high", 2, 3)


def test_results_are_immutable_values(mini, factor_ids):
    result = score(mini, {"mot_1": 5, "mot_2": 1}, factor_ids)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.slug = "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.factors["motivation"].score = 0.0
    # built positionally or by keyword, compared by value
    same = ScoreResult(slug="mini", version=result.version, audience="worker", factors=dict(result.factors),
                       knobs={})
    assert same == result
    assert DimensionScore(100.0, "high", 2, 3) == DimensionScore(score=100.0, band="high", answered=2, items=3)


def test_item_lookups_follow_the_sections(mini, factor_ids):
    # The first section holds mot_1 and mot_2; mot_3 is in the last one.
    first = mini.sections[0]
    only_first = dataclasses.replace(mini, sections=(first,))
    assert [i.id for i in only_first.items] == list(only_first.item_map) == ["mot_1", "mot_2"]
    assert {f: [i.id for i in items] for f, items in only_first.items_by_factor.items()} == {
        "motivation": ["mot_1", "mot_2"]}
    assert dataclasses.replace(only_first, sections=mini.sections) == mini
    answers = {"mot_1": 5, "mot_2": 1, "bew_1": 5}
    assert score(only_first, answers, factor_ids).factors == {
        "motivation": dim(100, "high", 2, 2), "awareness": D(None, None, 0, 0),
        "means": D(None, None, 0, 0), "opportunities": D(None, None, 0, 0)}
    assert [p.code for p in check_answers(only_first, answers)] == ["unknown_item"]


# --- factor and knob scores on the employer scan -------------------------------------------------

SCAN_CASES = [
    (
        {"sc_1": 4, "sc_2": 3, "sc_3": 2, "sc_4": 1, "sc_5": 2, "sc_6": None, "sc_7": 4, "sc_8": 1,
         "sc_9": 2},
        {"motivation": (100, "high", 2, 2),  # 4, 4
         "awareness": (250 / 3, "high", 2, 2),  # 3, 5-1=4 -> 3.5
         "means": (50 / 3, "low", 2, 3),  # 1, 2 (sc_6 unknown)
         "opportunities": (50, "medium", 2, 2)},  # 5-2=3, 2 -> 2.5, exactly the medium cut-off
        {"direction": (700 / 9, "medium", 3, 3),  # 4, 3, 3 -> 10/3, just below 80
         "room": (50 / 3, "low", 2, 3),  # 1, 2
         "backing": (700 / 9, "medium", 3, 3)},  # 4, 4, 2
    ),
    (
        {f"sc_{i}": 4 for i in range(1, 10)},
        {"motivation": (100, "high", 2, 2),
         "awareness": (50, "medium", 2, 2),  # 4, 1
         "means": (200 / 3, "medium", 3, 3),  # 4, 1, 4
         "opportunities": (50, "medium", 2, 2)},  # 1, 4
        {"direction": (200 / 3, "medium", 3, 3),
         "room": (200 / 3, "medium", 3, 3),
         "backing": (200 / 3, "medium", 3, 3)},
    ),
    (
        {"sc_4": 4, "sc_5": None, "sc_6": None, "sc_7": 3, "sc_8": 2},
        {"motivation": (200 / 3, "medium", 1, 2),  # 3, exactly half answered
         "awareness": (200 / 3, "medium", 1, 2),  # 5-2=3
         "means": (None, None, 1, 3),
         "opportunities": (None, None, 0, 2)},
        {"direction": (None, None, 0, 3),
         "room": (None, None, 1, 3),
         "backing": (200 / 3, "medium", 2, 3)},  # 3, 3
    ),
    (
        {"sc_1": 4, "sc_2": 4, "sc_3": 1, "sc_4": 4, "sc_5": 4, "sc_6": 1, "sc_7": 4, "sc_8": 1,
         "sc_9": 4},
        {f: (100, "high", n, n) for f, n in
         (("motivation", 2), ("awareness", 2), ("means", 3), ("opportunities", 2))},
        {k: (100, "high", 3, 3) for k in ("direction", "room", "backing")},
    ),
]


@pytest.mark.parametrize(("answers", "factors", "knobs"), SCAN_CASES)
def test_employer_scan_scores_factors_and_knobs(scan, factor_ids, answers, factors, knobs):
    result = score(scan, answers, factor_ids)
    assert result.audience == "employer"
    assert result.factors == {f: dim(*e) for f, e in factors.items()}
    assert result.knobs == {k: dim(*e) for k, e in knobs.items()}


# --- bands and threshold -------------------------------------------------------------------------

@pytest.mark.parametrize(("medium", "high", "value", "band"), [
    (50, 75, 0, "low"),
    (50, 75, 49.999999, "low"),
    (50, 75, 49.9999999999, "medium"),  # float noise below the cut-off is rounded away
    (50, 75, 50, "medium"),
    (50, 75, 50.000001, "medium"),
    (50, 75, 74.999, "medium"),
    (50, 75, 74.99999999999, "high"),
    (50, 75, 75, "high"),
    (50, 75, 100, "high"),
    (40, 80, 39.5, "low"),
    (40, 80, 40, "medium"),
    (40, 80, 79.9, "medium"),
    (40, 80, 80, "high"),
])
def test_band_cut_offs(medium, high, value, band):
    assert ScoringRules(0.5, medium, high).band(value) == band


@pytest.mark.parametrize(("fraction", "answered", "total", "enough"), [
    (0.5, 1, 2, True),
    (0.5, 0, 2, False),
    (0.5, 1, 3, False),
    (0.5, 2, 3, True),
    (0.5, 2, 4, True),
    (0.5, 1, 4, False),
    (0.5, 0, 0, False),
    (0.6, 3, 5, True),
    (0.7, 7, 10, True),  # 0.7 * 10 is 7.000000000000001 in floating point
    (0.7, 6, 10, False),
    (1.0, 3, 3, True),
    (1.0, 2, 3, False),
])
def test_at_least_the_threshold_is_enough(fraction, answered, total, enough):
    assert ScoringRules(fraction, 50, 75).enough(answered, total) is enough


def test_threshold_comes_from_the_data(mini, factor_ids):
    import dataclasses

    strict = dataclasses.replace(mini, scoring=ScoringRules(1.0, 50, 75))
    answers = {"mot_1": 4, "mot_2": 2}
    assert score(mini, answers, factor_ids).factors["motivation"] == dim(75, "high", 2, 3)
    assert score(strict, answers, factor_ids).factors["motivation"] == D(None, None, 2, 3)


# --- input checks --------------------------------------------------------------------------------

@pytest.mark.parametrize(("answers", "expected"), [
    ({}, []),
    ({"mot_1": 3}, []),
    ({"mot_1": 1, "mot_2": 5, "kan_3": 3}, []),
    ({"mot_1": None, "bew_2": None}, []),
    ({"nope": 3}, [("answers.nope", "unknown_item")]),
    ({"nope": None}, [("answers.nope", "unknown_item")]),
    ({"MOT_1": 3}, [("answers.MOT_1", "unknown_item")]),
    ({"mot_1": True}, [("answers.mot_1", "not_an_integer")]),
    ({"mot_1": False}, [("answers.mot_1", "not_an_integer")]),
    ({"mot_1": 3.0}, [("answers.mot_1", "not_an_integer")]),
    ({"mot_1": 3.5}, [("answers.mot_1", "not_an_integer")]),
    ({"mot_1": "3"}, [("answers.mot_1", "not_an_integer")]),
    ({"mot_1": [3]}, [("answers.mot_1", "not_an_integer")]),
    ({"mot_1": 0}, [("answers.mot_1", "out_of_range")]),
    ({"mot_1": 6}, [("answers.mot_1", "out_of_range")]),
    ({"mot_1": -1}, [("answers.mot_1", "out_of_range")]),
    ({"mot_1": 6, "x": 1, "mid_1": "a", "mid_2": 2},
     [("answers.mot_1", "out_of_range"), ("answers.x", "unknown_item"),
      ("answers.mid_1", "not_an_integer")]),
    ([("mot_1", 3)], [("answers", "not_an_object")]),
    ("mot_1=3", [("answers", "not_an_object")]),
    (None, [("answers", "not_an_object")]),
])
def test_check_answers(mini, answers, expected):
    assert [(p.field, p.code) for p in check_answers(mini, answers)] == expected


def test_check_answers_uses_the_questionnaire_scale(scan):
    assert check_answers(scan, {"sc_1": 4}) == []
    assert [(p.field, p.code, p.message) for p in check_answers(scan, {"sc_1": 5})] == [
        ("answers.sc_1", "out_of_range", "must be between 1 and 4, not 5")]


def test_check_answers_messages(mini):
    problems = check_answers(mini, {"nope": 1, "mot_1": 2.5, "mot_2": 9})
    assert [p.message for p in problems] == [
        "unknown item id 'nope'",
        "must be a whole number 1..5 or null",
        "must be between 1 and 5, not 9",
    ]


VALID = {"sector": "zorg", "contract": "vast", "age_band": "lt25"}


@pytest.mark.parametrize(("profile", "expected"), [
    (VALID, []),
    ({**VALID, "org_size": "small"}, []),
    ({**VALID, "org_size": None}, []),  # optional question left open
    ({}, [("profile.sector", "required"), ("profile.contract", "required"),
          ("profile.age_band", "required")]),
    ({**VALID, "sector": None}, [("profile.sector", "required")]),
    ({**VALID, "sector": "bakkerij"}, [("profile.sector", "unknown_option")]),
    ({**VALID, "sector": ""}, [("profile.sector", "unknown_option")]),
    ({**VALID, "sector": 3}, [("profile.sector", "unknown_option")]),
    ({**VALID, "org_size": "Small"}, [("profile.org_size", "unknown_option")]),
    ({**VALID, "colour": "blue"}, [("profile.colour", "unknown_question")]),
    ({"colour": "blue", "age_band": "55plus"},
     [("profile.colour", "unknown_question"), ("profile.sector", "required"),
      ("profile.contract", "required")]),
    (["sector"], [("profile", "not_an_object")]),
    (None, [("profile", "not_an_object")]),
])
def test_check_profile(mini, profile, expected):
    assert [(p.field, p.code) for p in check_profile(mini, profile)] == expected


def test_check_profile_without_require_only_checks_given_values(mini):
    assert check_profile(mini, {}, require=False) == []
    problems = check_profile(mini, {"sector": "bakkerij"}, require=False)
    assert [(p.field, p.code, p.message) for p in problems] == [
        ("profile.sector", "unknown_option", "must be one of: zorg, techniek")]


@pytest.mark.parametrize("value", [["zorg"], {"zorg": 1}, 1.5, True])
def test_check_profile_rejects_values_that_are_not_texts(mini, value):
    # lists and objects can arrive in a JSON body; they must not crash the lookup
    assert [(p.field, p.code) for p in check_profile(mini, {**VALID, "sector": value})] == [
        ("profile.sector", "unknown_option")]


def test_validate_submission_collects_answer_and_profile_problems(mini):
    validate_submission(mini, {"mot_1": 5, "bew_2": None}, VALID)  # no exception
    with pytest.raises(InputError) as info:
        validate_submission(mini, {"nope": 1, "mot_1": 7}, {"contract": "vast", "age_band": "x"})
    assert [(p.field, p.code) for p in info.value.problems] == [
        ("answers.nope", "unknown_item"), ("answers.mot_1", "out_of_range"),
        ("profile.age_band", "unknown_option"), ("profile.sector", "required")]
    assert str(info.value) == (
        "answers.nope: unknown item id 'nope'; answers.mot_1: must be between 1 and 5, not 7; "
        "profile.age_band: must be one of: lt25, 55plus; profile.sector: is required")


def test_evaluate_validates_and_scores(defs):
    with pytest.raises(InputError):
        evaluate(defs, "mini", {"mot_1": 0}, VALID)
    with pytest.raises(KeyError):
        evaluate(defs, "nope", {}, VALID)
    # without validation, bad input is the caller's business: no InputError here
    unchecked = evaluate(defs, "mini", {"mot_1": 5, "mot_2": 1}, {}, validate=False)
    assert unchecked.result.factors["motivation"] == dim(100, "high", 2, 3)
    ev = evaluate(defs, "mini", {"mot_1": 5, "mot_2": 1},
                  {**VALID, "contract": "flex", "org_size": "small"})
    assert ev.segments == {"flex", "small_org"}
    assert ev.result == score(defs.questionnaires["mini"], {"mot_1": 5, "mot_2": 1},
                              [f.id for f in defs.model.factors])


def _not_for(q, item_ids, segments):
    """``q`` with the items ``item_ids`` not applying to ``segments``."""
    sections = tuple(dataclasses.replace(s, items=tuple(
        dataclasses.replace(i, not_for=tuple(segments)) if i.id in item_ids else i for i in s.items))
        for s in q.sections)
    return dataclasses.replace(q, sections=sections)


def test_not_applicable_items_leave_the_threshold_and_the_score(mini, factor_ids):
    # means has 4 items (mid_1..mid_4), at least half must be answered; mid_1 and mid_2 do not apply to flex
    q = _not_for(mini, {"mid_1", "mid_2"}, {"flex"})
    answers = {"mid_1": 1, "mid_3": 5}
    flex = score(q, answers, factor_ids, frozenset({"flex"})).factors["means"]
    assert (flex.answered, flex.items, flex.score) == (1, 2, 100.0)  # 1 of the 2 that apply: enough
    other = score(q, {"mid_3": 5}, factor_ids).factors["means"]
    assert (other.answered, other.items, other.score) == (1, 4, None)  # 1 of 4: too few
    both = score(q, answers, factor_ids).factors["means"]
    assert (both.answered, both.items, both.score) == (2, 4, 50.0)  # for others mid_1 counts
