"""Releases (scoring/releases.py): figures of an open campaign change only in steps that isolate no one.

The strongest check is arithmetic itself. Every figure a release shows for a cell is a sum over the
cell's members (the mean times n; the SD from the sum of squares; a band count sums indicators).
Someone who sees all releases of a campaign knows those sums for every published member set, and
can add and subtract them at will: a person is isolated exactly when their unit vector lies in the
span of the published member sets. :func:`isolated` decides that exactly (rational elimination), and
a property test runs random campaigns — people arriving in departments, some deleting their report —
through :func:`plan_release` at every step, as the pages would, and finds no one isolated.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.releases import REST, WHOLE, plan_release

K = 5
SLUG = "loopbaan-apk"
DIM = "f:motivation"


def isolated(published: list[frozenset[int]]) -> set[int]:
    """The people whose value follows from the sums over ``published`` sets (exactly, over the rationals)."""
    people = sorted(set().union(*published)) if published else []
    rows = [[Fraction(int(p in s)) for p in people] for s in published]
    pivots: list[int] = []
    r = 0
    for c in range(len(people)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][c]
        rows[r] = [v / lead for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                factor = rows[i][c]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(c)
        r += 1
    found = set()
    for i, c in enumerate(pivots):
        if all(v == 0 for j, v in enumerate(rows[i]) if j != c):
            found.add(people[c])
    return found


def test_the_audit_finds_the_classic_attack():
    """n = 5 and n = 6 shown one after the other: the sixth person is isolated."""
    assert isolated([frozenset(range(5)), frozenset(range(6))]) == {5}
    assert isolated([frozenset(range(5)), frozenset(range(10))]) == set()
    # A department shown beside the whole: the rest of the whole is isolated when it is one person.
    assert isolated([frozenset(range(6)), frozenset(range(5))]) == {5}


def cells_of(people: dict[int, int | None]) -> dict:
    """Current members per group cell (``None``: no department)."""
    return {(SLUG, group, DIM): frozenset(p for p, g in people.items() if g == group) for group in (0, 1, 2, None)}


def whole(pools: dict) -> frozenset[int]:
    """Who the whole questionnaire's figure is made of: everyone in a pool."""
    return frozenset().union(*pools.values()) if pools else frozenset()


def simulate(events: list[tuple[str, int | None]], k: int = K) -> tuple[list, dict]:
    """Runs the planner after every event (as every page view would); returns every published member set
    (each pool made, and the whole after each release) and the pools at the end."""
    people: dict[int, int | None] = {}
    pools: dict = {}
    published: list[frozenset[int]] = []
    next_id = 0
    for kind, group in events:
        if kind == "add":
            people[next_id] = group
            next_id += 1
        elif people:
            victim = sorted(people)[(group or 0) % len(people)]
            del people[victim]
        current = cells_of(people)
        made = plan_release(pools, current, k)
        pools.update(made)
        published += made.values()
        if made:
            published.append(whole(pools))
        # Not a planner that never releases: at most k − 1 wait per group, and fewer than k in all
        # wait outside the groups that take them in.
        waiting = [m - whole(pools) for m in current.values()]
        assert all(len(w) < k for w in waiting)
        assert sum(len(w) for w in waiting) < k
    return published, pools


def test_one_more_person_changes_nothing():
    _published, pools = simulate([("add", 0)] * 5 + [("add", 0)])
    assert whole(pools) == frozenset(range(5))  # the sixth waits
    published, pools = simulate([("add", 0)] * 10)
    assert whole(pools) == frozenset(range(10))  # five new: a new release
    assert isolated(published) == set()


def test_one_department_gaining_one_person_changes_nothing():
    events = [("add", 0)] * 5 + [("add", 1)] * 5 + [("add", 1)]
    _published, pools = simulate(events)
    assert pools[(SLUG, 1, DIM)] == frozenset(range(5, 10))
    assert whole(pools) == frozenset(range(10))


def test_a_deletion_never_shows_on_its_own():
    events = [("add", 0)] * 10 + [("delete", 3)]
    _published, pools = simulate(events)
    assert pools[(SLUG, 0, DIM)] == frozenset(range(10))  # the figure still counts person 3
    events += [("add", 0)] * 5
    _published, pools = simulate(events)
    assert pools[(SLUG, 0, DIM)] == frozenset(range(10, 15)) | (frozenset(range(10)) - {3})


def test_small_groups_go_in_together_and_belong_to_no_department():
    events = [("add", 0)] * 5 + [("add", 1)] * 2 + [("add", 2)] * 2 + [("add", None)]
    published, pools = simulate(events)
    assert pools[(SLUG, REST, DIM)] == frozenset(range(5, 10))
    assert (SLUG, 1, DIM) not in pools and (SLUG, 2, DIM) not in pools
    assert isolated(published) == set()


def test_employer_scan_alone_and_counts():
    cell, count = ("leercultuur", WHOLE, "f:motivation"), ("leercultuur", WHOLE, "n")
    one = {cell: frozenset({1}), count: frozenset({1})}
    assert plan_release({}, one, K, first_alone={"leercultuur"}, counts_free={"n"}) == one
    two = {cell: frozenset({1, 2}), count: frozenset({1, 2})}
    # The second scan: its count changes (so the page withholds both), the figure does not.
    assert plan_release(one, two, K, first_alone={"leercultuur"}, counts_free={"n"}) == {count: frozenset({1, 2})}


events_strategy = st.lists(
    st.one_of(st.tuples(st.just("add"), st.sampled_from([0, 1, 2, None])),
              st.tuples(st.just("delete"), st.integers(0, 50))),
    max_size=80)


@settings(max_examples=300, deadline=None)
@given(events_strategy, st.sampled_from([3, 5]))
def test_no_sequence_of_releases_isolates_anyone(events, k):
    published, _pools = simulate(events, k)
    assert isolated(published) == set()
