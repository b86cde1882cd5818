"""Internal consistency: Cronbach's alpha and corrected item-total correlations.

Missing values are handled with *pairwise* covariances (ddof = 1), as R ``psych::alpha()`` and
``pingouin.cronbach_alpha()`` do by default::

    alpha = k / (k - 1) * (1 - trace(C) / sum(C))

where ``C`` is the k × k item covariance matrix, each entry computed over the respondents who
answered both items. The corrected item-total correlation of item ``i`` correlates it with the sum
of the other items, from the same matrix (psych's ``r.drop``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Row = Sequence[float | int | None]


@dataclass(frozen=True)
class Reliability:
    alpha: float | None
    items: int
    respondents: int
    item_total: tuple[float | None, ...]


def _cov(xs: Row, ys: Row, whole: bool) -> float | None:
    """The sample covariance (ddof = 1) of two items over the respondents who answered both.

    For whole numbers (answers on a scale) it is ``(n·Σxy − Σx·Σy) / (n(n − 1))`` from integer
    sums: those are exact, so the one division rounds once and the value does not depend on the
    order of the respondents. Other values take the two-pass formula.
    """
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None and y is not None]
    n = len(pairs)
    if n < 2:
        return None
    if whole:
        sx, sy = sum(x for x, _ in pairs), sum(y for _, y in pairs)
        return (n * sum(x * y for x, y in pairs) - sx * sy) / (n * (n - 1))
    mx = math.fsum(x for x, _ in pairs) / n
    my = math.fsum(y for _, y in pairs) / n
    return math.fsum((x - mx) * (y - my) for x, y in pairs) / (n - 1)


def covariance_matrix(rows: Sequence[Row]) -> list[list[float | None]] | None:
    """Pairwise-complete covariance matrix (ddof = 1); ``None`` entries where fewer than 2 pairs."""
    if not rows:
        return None
    k = len(rows[0])
    if any(len(r) != k for r in rows):
        raise ValueError("every row must have the same number of items")
    columns = [[r[i] for r in rows] for i in range(k)]
    # bool is an int in Python, but not an answer on a scale.
    whole = all(v is None or type(v) is int for column in columns for v in column)
    m: list[list[float | None]] = [[None] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            m[i][j] = m[j][i] = _cov(columns[i], columns[j], whole)
    return m


def _complete(c: list[list[float | None]]) -> list[list[float]] | None:
    """The matrix ``c`` when none of its entries is missing, else ``None``."""
    full = [[v for v in row if v is not None] for row in c]
    return full if all(len(row) == len(c) for row in full) else None


def cronbach_alpha(rows: Sequence[Row]) -> Reliability:
    """Alpha over ``rows`` (respondents × items, values or ``None``); ``None`` where undefined.

    Undefined: fewer than two items, a pair of items with fewer than two joint answers, or a
    total variance of zero.
    """
    k = len(rows[0]) if rows else 0
    matrix = covariance_matrix(rows) if k else None
    c = _complete(matrix) if matrix is not None else None
    if c is None or k < 2:
        return Reliability(None, k, len(rows), tuple([None] * k))
    total = math.fsum(v for row in c for v in row)
    trace = math.fsum(c[i][i] for i in range(k))
    alpha = k / (k - 1) * (1 - trace / total) if total > 0 else None
    return Reliability(alpha, k, len(rows), tuple(_item_rest(c, i) for i in range(k)))


def _item_rest(c: list[list[float]], i: int) -> float | None:
    k = len(c)
    rest = [j for j in range(k) if j != i]
    cov_i_rest = math.fsum(c[i][j] for j in rest)
    var_rest = math.fsum(c[a][b] for a in rest for b in rest)
    if c[i][i] <= 0 or var_rest <= 0:
        return None
    return cov_i_rest / math.sqrt(c[i][i] * var_rest)
