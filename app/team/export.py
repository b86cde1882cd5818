"""Exports of a campaign's item answers and factor scores (CSV and XLSX), without identifying fields.

One row per completed response: questionnaire, version, department (only a department that the
team report may show: at or above ``k`` with complementary suppression), every item answer and the
factor (and knob) scores. No ids, codes, hashes, dates, profile answers or free text. A
questionnaire's rows are included only when at least ``k`` people completed it; with none at or
above ``k`` the export is refused (:class:`TooFewResponses`). Rows are sorted by their content, so
their order says nothing about who answered first.

The scores are the ones each response was given at submission (stored rows), and the version is the
response's own. Item columns belong to a questionnaire version: the current version's items are
named by their id; the items of an earlier version (known from its stored answers: the current
definitions hold only the current items) get their own columns, ``<item>@<version>``, because an
item of the same id may ask something else there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scoring import Definitions, DimensionScore, Questionnaire

from .profile import Answered, by_audience, department_names

CSV_INJECTION = ("=", "+", "-", "@", "\t", "\r")


class TooFewResponses(Exception):
    """Fewer than ``k`` completed responses to every questionnaire of the campaign."""

    def __init__(self, k: int):
        super().__init__(f"fewer than {k} completed responses")
        self.k = k


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str | int | float | None, ...], ...]


def export_table(defs: Definitions, responses: Sequence[Answered], departments: Mapping[int, str], k: int) -> Table:
    """The export of ``responses`` (all completed, one campaign); :class:`TooFewResponses` below ``k``."""
    per_slug: dict[str, list[Answered]] = {}
    for r in responses:
        if r.slug in defs.questionnaires:
            per_slug.setdefault(r.slug, []).append(r)
    kept = {slug: rs for slug, rs in sorted(per_slug.items()) if len(rs) >= k}
    if not kept:
        raise TooFewResponses(k)
    names = department_names(by_audience(defs, responses, "worker"), departments, k)
    # (slug, version) → {item id: column}, for the versions in the export: the current one first.
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for slug, rs in kept.items():
        q = defs.questionnaires[slug]
        for version in sorted({r.version for r in rs}, key=lambda v: (v != q.version, v)):
            groups[(slug, version)] = ({i.id: i.id for i in q.items} if version == q.version else
                                       {item: f"{item}@{version}" for item in
                                        _answered_items(q, [r for r in rs if r.version == version])})
    items = [column for columns in groups.values() for column in columns.values()]
    factors = [f.id for f in defs.model.factors]
    knobs = [kn.id for kn in defs.model.knobs if any(defs.questionnaires[s].audience == "employer" for s in kept)]
    header = ("questionnaire", "version", "department", *items,
              *(f"score_{f}" for f in factors), *(f"score_{kn}" for kn in knobs))
    position = {column: n for n, column in enumerate(items)}
    places = {key: [(item, position[column]) for item, column in columns.items()] for key, columns in groups.items()}
    rows = []
    for slug, rs in kept.items():
        employer = defs.questionnaires[slug].audience == "employer"
        for r in rs:
            result = r.scores
            answers = r.answers or {}
            cells: list[int | None] = [None] * len(items)  # only its own version's columns get answers
            for item, n in places[(slug, r.version)]:
                cells[n] = answers.get(item)
            rows.append((slug, r.version, names.get(r.department_id, "") if r.department_id is not None else "",
                         *cells,
                         *(_rounded(_score(result.factors, f)) for f in factors),
                         *(_rounded(_score(result.knobs, kn)) if employer else None for kn in knobs)))
    rows.sort(key=lambda row: tuple((v is None, "" if v is None else str(v)) for v in row))
    return Table(header, tuple(rows))


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


def _safe(value: str | int | float | None) -> str | int | float | None:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(CSV_INJECTION):
        return "'" + value
    return value


def to_csv(table: Table) -> str:
    """The table as CSV (comma-separated, a header row, empty cells for missing values)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return buf.getvalue()


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook with one sheet ``antwoorden``, the header row frozen."""
    from openpyxl import Workbook  # imported where used: few requests export, and every worker start would pay
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):  # a new workbook has one sheet, active: a worksheet
        raise TypeError(f"a new workbook's active sheet is {ws!r}, not a worksheet")
    ws.title = "antwoorden"
    ws.append(list(table.header))
    for row in table.rows:
        ws.append([_safe(v) for v in row])
    ws.freeze_panes = "A2"
    # No author or dates of people in the file's properties: only the app's name.
    wb.properties.creator = "Regiekompas"
    wb.properties.lastModifiedBy = "Regiekompas"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
