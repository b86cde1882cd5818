"""Group figures that protect anonymity.

* A figure (n, mean, SD, band distribution) exists only when at least ``k`` respondents count for
  it; below that nothing but the fact that it is hidden. ``k`` defaults to 5 and must lie in 3..10.
* Complementary suppression: when some departments are hidden, more are hidden until the hidden
  ones together hold at least ``k`` respondents, so that no hidden group can be derived by
  subtracting the shown ones from the total.
* The employer-versus-workers gap per factor and knob: the employer's score minus the workers'
  mean, only where both exist.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .definitions import BANDS
from .score import ScoreResult

DEFAULT_K = 5
K_RANGE = (3, 10)


@dataclass(frozen=True)
class GroupFigure:
    """The figures of one factor or knob over a group; ``None`` fields when suppressed."""

    n: int | None
    mean: float | None
    sd: float | None
    bands: Mapping[str, int] | None

    @property
    def suppressed(self) -> bool:
        return self.n is None


SUPPRESSED = GroupFigure(None, None, None, None)


@dataclass(frozen=True)
class GroupProfile:
    respondents: int
    factors: Mapping[str, GroupFigure]
    knobs: Mapping[str, GroupFigure]


@dataclass(frozen=True)
class Gap:
    dimension: str
    kind: str  # "factor" | "knob"
    employer: float
    workers: float

    @property
    def difference(self) -> float:
        return self.employer - self.workers


def check_k(k: int) -> int:
    """``k`` itself, or ``ValueError`` when it lies outside the allowed range."""
    if isinstance(k, bool) or not isinstance(k, int) or not K_RANGE[0] <= k <= K_RANGE[1]:
        raise ValueError(f"anonymity threshold k must be a whole number from {K_RANGE[0]} to {K_RANGE[1]}")
    return k


def summarize(scores: Iterable[tuple[float | None, str | None]], k: int = DEFAULT_K) -> GroupFigure:
    """n, mean, SD (ddof = 1) and band counts of the scored values, or nothing below ``k``."""
    check_k(k)
    pairs = [(s, b) for s, b in scores if s is not None]
    if len(pairs) < k:
        return SUPPRESSED
    values = [s for s, _ in pairs]
    n = len(values)
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else None
    bands = {band: sum(1 for _, b in pairs if b == band) for band in BANDS}
    return GroupFigure(n, mean, sd, bands)


def group_profile(results: Sequence[ScoreResult], k: int = DEFAULT_K) -> GroupProfile:
    """The group's figures per factor and knob; every figure needs ``k`` scored respondents."""
    check_k(k)

    def dims(attr: str) -> dict[str, GroupFigure]:
        ids: list[str] = []
        for r in results:
            ids += [d for d in getattr(r, attr) if d not in ids]
        return {d: summarize(((getattr(r, attr)[d].score, getattr(r, attr)[d].band)
                              for r in results if d in getattr(r, attr)), k) for d in ids}

    return GroupProfile(len(results), dims("factors"), dims("knobs"))


def suppress_groups(counts: Mapping[str, int], k: int = DEFAULT_K) -> frozenset[str]:
    """The groups (e.g. departments) whose figures must be hidden.

    First every group with fewer than ``k`` respondents; then, while the hidden groups together
    hold fewer than ``k`` (their sum could be derived from the total), the smallest shown group
    is hidden too (ties by name).
    """
    check_k(k)
    hidden = {g for g, n in counts.items() if n < k}
    shown = sorted((n, g) for g, n in counts.items() if g not in hidden)
    while hidden and sum(counts[g] for g in hidden) < k and shown:
        hidden.add(shown.pop(0)[1])
    return frozenset(hidden)


def gaps(employer: ScoreResult, workers: GroupProfile) -> list[Gap]:
    """Employer score minus workers' mean per factor and knob, largest absolute gap first."""
    found = []
    for kind, own, group in (("factor", employer.factors, workers.factors),
                             ("knob", employer.knobs, workers.knobs)):
        for dim, s in own.items():
            fig = group.get(dim)
            if s.score is not None and fig is not None and fig.mean is not None:
                found.append(Gap(dim, kind, s.score, fig.mean))
    return sorted(found, key=lambda g: (-abs(g.difference), g.kind, g.dimension))
