"""Releases: while a campaign is open, its figures change only in steps that isolate no one.

Shown once at n = 5 and again at n = 6, a group's figures differ by exactly one person: the sixth
person's scores are six times the new mean minus five times the old. So while a campaign is open
its figures come in *releases*, and people are let into the figures in **pools** of at least ``k``.

* Per questionnaire and dimension (a factor, a knob, or the count), each group (a department, or
  "no department") keeps a pool of the people already let in. When at least ``k`` of its people are
  not in yet, they are let in together: the group's pool is made anew with them (and without anyone
  who deleted their report since), so its figure changes by at least ``k`` people at once.
* Groups with 1 to ``k`` − 1 people waiting put them together: once at least ``k`` wait in all, they
  go into one pool of their own, :data:`REST`, which belongs to no group shown.
* The whole questionnaire's figure is the sum of the pools. Every change of any figure is then a
  pool made anew, with at least ``k`` people new to the figures: every sum an observer can form from
  two releases, or from a group and the whole, covers at least ``k`` people, or none. A deletion
  leaves the figures as they are until its pool takes in new people: it never shows on its own.

Departments shown while the campaign is open therefore count the people let in through their own
pool; those let in through :data:`REST` count only for the whole. At the closing release (when the
campaign has closed) the app makes every figure anew over everyone, by the rules of
:mod:`scoring.aggregate`.

Plain functions on member ids; :func:`plan_release` decides, the app stores and shows.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from .aggregate import check_k

WHOLE = "*"  # the group of a questionnaire without departments (and of the employer scan)
REST = "+"  # the pool of people from groups with fewer than k waiting

Cell = tuple[str, Hashable, str]  # (questionnaire slug, group or pool, dimension)
Members = frozenset[Hashable]


def plan_release(pools: Mapping[Cell, Members], current: Mapping[Cell, Members], k: int, *,
                 first_alone: Iterable[str] = (), counts_free: Iterable[str] = ()) -> dict[Cell, Members]:
    """The pools a new release makes anew, with their members; every other pool keeps its figure.

    ``pools``: per pool cell ``(slug, group or REST, dimension)`` the members its figure was made of.
    ``current``: per group cell ``(slug, group, dimension)`` the members now (deleted ones gone).
    A group with at least ``k`` people not yet in any pool of the same questionnaire and dimension
    takes them in; the people waiting in groups with fewer go into :data:`REST` once they are at
    least ``k``. A pool is made anew only with new people, so a deletion alone changes nothing.

    ``first_alone``: questionnaires whose first single respondent is let in alone (the employer
    scan, which is not anonymous and says so). ``counts_free``: dimensions that hold a count and no
    answers; for the ``first_alone`` questionnaires they simply follow the current members.
    """
    check_k(k)
    alone, free = frozenset(first_alone), frozenset(counts_free)
    made: dict[Cell, Members] = {}
    for slug, dim in sorted({(c[0], c[2]) for c in current} | {(c[0], c[2]) for c in pools}, key=str):
        groups = {c[1]: m for c, m in current.items() if c[0] == slug and c[2] == dim}
        mine = {c[1]: m for c, m in pools.items() if c[0] == slug and c[2] == dim}
        everyone = frozenset().union(*groups.values()) if groups else frozenset()
        if slug in alone and dim in free:
            for group, members in groups.items():
                if mine.get(group, frozenset()) != members:
                    made[(slug, group, dim)] = members
            continue
        let_in = frozenset().union(*mine.values()) if mine else frozenset()
        if slug in alone and not let_in and len(everyone) == 1:
            group, members = next((g, m) for g, m in groups.items() if m)
            made[(slug, group, dim)] = members
            continue
        waiting: set[Hashable] = set()
        for group, members in groups.items():
            new = members - let_in
            if len(new) >= k:
                made[(slug, group, dim)] = (mine.get(group, frozenset()) & everyone) | new
            else:
                waiting |= new
        if len(waiting) >= k:
            made[(slug, REST, dim)] = (mine.get(REST, frozenset()) & everyone) | frozenset(waiting)
    return made
