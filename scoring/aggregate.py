"""Group figures that protect anonymity.

* A figure (n, mean, SD, band distribution) exists only when at least ``k`` respondents count for
  it; below that nothing but the fact that it is hidden. ``k`` defaults to 5 and must lie in 3..10.
* Complementary suppression: when some departments are hidden, more are hidden until the hidden
  ones together hold at least ``k`` respondents, so that no hidden group can be derived by
  subtracting the shown ones from the total.
* One rule for a campaign's departments, :func:`hidden_departments`: the dashboard, the team report
  and the export all ask it, keyed by department id (``None``: no department chosen), so equally
  small departments are broken by the same tie everywhere and no page hides another one than its
  neighbour does (comparing two pages would otherwise give away a count below ``k``).
* The employer-versus-workers gap per factor and knob: the employer's score minus the workers'
  mean, only where both exist.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .definitions import BANDS
from .score import ScoreResult

DEFAULT_K = 5
K_RANGE = (3, 10)

G = TypeVar("G", bound=Hashable)


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


def suppress_groups(counts: Mapping[G, int], k: int = DEFAULT_K,
                    order: Callable[[G], Any] | None = None) -> frozenset[G]:
    """The groups (e.g. departments) whose figures must be hidden.

    First every group with fewer than ``k`` respondents; then, while the hidden groups together
    hold fewer than ``k`` (their sum could be derived from the total), the smallest shown group
    is hidden too (ties by ``order`` of the group, by default the group itself, e.g. its name).
    """
    check_k(k)
    tie = order if order is not None else (lambda g: g)
    hidden = {g for g, n in counts.items() if n < k}
    shown = sorted((g for g in counts if g not in hidden), key=lambda g: (counts[g], tie(g)))
    while hidden and sum(counts[g] for g in hidden) < k and shown:
        hidden.add(shown.pop(0))
    return frozenset(hidden)


def department_order(department_id: int | None) -> tuple[int, int]:
    """The tie-break between equally small departments: "no department" first, then the lowest id."""
    return (0, 0) if department_id is None else (1, department_id)


def hidden_departments(counts: Mapping[int | None, int], k: int = DEFAULT_K) -> frozenset[int | None]:
    """The departments of a campaign to hide, given how many respondents count in each.

    ``counts`` is keyed by department id, ``None`` for the respondents who chose no department (they
    are a group of their own: the total minus the departments would reveal them). The one rule for
    the dashboard, the team report (per factor too) and the export: :func:`suppress_groups` over the
    groups with respondents, ties broken by :func:`department_order`. A group without respondents
    holds nothing to protect and is not in the result (left in, it would hide a sibling for nothing);
    a page shows no figures for it either way.
    """
    return suppress_groups({g: n for g, n in counts.items() if n > 0}, k, department_order)


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
