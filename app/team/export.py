"""Exports of a campaign's item answers and factor scores (the table; its file formats are in
:mod:`app.team.formats`), without identifying fields.

One row per completed response: questionnaire, version, department, every item answer and the
factor (and knob) scores. No ids, codes, hashes, dates, profile answers or free text. The rules that
keep ``k`` (``ANONYMITY_K``) meaningful in a file of single rows:

* **Only for a closed campaign** (:func:`export_allowed`: its last day, ``closes_on``, lies before
  today). While people can still answer, two exports a day apart would show which rows are new.
* **At least ``k`` per questionnaire**: a questionnaire's rows are included only when at least ``k``
  people completed it; with none at or above ``k`` the export is refused (:class:`TooFewResponses`).
* **Rows in random order** (``secrets.SystemRandom().shuffle``), one block per questionnaire: not by
  time, not sorted by content (sorted rows would put a known answer pattern in a known place).
* **Departments** (per questionnaire, by the rule that the dashboard and the team report use,
  :func:`app.team.profile.hidden_groups` → :func:`scoring.aggregate.hidden_departments`): a shown
  department is named; every other row (a hidden department, or no department chosen) is in one
  group "Overig" ("Other"). That group never holds fewer than ``k``: complementary suppression hides
  departments until the hidden ones together hold at least ``k`` (or all of them are hidden, and then
  "Overig" is the whole questionnaire, at least ``k`` by the rule above), and the respondents without
  a department who are not hidden are at least ``k`` by themselves. Should it ever hold fewer (it
  cannot by these rules), no row of that questionnaire names a department. A campaign without
  departments leaves the column empty.
* **Per factor** (and per knob of an employer scan): within each group of the export — a shown
  department, "Overig", and the questionnaire as a whole — a factor's column is shown only where the
  team report would show the mean: the groups that :func:`app.team.profile.hidden_groups` hides
  among the respondents *scored* on that factor (fewer than ``k``, and complementary suppression)
  get it empty in every row, together with the item columns of that factor. "Overig", of which the
  report shows nothing, is emptied when it holds fewer than ``k`` scored respondents, or when the
  emptied departments hold fewer than ``k`` (then it is their complement). The emptied rows together
  always hold at least ``k`` scored respondents (or none), so the team report's mean minus what the
  export shows reveals no one (:func:`emptied_groups`). Fewer than ``k`` scored on a factor in the
  whole questionnaire: that factor is empty in every row. The
  items of an earlier version cannot be told apart by factor (their factor may have changed), so all
  of them are emptied in a row where any factor or knob is.

The scores are the ones each response was given at submission (stored rows), and the version is the
response's own. Item columns belong to a questionnaire version: the current version's items are
named by their id; the items of an earlier version (known from its stored answers: the current
definitions hold only the current items) get their own columns, ``<item>@<version>``, because an
item of the same id may ask something else there.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from scoring import Definitions, DimensionScore, Questionnaire
from scoring.aggregate import hidden_departments

from .profile import Answered, department_of, hidden_groups

CSV_INJECTION = ("=", "+", "-", "@", "\t", "\r")


class TooFewResponses(Exception):
    """Fewer than ``k`` completed responses to every questionnaire of the campaign."""

    def __init__(self, k: int):
        super().__init__(f"fewer than {k} completed responses")
        self.k = k


def export_allowed(closes_on: date, today: date | None = None) -> bool:
    """Row-level exports only for a closed campaign: its last day (``closes_on``) lies before today."""
    return closes_on < (today or date.today())


@dataclass(frozen=True)
class VersionColumns:
    """The item columns of one questionnaire version in an export: (item id, column name) pairs."""

    slug: str
    version: str
    items: tuple[tuple[str, str], ...]
    current: bool  # the version of the definitions (whose texts are known), not an earlier one


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str | int | float | None, ...], ...]
    #: The questionnaire versions in the export and their item columns (for a codebook).
    versions: tuple[VersionColumns, ...] = ()


OTHER = "other"  # the export group of every row not in a shown department


def export_groups(rs: Sequence[Answered], departments: Mapping[int, str], k: int) -> list[int | str]:
    """Each response's group in the export: its department id when that department is shown, else
    :data:`OTHER` (a hidden department or none). See the module docstring for why "Overig" holds
    ``k`` or more; if it ever held fewer, every row is :data:`OTHER` (no department named)."""
    hidden = hidden_groups(rs, departments, k)
    groups: list[int | str] = [OTHER if (d := department_of(r, departments)) is None or d in hidden else d
                               for r in rs]
    if 0 < groups.count(OTHER) < k:  # cannot happen by complementary suppression; never name a group then
        return [OTHER] * len(rs)
    return groups


def emptied_groups(rs: Sequence[Answered], departments: Mapping[int, str], groups: Sequence[int | str], k: int,
                   scored: Callable[[Answered], bool]) -> frozenset[int | str]:
    """The export groups in which one factor (or knob) stays empty, given which of ``rs`` are ``scored`` on it.

    A shown department is emptied exactly when the team report hides its mean (the same rule,
    :func:`scoring.aggregate.hidden_departments` among the scored respondents). "Overig" (:data:`OTHER`),
    of which the report shows nothing, is emptied when it holds fewer than ``k`` scored respondents,
    or when the emptied departments hold fewer than ``k`` (it is then their complement). Either way
    the emptied rows hold at least ``k`` scored respondents, or none, or they are all the rows.
    """
    counts: dict[int | None, int] = {}
    in_group: dict[int | str, int] = {}
    for r, g in zip(rs, groups, strict=True):
        if scored(r):
            key = department_of(r, departments)
            counts[key] = counts.get(key, 0) + 1
            in_group[g] = in_group.get(g, 0) + 1
    hidden = hidden_departments(counts, k)
    emptied: set[int | str] = {g for g in set(groups) if g != OTHER and g in hidden}
    if OTHER in groups:
        other = in_group.get(OTHER, 0)
        rest = sum(in_group.get(g, 0) for g in emptied)
        # Emptied: the merged groups then hold all of ``hidden`` that is not a shown department, so the
        # emptied rows hold at least what ``hidden`` holds: k or more (or everything is emptied).
        if 0 < other < k or 0 < rest < k:
            emptied.add(OTHER)
    return frozenset(emptied)


def export_table(defs: Definitions, responses: Sequence[Answered], departments: Mapping[int, str], k: int,
                 other: str | None = None) -> Table:
    """The export of ``responses`` (all completed, one campaign); :class:`TooFewResponses` below ``k``.

    ``other`` names the group of the rows outside a shown department (default: "Overig" in the UI
    language). Whether the campaign is closed is the caller's check (:func:`export_allowed`).
    """
    per_slug: dict[str, list[Answered]] = {}
    for r in responses:
        if r.slug in defs.questionnaires:
            per_slug.setdefault(r.slug, []).append(r)
    kept = {slug: rs for slug, rs in sorted(per_slug.items()) if len(rs) >= k}
    if not kept:
        raise TooFewResponses(k)
    other_label = _("Overig") if other is None else other
    # (slug, version) → {item id: column}, for the versions in the export: the current one first.
    columns_of: dict[tuple[str, str], dict[str, str]] = {}
    for slug, rs in kept.items():
        q = defs.questionnaires[slug]
        for version in sorted({r.version for r in rs}, key=lambda v: (v != q.version, v)):
            columns_of[(slug, version)] = ({i.id: i.id for i in q.items} if version == q.version else
                                           {item: f"{item}@{version}" for item in
                                            _answered_items(q, [r for r in rs if r.version == version])})
    items = [column for columns in columns_of.values() for column in columns.values()]
    factors = [f.id for f in defs.model.factors]
    knobs = [kn.id for kn in defs.model.knobs if any(defs.questionnaires[s].audience == "employer" for s in kept)]
    header = ("questionnaire", "version", "department", *items,
              *(f"score_{f}" for f in factors), *(f"score_{kn}" for kn in knobs))
    position = {column: n for n, column in enumerate(items)}
    places = {key: [(item, position[column]) for item, column in columns.items()]
              for key, columns in columns_of.items()}
    shuffle = secrets.SystemRandom().shuffle
    rows: list[tuple[str | int | float | None, ...]] = []
    for slug, rs in kept.items():
        q = defs.questionnaires[slug]
        employer = q.audience == "employer"
        groups = export_groups(rs, departments, k)
        # Per factor (and knob of an employer scan): the groups where it stays empty, and its items.
        dims = [(f, "factors") for f in factors] + ([(kn, "knobs") for kn in knobs] if employer else [])
        emptied = {dim: emptied_groups(rs, departments, groups, k, _scored_on(dim, kind)) for dim, kind in dims}
        items_of = {dim: {i.id for i in (q.items_by_factor if kind == "factors" else q.items_by_knob).get(dim, ())}
                    for dim, kind in dims}
        block = []
        for r, group in zip(rs, groups, strict=True):
            result = r.scores
            answers = r.answers or {}
            empty = {dim for dim in emptied if group in emptied[dim]}
            blank_items = ({item for dim in empty for item in items_of[dim]} if r.version == q.version else
                           ({item for item, _n in places[(slug, r.version)]} if empty else set()))
            cells: list[int | None] = [None] * len(items)  # only its own version's columns get answers
            for item, n in places[(slug, r.version)]:
                cells[n] = None if item in blank_items else answers.get(item)
            department = "" if not departments else (other_label if group == OTHER else departments[int(group)])
            block.append((slug, r.version, department, *cells,
                          *(None if f in empty else _rounded(_score(result.factors, f)) for f in factors),
                          *(_rounded(_score(result.knobs, kn)) if employer and kn not in empty else None
                            for kn in knobs)))
        shuffle(block)
        rows += block
    versions = tuple(VersionColumns(slug, version, tuple(columns.items()),
                                    version == defs.questionnaires[slug].version)
                     for (slug, version), columns in columns_of.items())
    return Table(header, tuple(rows), versions)


def _scored_on(dimension: str, kind: str) -> Callable[[Answered], bool]:
    """Whether a response has a score on ``dimension`` (``kind``: ``factors`` or ``knobs``)."""
    def scored(r: Answered) -> bool:
        return _score(getattr(r.scores, kind), dimension) is not None
    return scored


def _answered_items(q: Questionnaire, responses: Sequence[Answered]) -> list[str]:
    """The item ids in the stored answers of ``responses`` (to an earlier version of ``q``): those that
    ``q`` still has in its order, then the others by id."""
    found = {item for r in responses for item in (r.answers or {})}
    order = {item.id: n for n, item in enumerate(q.items)}
    return sorted(found, key=lambda item: (order.get(item, len(order)), item))


def _score(dimensions: Mapping[str, DimensionScore], dimension: str) -> float | None:
    found = dimensions.get(dimension)
    return None if found is None else found.score


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def spreadsheet_safe(value: str | int | float | None) -> str | int | float | None:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(CSV_INJECTION):
        return "'" + value
    return value


def to_csv(table: Table) -> str:
    """The table as plain CSV for tools: comma-separated, decimal point, the column names as they are
    (ids), empty cells for missing values. (The other formats: :mod:`app.team.formats`.)"""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    return buf.getvalue()
