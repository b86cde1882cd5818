"""Cronbach's alpha with pairwise covariances and corrected item-total correlations.

Expected values are computed by hand or by independent code in this file (statistics /
numpy), never with helpers from scoring.reliability.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from scoring import Reliability, cronbach_alpha
from scoring.reliability import covariance_matrix

# 4 respondents x 3 items, complete.
#   item 1: 1 2 3 4  mean 2.5   squared deviations 2.25 .25 .25 2.25 = 5     var 5/3
#   item 2: 2 3 3 5  mean 3.25  1.5625 .0625 .0625 3.0625           = 4.75  var 4.75/3
#   item 3: 3 3 4 5  mean 3.75  .5625 .5625 .0625 1.5625            = 2.75  var 2.75/3
#   totals: 6 8 10 14, mean 9.5, squared deviations 12.25 2.25 .25 20.25 = 35, var 35/3
#   alpha = 3/2 * (1 - (5 + 4.75 + 2.75) / 35) = 1.5 * 22.5 / 35 = 27/28 = 0.9642857
SMALL = [[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5]]


def test_alpha_hand_computed():
    rel = cronbach_alpha(SMALL)
    assert rel.alpha == pytest.approx(27 / 28)
    assert (rel.items, rel.respondents) == (3, 4)


def test_alpha_is_invariant_to_shifting_an_item():
    shifted = [[a + 10, b, c] for a, b, c in SMALL]
    assert cronbach_alpha(shifted).alpha == pytest.approx(27 / 28)


# The data set of pingouin.cronbach_alpha's tests (pingouin/datasets/cronbach_alpha.csv,
# after real-statistics.com): 15 respondents x 10 items, alpha = 0.592 (also R psych::alpha).
PUBLISHED = [
    [3, 2, 4, 1, 4, 5, 1, 4, 3, 2],
    [5, 4, 6, 3, 5, 1, 2, 5, 5, 5],
    [7, 3, 5, 5, 6, 4, 3, 3, 6, 5],
    [2, 4, 3, 3, 2, 2, 2, 6, 6, 3],
    [6, 5, 6, 5, 4, 4, 4, 6, 7, 5],
    [1, 2, 3, 4, 2, 5, 2, 3, 5, 2],
    [4, 3, 5, 3, 5, 2, 1, 2, 4, 3],
    [2, 4, 4, 3, 7, 2, 2, 4, 6, 5],
    [6, 5, 5, 5, 1, 6, 5, 2, 3, 2],
    [5, 4, 6, 4, 3, 5, 3, 1, 7, 2],
    [4, 3, 5, 2, 5, 3, 2, 3, 4, 1],
    [4, 2, 3, 2, 5, 3, 4, 2, 3, 4],
    [5, 5, 6, 2, 3, 3, 2, 4, 4, 5],
    [6, 5, 5, 4, 2, 2, 1, 4, 6, 5],
    [4, 3, 5, 5, 3, 1, 3, 2, 3, 4],
]


def test_alpha_matches_the_published_value():
    assert round(cronbach_alpha(PUBLISHED).alpha, 3) == 0.592


# --- missing values: pairwise covariances --------------------------------------------------------

WITH_GAPS = [  # None = not answered
    [4, 5, None, 3],
    [2, 2, 3, 1],
    [5, None, 4, 4],
    [3, 4, 2, None],
    [1, 1, 2, 2],
    [None, 3, 3, 3],
    [4, 4, 5, 5],
]


def pairwise_cov(rows, i, j) -> float:
    """Sample covariance of items i and j over the rows that answer both (independent version)."""
    xs = [r[i] for r in rows if r[i] is not None and r[j] is not None]
    ys = [r[j] for r in rows if r[i] is not None and r[j] is not None]
    return statistics.covariance(xs, ys)


def pairwise_alpha(rows) -> float:
    k = len(rows[0])
    matrix = [[pairwise_cov(rows, i, j) for j in range(k)] for i in range(k)]
    variances = sum(matrix[i][i] for i in range(k))
    return k / (k - 1) * (1 - variances / sum(map(sum, matrix)))


def test_pairwise_covariances_match_an_independent_computation():
    c = covariance_matrix(WITH_GAPS)
    for i in range(4):
        for j in range(4):
            assert c[i][j] == pytest.approx(pairwise_cov(WITH_GAPS, i, j))
    # the diagonal is each item's variance over everyone who answered it
    assert c[0][0] == pytest.approx(statistics.variance([4, 2, 5, 3, 1, 4]))


def test_alpha_with_missing_values_uses_pairwise_covariances():
    expected = pairwise_alpha(WITH_GAPS)
    rel = cronbach_alpha(WITH_GAPS)
    assert rel.alpha == pytest.approx(expected)
    assert (rel.items, rel.respondents) == (4, 7)
    # ... which differs from dropping the incomplete rows (listwise)
    complete = [r for r in WITH_GAPS if None not in r]
    assert rel.alpha != pytest.approx(cronbach_alpha(complete).alpha)


def test_alpha_with_missing_values_matches_numpy_per_pair():
    # np.ma.cov centres each column on all its answers, not per pair, so it is not the
    # pairwise-complete estimate; np.cov on the rows each pair shares is.
    data = np.array(WITH_GAPS, dtype=float)
    k = data.shape[1]
    c = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            both = ~np.isnan(data[:, i]) & ~np.isnan(data[:, j])
            c[i, j] = np.cov(data[both, i], data[both, j], ddof=1)[0, 1]
    expected = k / (k - 1) * (1 - np.trace(c) / c.sum())
    assert cronbach_alpha(WITH_GAPS).alpha == pytest.approx(float(expected))


# --- undefined cases -----------------------------------------------------------------------------

@pytest.mark.parametrize(("rows", "items"), [
    ([[1], [2], [3], [4]], 1),  # one item
    ([[3, 3, 3], [3, 3, 3], [3, 3, 3]], 3),  # no variance at all
    ([[1, 2, 3]], 3),  # one respondent
    ([[1, 2, None], [2, None, 3], [None, 3, 4], [3, 4, None]], 3),  # items 2 and 3 share 1 row
    ([[1, None], [None, 2], [3, None], [None, 4]], 2),  # never answered together
])
def test_alpha_is_none_when_undefined(rows, items):
    rel = cronbach_alpha(rows)
    assert rel.alpha is None
    assert rel.items == items and rel.respondents == len(rows)


def test_alpha_of_nothing():
    assert cronbach_alpha([]) == Reliability(None, 0, 0, ())


def test_rows_of_different_length_are_an_error():
    with pytest.raises(ValueError):
        cronbach_alpha([[1, 2, 3], [1, 2]])


def test_undefined_alpha_has_no_item_total_correlations():
    assert cronbach_alpha([[1, None], [None, 2], [3, None]]).item_total == (None, None)


# --- corrected item-total correlations -----------------------------------------------------------

def rest_correlation(rows, i) -> float:
    """Pearson correlation of item i with the sum of the other items (complete data)."""
    item = [r[i] for r in rows]
    rest = [sum(v for j, v in enumerate(r) if j != i) for r in rows]
    return statistics.correlation(item, rest)


@pytest.mark.parametrize("rows", [SMALL, PUBLISHED], ids=["small", "published"])
def test_corrected_item_total_is_the_correlation_with_the_rest(rows):
    rel = cronbach_alpha(rows)
    expected = [rest_correlation(rows, i) for i in range(len(rows[0]))]
    assert rel.item_total == pytest.approx(expected)
    # and numpy agrees
    data = np.array(rows, dtype=float)
    for i, r in enumerate(rel.item_total):
        rest = np.delete(data, i, axis=1).sum(axis=1)
        assert r == pytest.approx(np.corrcoef(data[:, i], rest)[0, 1])


def test_corrected_item_total_hand_computed():
    # item 1 = 1 2 3 4 (mean 2.5), rest = items 2 + 3 = 5 6 7 10 (mean 7)
    # cross products: (-1.5)(-2) + (-.5)(-1) + (.5)(0) + (1.5)(3) = 3 + .5 + 0 + 4.5 = 8
    # sums of squares: 5 and 4 + 1 + 0 + 9 = 14 -> r = 8 / sqrt(5 * 14) = 0.956183
    assert cronbach_alpha(SMALL).item_total[0] == pytest.approx(8 / math.sqrt(70))


def test_item_without_variance_has_no_item_total_correlation():
    rows = [[1, 2, 3], [2, 2, 4], [3, 2, 4], [4, 2, 5]]
    rel = cronbach_alpha(rows)
    assert rel.item_total[1] is None
    assert rel.item_total[0] == pytest.approx(rest_correlation(rows, 0))
    assert rel.alpha is not None


def test_whole_number_answers_give_the_same_covariances_as_the_general_formula():
    """Answers on a scale take an exact integer path; it must agree with the two-pass float formula."""
    rng = np.random.default_rng(7)
    rows = [[None if rng.random() < 0.1 else int(v) for v in rng.integers(1, 6, size=5)] for _ in range(500)]
    as_floats = [[None if v is None else float(v) for v in row] for row in rows]
    ints, floats = covariance_matrix(rows), covariance_matrix(as_floats)
    for a, b in zip(ints, floats, strict=True):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15)
    assert cronbach_alpha(rows).alpha == pytest.approx(cronbach_alpha(as_floats).alpha, rel=1e-12)
