"""The file formats of a campaign's export (:class:`app.team.export.Table`): what the rules of
:mod:`app.team.export` left in the table, written so that each program opens it right.

* :func:`app.team.export.to_csv` — plain CSV for tools (comma, decimal point, UTF-8 without BOM,
  the column ids as header).
* :func:`to_excel_csv` — CSV for Excel with Dutch regional settings: semicolon, decimal comma,
  UTF-8 with a BOM (without it Excel reads the file as Windows-1252), headers in the UI language.
* :func:`to_xlsx` — a workbook: the answers with headers in the UI language, and a codebook sheet per
  questionnaire version in the export (item id, question, factor, reverse-keyed, answer labels).
* :func:`to_sav` — an SPSS data file with variable labels, value labels and measurement levels
  (written by pyreadstat; pandas and pyreadstat are imported only here, when one is made).

None of them adds or removes a cell: every value is the table's, so the anonymity rules hold for
every format alike. Item columns keep their ids (``mot_1``, ``mot_1@1.0.0``) in every format; the
codebook and the SPSS labels say what they ask.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from scoring import Definitions, Questionnaire
from scoring.definitions import NOT_APPLICABLE

from .export import Table, VersionColumns, spreadsheet_safe

#: The columns holding text; every other column holds numbers (answers, scores) or is empty.
TEXT_COLUMNS = ("questionnaire", "version", "department")
SCORE_PREFIX = "score_"


def column_labels(defs: Definitions, header: Sequence[str], lang: str) -> list[str]:
    """The header in words of the UI language: the fixed columns and the scores named, the items by id."""
    fixed = {"questionnaire": _("Vragenlijst"), "version": _("Versie"), "department": _("Afdeling")}
    dims = {f.id: f.label(lang) for f in defs.model.factors} | {k.id: k.label(lang) for k in defs.model.knobs}
    labels = []
    for column in header:
        if column in fixed:
            labels.append(fixed[column])
        elif column.startswith(SCORE_PREFIX) and column[len(SCORE_PREFIX):] in dims:
            labels.append(_("Score %(name)s", name=dims[column[len(SCORE_PREFIX):]]))
        else:
            labels.append(column)
    return labels


# --- CSV for Dutch Excel ----------------------------------------------------------------------------


def _decimal_comma(value: str | int | float | None) -> str | int | float | None:
    """A float with a decimal comma (62.5 → ``62,5``, 100.0 → ``100``); anything else as it is."""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return value


def to_excel_csv(table: Table, labels: Sequence[str]) -> bytes:
    """The table as CSV for Excel with Dutch regional settings: ``;`` between cells, a decimal comma,
    UTF-8 with a byte order mark, ``labels`` as the header (:func:`column_labels`)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(label) for label in labels])
    for row in table.rows:
        writer.writerow(["" if v is None else _decimal_comma(spreadsheet_safe(v)) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- Codebook ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodebookEntry:
    column: str
    question: str
    factor: str
    reverse: str
    answers: str


def answer_labels(q: Questionnaire, lang: str, allow_unknown: bool, not_applicable: bool = False) -> str:
    """The answer scale in words: ``1 = Helemaal oneens; …`` (and what an empty cell or a 0 can mean)."""
    labels = "; ".join(f"{label.value} = {label.label(lang)}" for label in q.scale.labels)
    if allow_unknown and q.scale.unknown is not None:
        labels += "; " + _("leeg = %(unknown)s of geen antwoord", unknown=q.scale.unknown(lang))
    if not_applicable and q.scale.not_applicable is not None:
        labels += "; " + _("%(value)s = %(label)s (telt niet mee in de score)", value=NOT_APPLICABLE,
                           label=q.scale.not_applicable(lang))
    return labels


def codebook(defs: Definitions, table: Table, labels: Sequence[str], version: VersionColumns,
             lang: str) -> list[CodebookEntry]:
    """What each column of ``version``'s rows holds: the fixed columns, its items, its scores."""
    q = defs.questionnaires[version.slug]
    label_of = dict(zip(table.header, labels, strict=True))
    factor_names = {f.id: f.label(lang) for f in defs.model.factors}
    knob_names = {k.id: k.label(lang) for k in defs.model.knobs}
    yes, no = _("ja"), _("nee")
    entries = [
        CodebookEntry(label_of["questionnaire"], _("Vragenlijst: %(slug)s is de %(title)s", slug=q.slug,
                                                   title=q.title(lang)), "", "", ""),
        CodebookEntry(label_of["version"], _("Versie van de vragenlijst waarmee dit antwoord is gegeven"), "", "", ""),
        CodebookEntry(label_of["department"], _("Afdeling; '%(other)s' zijn alle afdelingen die we niet tonen en wie "
                                                "geen afdeling koos", other=_("Overig")), "", "", ""),
    ]
    for item_id, column in version.items:
        item = q.item_map.get(item_id) if version.current else None
        if item is None:  # an earlier version: the definitions hold only the current version's texts
            entries.append(CodebookEntry(column, _("Vraag %(item)s van versie %(version)s (de tekst van die versie "
                                                   "is niet meer in de app)", item=item_id, version=version.version),
                                         "", "", ""))
            continue
        factor = factor_names.get(item.factor, item.factor) if item.factor else ""  # a knob item: none
        entries.append(CodebookEntry(column, item.text(lang), factor,
                                     yes if item.reverse else no, answer_labels(q, lang, item.allow_unknown,
                                                                                 bool(item.not_applicable_for))))
    dims = [(f, factor_names[f]) for f in factor_names]
    if q.audience == "employer":
        dims += [(k, knob_names[k]) for k in knob_names]
    for dim, name in dims:
        column = SCORE_PREFIX + dim
        if column in label_of:
            entries.append(CodebookEntry(label_of[column], _("Score van 0 tot 100 op %(name)s, berekend bij het "
                                                             "insturen", name=name), name, "", ""))
    return entries


def codebook_notes(q: Questionnaire) -> list[str]:
    """The lines above a codebook: what an empty cell means and what reverse-keyed means."""
    return [
        _("Een lege cel: geen antwoord, een vraag van een andere vragenlijst of versie, of leeg gelaten omdat "
          "de groep te klein is om die factor te tonen."),
        _("Omgekeerd gescoord: de download bevat het antwoord zelf; voor de score telt %(low)s + %(high)s min "
          "het antwoord.", low=q.scale.min, high=q.scale.max),
    ]


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unused worksheet title (at most 31 characters, none of ``[]:*?/\\``)."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name)[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


# --- XLSX -------------------------------------------------------------------------------------------


def to_xlsx(table: Table, defs: Definitions, lang: str) -> bytes:
    """The table as a workbook: sheet "antwoorden" (headers in the UI language, the header row frozen)
    and a codebook sheet per questionnaire version in the export."""
    from openpyxl import Workbook  # imported where used: few requests export, and every worker start would pay
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    labels = column_labels(defs, table.header, lang)
    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):  # a new workbook has one sheet, active: a worksheet
        raise TypeError(f"a new workbook's active sheet is {ws!r}, not a worksheet")
    taken: set[str] = set()
    ws.title = sheet_title(_("antwoorden"), taken)
    ws.append([spreadsheet_safe(label) for label in labels])
    for row in table.rows:
        ws.append([spreadsheet_safe(v) for v in row])
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    codebook_word = _("codeboek")
    for version in table.versions:
        q = defs.questionnaires[version.slug]
        book = wb.create_sheet(sheet_title(f"{codebook_word} {version.slug} {version.version}", taken))
        book.append([_("Codeboek: %(title)s, versie %(version)s", title=q.title(lang), version=version.version)])
        book["A1"].font = bold
        for note in codebook_notes(q):
            book.append([note])
        book.append([])
        book.append([_("Kolom"), _("Vraag"), _("Factor"), _("Omgekeerd gescoord"), _("Antwoorden")])
        for cell in book[book.max_row]:
            cell.font = bold
        for entry in codebook(defs, table, labels, version, lang):
            book.append([spreadsheet_safe(entry.column), spreadsheet_safe(entry.question), entry.factor,
                         entry.reverse, entry.answers])
        for letter, width in zip("ABCDE", (18, 70, 16, 20, 70), strict=True):
            book.column_dimensions[letter].width = width
    # No author or dates of people in the file's properties: only the app's name.
    wb.properties.creator = "Regiekompas"
    wb.properties.lastModifiedBy = "Regiekompas"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- SPSS -------------------------------------------------------------------------------------------

SPSS_RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}


def spss_names(header: Sequence[str]) -> list[str]:
    """Valid, unique SPSS variable names for ``header``: letters, digits and ``_`` only, starting with a
    letter, at most 64 characters, no reserved word (``mot_1@1.0.0`` → ``mot_1_v1_0_0``)."""
    names: list[str] = []
    taken: set[str] = set()
    for column in header:
        name = re.sub(r"[^A-Za-z0-9_]", "_", column.replace("@", "_v"))
        if not name or not name[0].isalpha() or name.lower() in SPSS_RESERVED:
            name = "v_" + name
        name = name[:64].rstrip("_") or "v"
        unique, n = name, 2
        while unique.lower() in taken:
            suffix = f"_{n}"
            unique, n = name[:64 - len(suffix)] + suffix, n + 1
        taken.add(unique.lower())
        names.append(unique)
    return names


@dataclass(frozen=True)
class SpssVariable:
    name: str
    label: str
    measure: str  # "nominal", "ordinal" or "scale"
    values: dict[float, str]  # value labels (numeric variables)
    format: str | None = None  # SPSS print format of a numeric variable: F1.0 for answers 1-5, F6.2 for scores
    missing: tuple[float, ...] = ()  # user-missing values ("does not apply": 0)


def spss_variables(defs: Definitions, table: Table, lang: str) -> list[SpssVariable]:
    """Name, label, measurement level and value labels of each column of ``table``."""
    labels = column_labels(defs, table.header, lang)
    texts: dict[str, tuple[str, dict[float, str], str]] = {}  # column → (label, value labels, format)
    not_applicable: set[str] = set()  # columns of items that offer "does not apply"
    for version in table.versions:
        q = defs.questionnaires[version.slug]
        scale = {float(label.value): label.label(lang) for label in q.scale.labels}
        answer_format = f"F{max(len(str(q.scale.min)), len(str(q.scale.max)))}.0"
        for item_id, column in version.items:
            item = q.item_map.get(item_id) if version.current else None
            if item is None:  # an earlier version's texts and scale are not in the definitions: id and version
                texts[column] = (_("Vraag %(item)s van versie %(version)s", item=item_id, version=version.version),
                                 {}, "F8.0")
                continue
            values = scale
            if item.not_applicable_for and q.scale.not_applicable is not None:
                values = {float(NOT_APPLICABLE): q.scale.not_applicable(lang), **scale}
                not_applicable.add(column)
            texts[column] = (item.text(lang), values, answer_format)
    result = []
    for column, name, label in zip(table.header, spss_names(table.header), labels, strict=True):
        if column in TEXT_COLUMNS:
            result.append(SpssVariable(name, label, "nominal", {}))
        elif column in texts:
            text, scale, answer_format = texts[column]
            result.append(SpssVariable(name, f"{column}: {text}", "ordinal", scale, answer_format,
                                       (float(NOT_APPLICABLE),) if column in not_applicable else ()))
        else:
            result.append(SpssVariable(name, label, "scale", {}, "F6.2"))
    return result


def to_sav(table: Table, defs: Definitions, lang: str) -> bytes:
    """The table as an SPSS data file (.sav): variable labels (the question, or the score's name),
    value labels for the answers (``1`` = Helemaal oneens …), measurement levels; an empty cell is
    system-missing. Text columns are strings."""
    import pandas as pd  # imported where used: pandas is large, and only this export needs it
    import pyreadstat

    variables = spss_variables(defs, table, lang)
    data: dict[str, list[str] | list[float]] = {}
    for n, (column, variable) in enumerate(zip(table.header, variables, strict=True)):
        values = [row[n] for row in table.rows]
        if column in TEXT_COLUMNS:
            data[variable.name] = ["" if v is None else str(v) for v in values]
        else:
            data[variable.name] = [float("nan") if v is None else float(v) for v in values]
    frame = pd.DataFrame(data, columns=[v.name for v in variables])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "export.sav")
        pyreadstat.write_sav(frame, path, file_label="Regiekompas",
                             column_labels={v.name: v.label for v in variables},
                             variable_value_labels={v.name: v.values for v in variables if v.values},
                             variable_measure={v.name: v.measure for v in variables},
                             variable_format={v.name: v.format for v in variables if v.format},
                             missing_ranges={v.name: list(v.missing) for v in variables if v.missing})
        with open(path, "rb") as file:
            return file.read()
