"""Group figures with anonymity: summarize, group_profile, suppress_groups, gaps."""

from __future__ import annotations

import math

import pytest

from scoring import (
    DimensionScore,
    GroupProfile,
    ScoreResult,
    gaps,
    group_profile,
    score,
    suppress_groups,
)
from scoring.aggregate import SUPPRESSED, GroupFigure, summarize

# --- summarize -----------------------------------------------------------------------------------

# 50, 75, 100, 25, 50: mean 300/5 = 60; deviations -10, 15, 40, -35, -10;
# squares 100 + 225 + 1600 + 1225 + 100 = 3250; SD = sqrt(3250 / 4) = sqrt(812.5) = 28.5044
FIVE = [(50, "medium"), (75, "high"), (100, "high"), (25, "low"), (50, "medium")]


def test_summarize_hand_computed():
    fig = summarize(FIVE)
    assert fig.n == 5
    assert fig.mean == pytest.approx(60)
    assert fig.sd == pytest.approx(28.504385627478448)
    assert fig.sd == pytest.approx(math.sqrt(812.5))
    assert fig.bands == {"low": 1, "medium": 2, "high": 2}
    assert not fig.suppressed


def test_summarize_sd_uses_n_minus_one():
    # 0, 100, 100: mean 200/3; squares (200/3)^2 + 2 * (100/3)^2 = 60000/9; / 2 -> SD 57.735
    fig = summarize([(0, "low"), (100, "high"), (100, "high")], k=3)
    assert fig.sd == pytest.approx(math.sqrt(30000 / 9))
    assert fig.sd == pytest.approx(57.735026918962575)
    assert fig.bands == {"low": 1, "medium": 0, "high": 2}


def test_summarize_identical_scores_have_zero_sd():
    fig = summarize([(40.0, "low")] * 6)
    assert (fig.n, fig.mean, fig.sd) == (6, 40.0, 0.0)


def test_unscored_values_do_not_count():
    fig = summarize(FIVE + [(None, None), (None, None)])
    assert fig.n == 5 and fig.mean == pytest.approx(60)
    # four scored + two unscored respondents: below k = 5
    assert summarize(FIVE[:4] + [(None, None), (None, None)]) == SUPPRESSED


@pytest.mark.parametrize(("n", "k", "shown"), [
    (4, 5, False), (5, 5, True), (2, 3, False), (3, 3, True), (9, 10, False), (10, 10, True),
    (0, 3, False),
])
def test_suppression_below_k(n, k, shown):
    fig = summarize([(50.0, "medium")] * n, k=k)
    assert fig.suppressed is not shown
    if shown:
        assert fig.n == n
    else:
        assert (fig.n, fig.mean, fig.sd, fig.bands) == (None, None, None, None)


BAD_K = [2, 11, 0, -5, True, 5.0, "5", None]


@pytest.mark.parametrize("k", BAD_K)
def test_k_outside_three_to_ten_raises(k):
    with pytest.raises(ValueError, match="from 3 to 10"):
        summarize(FIVE, k=k)
    with pytest.raises(ValueError, match="from 3 to 10"):
        group_profile([], k=k)
    with pytest.raises(ValueError, match="from 3 to 10"):
        suppress_groups({"a": 10}, k=k)


# --- group_profile -------------------------------------------------------------------------------

def test_group_profile_over_scored_responses(mini, factor_ids):
    # motivation (mot_1, mot_2 reversed, mot_3): keyed means 5, 4, 3, 2, 1 -> 100, 75, 50, 25, 0
    # awareness: bew_1 given by four respondents only -> n = 4 < 5 -> suppressed
    answer_sets = [
        {"mot_1": 5, "mot_2": 1, "bew_1": 5},
        {"mot_1": 4, "mot_2": 2, "bew_1": 4},
        {"mot_1": 3, "mot_2": 3, "bew_1": 3},
        {"mot_1": 2, "mot_2": 4, "bew_1": 2},
        {"mot_1": 1, "mot_2": 5},
    ]
    results = [score(mini, a, factor_ids) for a in answer_sets]
    profile = group_profile(results)
    assert profile.respondents == 5
    assert list(profile.factors) == factor_ids
    mot = profile.factors["motivation"]
    # mean 50; squares 2500 + 625 + 0 + 625 + 2500 = 6250; SD = sqrt(6250 / 4) = 39.5285
    assert (mot.n, mot.mean) == (5, pytest.approx(50))
    assert mot.sd == pytest.approx(math.sqrt(1562.5))
    assert mot.bands == {"low": 2, "medium": 1, "high": 2}
    assert profile.factors["awareness"].suppressed
    assert profile.factors["means"].suppressed and profile.factors["opportunities"].suppressed
    assert profile.knobs == {}
    # with k = 4 awareness shows: 100, 75, 50, 25 -> mean 62.5
    low_k = group_profile(results, k=4)
    awareness = low_k.factors["awareness"]
    assert (awareness.n, awareness.mean) == (4, pytest.approx(62.5))


def test_group_profile_includes_knobs_for_the_scan(scan, factor_ids):
    results = [score(scan, {f"sc_{i}": v for i in range(1, 10)}, factor_ids)
               for v in (1, 2, 3, 4, 4)]
    # direction items sc_1, sc_2, sc_3 (reversed): keyed (v, v, 5 - v) -> mean (v + 5) / 3
    # -> scores (v + 5 - 3) / 9 * 100 = (v + 2) / 9 * 100: 33.3, 44.4, 55.6, 66.7, 66.7
    profile = group_profile(results)
    assert list(profile.knobs) == ["direction", "room", "backing"]
    direction = profile.knobs["direction"]
    assert direction.n == 5
    assert direction.mean == pytest.approx((3 + 4 + 5 + 6 + 6) / 5 / 9 * 100)
    assert direction.bands == {"low": 2, "medium": 3, "high": 0}


def test_group_profile_of_nobody(mini):
    profile = group_profile([])
    assert profile == GroupProfile(0, {}, {})


# --- complementary suppression -------------------------------------------------------------------

@pytest.mark.parametrize(("counts", "k", "hidden"), [
    ({"a": 10, "b": 7, "c": 6}, 5, set()),
    # one small department: the next-smallest is hidden too, else total - shown reveals it
    ({"a": 10, "b": 7, "c": 3}, 5, {"b", "c"}),
    ({"a": 3, "b": 20, "c": 8, "d": 9}, 5, {"a", "c"}),
    # two small ones that together reach k need nothing more
    ({"a": 10, "b": 4, "c": 3}, 5, {"b", "c"}),
    # two small ones below k together: one more
    ({"a": 10, "b": 2, "c": 1, "d": 6}, 5, {"b", "c", "d"}),
    # ties broken by name
    ({"x": 10, "beta": 6, "alpha": 6, "d": 2}, 5, {"alpha", "d"}),
    ({"x": 10, "b": 6, "c": 6, "a": 2}, 5, {"a", "b"}),
    # nothing left to hide with
    ({"a": 2, "b": 1}, 5, {"a", "b"}),
    ({"a": 1, "b": 1, "c": 1, "d": 20}, 5, {"a", "b", "c", "d"}),
    # k = 3 and k = 10
    ({"a": 2, "b": 3, "c": 9}, 3, {"a", "b"}),
    ({"a": 9, "b": 30, "c": 12}, 10, {"a", "c"}),
    ({"a": 5}, 5, set()),
    ({"a": 4}, 5, {"a"}),
    ({}, 5, set()),
])
def test_suppress_groups(counts, k, hidden):
    assert suppress_groups(counts, k) == frozenset(hidden)


def test_suppressed_groups_cannot_be_derived():
    counts = {"sales": 12, "office": 4, "workshop": 8, "drivers": 6}
    hidden = suppress_groups(counts)
    assert hidden == {"office", "drivers"}
    assert sum(counts[g] for g in hidden) >= 5


# --- gaps ----------------------------------------------------------------------------------------

def dimension(s: float | None) -> DimensionScore:
    return DimensionScore(s, None, 1, 1)


def figure(mean: float | None) -> GroupFigure:
    if mean is None:
        return SUPPRESSED
    return GroupFigure(5, mean, 1.0, {"low": 0, "medium": 5, "high": 0})


def test_gaps_sign_and_order():
    employer = ScoreResult("scan", "1", "employer",
                           {"motivation": dimension(80), "awareness": dimension(50),
                            "means": dimension(None), "opportunities": dimension(40)},
                           {"direction": dimension(90), "room": dimension(50),
                            "backing": dimension(50)})
    workers = GroupProfile(12,
                           {"motivation": figure(50), "awareness": figure(50), "means": figure(30),
                            "opportunities": figure(60)},
                           {"direction": figure(70), "room": figure(50), "backing": figure(None)})
    found = gaps(employer, workers)
    assert [(g.dimension, g.kind, g.difference) for g in found] == [
        ("motivation", "factor", pytest.approx(30)),  # the employer thinks better of it
        # equal size: factors before knobs (although "direction" < "opportunities")
        ("opportunities", "factor", pytest.approx(-20)),
        ("direction", "knob", pytest.approx(20)),
        ("awareness", "factor", pytest.approx(0)),
        ("room", "knob", pytest.approx(0)),
    ]
    assert (found[0].employer, found[0].workers) == (80, 50)


def test_gaps_ties_by_dimension_name():
    employer = ScoreResult("scan", "1", "employer",
                           {"opportunities": dimension(10), "awareness": dimension(90)}, {})
    workers = GroupProfile(5, {"opportunities": figure(50), "awareness": figure(50)}, {})
    assert [g.dimension for g in gaps(employer, workers)] == ["awareness", "opportunities"]


def test_no_gaps_without_both_sides():
    employer = ScoreResult("scan", "1", "employer", {"motivation": dimension(None)}, {})
    workers = GroupProfile(5, {"motivation": figure(50)}, {"room": figure(40)})
    assert gaps(employer, workers) == []
