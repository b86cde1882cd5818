"""The export's file formats, read back: the CSV for Dutch Excel (BOM, ``;``, decimal comma), the plain
CSV for tools, the XLSX's Dutch headers and codebook sheets, the SPSS file's variable and value labels.
Each holds exactly the cells of the plain CSV (so the anonymity rules hold for all), under the same
access rules (advisor of the organisation; a 409 page while the campaign is open or below k)."""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import subprocess
from datetime import date, timedelta
from html import unescape

import pyreadstat
import pytest
from openpyxl import load_workbook

from app.definitions import KEY
from app.team.export import Table, VersionColumns
from app.team.formats import codebook, column_labels, spss_names
from tests.app.team.test_anonymity_exports import set_dates, store_partial, worker
from tests.app.team.test_versions import NEW, SHIPPED, later_app, stored  # noqa: F401 - fixtures (used as arguments below)
from tests.support.team_data import (
    CHECK_UP_ITEMS,
    EMPLOYER_BY_KNOB,
    WORKERS,
    fill,
    logged_in,
    make_campaign,
    questionnaire,
)

BOM = b"\xef\xbb\xbf"
ITEMS = CHECK_UP_ITEMS
FACTORS = ("motivation", "awareness", "means", "opportunities")
KNOBS = ("direction", "room", "backing")
NEW_ROUTES = ("export-excel.csv", "export.sav")
OLD_NAME = "mot_1_v" + SHIPPED.replace(".", "_")  # the SPSS name of mot_1@SHIPPED
ALL_ROUTES = ("export.csv", "export-excel.csv", "export.xlsx", "export.sav")
NUMBER = re.compile(r"-?\d+([.,]\d+)?")


@pytest.fixture
def both(app):
    """Five workers (three in Productie, two in Kantoor) and five employer scans (means 62.5 each),
    in a closed campaign; its id and a logged-in advisor of the organisation."""
    campaign_id, org_id, deps = make_campaign(app, departments=("Productie", "Kantoor"))
    fill(app, campaign_id, WORKERS, [deps["Productie"]] * 3 + [deps["Kantoor"]] * 2, employers=[EMPLOYER_BY_KNOB] * 5)
    return campaign_id, logged_in(app, "adviseur@example.org", (org_id,))


def get(advisor, campaign_id: int, route: str, lang: str = "nl"):
    response = advisor.get(f"/advisor/campaigns/{campaign_id}/{route}?lang={lang}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return response


def plain_rows(advisor, campaign_id: int, lang: str = "nl") -> list[list[str]]:
    return list(csv.reader(io.StringIO(get(advisor, campaign_id, "export.csv", lang).data.decode("utf-8"))))


def normal(value) -> str:
    """A cell as text, numbers with a decimal point and no trailing zeros (``62,50`` → ``62.5``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    if NUMBER.fullmatch(text):
        return repr(float(text.replace(",", ".")))
    return text


def same_cells(rows_a, rows_b) -> bool:
    """The same rows (in any order: every export is shuffled anew), cell by cell."""
    return sorted([normal(v) for v in r] for r in rows_a) == sorted([normal(v) for v in r] for r in rows_b)


def read_sav(data: bytes, tmp_path):
    path = tmp_path / "export.sav"
    path.write_bytes(data)
    return pyreadstat.read_sav(str(path), user_missing=False)


# The CSV for Dutch Excel ---------------------------------------------------------------------------------


def test_the_excel_csv_has_a_bom_semicolons_and_decimal_commas(app, both):
    campaign_id, advisor = both
    response = get(advisor, campaign_id, "export-excel.csv")
    assert response.mimetype == "text/csv" and response.headers["Content-Type"].endswith("charset=utf-8")
    assert "-excel.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith(BOM)
    text = response.data[len(BOM):].decode("utf-8")
    assert text.splitlines()[0].count(";") == len(plain_rows(advisor, campaign_id)[0]) - 1
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    items = plain_rows(advisor, campaign_id)[0][3:-7]
    assert items == [i.id for i in questionnaire(app, "leercultuur").items] + ITEMS  # item columns keep their ids
    assert header == ["Vragenlijst", "Versie", "Afdeling", *items, "Score Motivatie", "Score Bewustzijn",
                      "Score Middelen", "Score Kansen", "Score Richting", "Score Ruimte", "Score Ruggensteun"]
    assert len(body) == 10 and all(len(r) == len(header) for r in body)
    employer = [r for r in body if r[0] == "leercultuur"]
    assert [r[header.index("Score Middelen")] for r in employer] == ["62,5"] * 5  # a decimal comma
    assert {r[header.index("Score Richting")] for r in employer} == {"100"}
    workers = [r for r in body if r[0] == "loopbaan-apk"]
    assert sorted(r[header.index("Score Motivatie")] for r in workers) == ["100", "25", "50", "75", "75"]
    assert {r[header.index("Score Richting")] for r in workers} == {""}  # knobs: employer scans only
    assert {r[2] for r in workers} == {"Overig"}
    numbers = [cell for r in body for cell in r[3:] if cell]
    assert numbers and not any("." in cell for cell in numbers)  # no decimal point anywhere
    assert same_cells(body, plain_rows(advisor, campaign_id)[1:])


def test_the_excel_csv_in_english(app, both):
    campaign_id, advisor = both
    text = get(advisor, campaign_id, "export-excel.csv", "en").data[len(BOM):].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Questionnaire", "Version", "Department"] and "Score Motivation" in rows[0]
    assert {r[2] for r in rows[1:] if r[0] == "loopbaan-apk"} == {"Other"}


# The plain CSV for tools ---------------------------------------------------------------------------------


def test_the_plain_csv_has_commas_decimal_points_and_no_bom(app, both):
    campaign_id, advisor = both
    response = get(advisor, campaign_id, "export.csv")
    assert response.mimetype == "text/csv" and not response.data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8"))))
    header = rows[0]
    scan_items = [i.id for i in questionnaire(app, "leercultuur").items]
    assert header == ["questionnaire", "version", "department", *scan_items, *ITEMS, *(f"score_{f}" for f in FACTORS),
                      *(f"score_{k}" for k in KNOBS)]
    employer = [r for r in rows[1:] if r[0] == "leercultuur"]
    assert [r[header.index("score_means")] for r in employer] == ["62.5"] * 5
    assert all(float(cell) >= 0 for r in rows[1:] for cell in r[3:] if cell)  # every number parses as it is


# The XLSX: headers in words and a codebook per questionnaire version ---------------------------------


def codebook_table(sheet) -> tuple[list[str], dict[str, tuple]]:
    """The lines above a codebook sheet's table, and its rows by column name."""
    values = list(sheet.iter_rows(values_only=True))
    start = next(n for n, row in enumerate(values) if row[0] in ("Kolom", "Column"))
    notes = [row[0] for row in values[:start] if row[0]]
    return notes, {row[0]: row for row in values[start + 1:]}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_xlsx_has_headers_in_words_and_a_codebook_sheet_per_questionnaire_version(app, both, lang):
    campaign_id, advisor = both
    words = {"nl": ("antwoorden", "codeboek", "Afdeling", "Score Motivatie", "ja", "nee", "Helemaal oneens"),
             "en": ("answers", "codebook", "Department", "Score Motivation", "yes", "no", "Strongly disagree")}[lang]
    sheets, book, department, motivation, yes, no, lowest = words
    workbook = load_workbook(io.BytesIO(get(advisor, campaign_id, "export.xlsx", lang).data))
    assert workbook.sheetnames == [sheets, f"{book} leercultuur {SHIPPED}", f"{book} loopbaan-apk {SHIPPED}"]
    answers = list(workbook[sheets].iter_rows(values_only=True))
    assert answers[0][2] == department and motivation in answers[0] and len(answers) == 11
    assert workbook[sheets].freeze_panes == "A2"

    for slug in ("loopbaan-apk", "leercultuur"):
        q = questionnaire(app, slug)
        notes, table = codebook_table(workbook[f"{book} {slug} {SHIPPED}"])
        assert notes[0].endswith(f"{q.title(lang)}, {'versie' if lang == 'nl' else 'version'} {SHIPPED}")
        assert [c for c in table if c in {i.id for i in q.items}] == [i.id for i in q.items]  # every item, in order
        for item in q.items:
            column, question, factor, reverse, labels = table[item.id]
            assert question == item.text(lang)
            assert bool(factor) == (item.factor is not None)  # the factor's name (checked below); none for a knob item
            assert reverse == (yes if item.reverse else no)
            assert labels.startswith(f"1 = {lowest}; 2 = ") and "5 = " in labels
            assert (q.scale.unknown(lang) in labels) == item.allow_unknown
            assert (f"0 = {q.scale.not_applicable(lang)}" in labels if q.scale.not_applicable else False) == bool(
                item.not_applicable_for)
        assert motivation in table and department in table
    # Factor names as in the model, reverse-keyed items named as such.
    q = questionnaire(app, "loopbaan-apk")
    _notes, table = codebook_table(workbook[f"{book} loopbaan-apk {SHIPPED}"])
    factor_names = {"nl": "Motivatie", "en": "Motivation"}[lang]
    assert {table[i.id][2] for i in q.items if i.factor == "motivation"} == {factor_names}
    assert any(table[i.id][3] == yes for i in q.items) and any(table[i.id][3] == no for i in q.items)
    # The employer scan's codebook lists its knob scores too, the check-up's none.
    _notes, employer = codebook_table(workbook[f"{book} leercultuur {SHIPPED}"])
    knob = {"nl": "Score Richting", "en": "Score Direction"}[lang]
    assert knob in employer and knob not in table


def test_the_xlsx_answers_are_the_cells_of_the_plain_csv(app, both):
    campaign_id, advisor = both
    workbook = load_workbook(io.BytesIO(get(advisor, campaign_id, "export.xlsx").data))
    answers = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert same_cells(answers[1:], plain_rows(advisor, campaign_id)[1:])


def test_a_codebook_of_an_earlier_version_claims_no_text_it_does_not_have(app):
    # The definitions hold only the current version's texts: an earlier version's items are named, not described.
    table = Table(("questionnaire", "version", "department", "mot_1", "mot_1@0.9.0", "score_motivation"), (),
                  (VersionColumns("loopbaan-apk", SHIPPED, (("mot_1", "mot_1"),), True),
                   VersionColumns("loopbaan-apk", "0.9.0", (("mot_1", "mot_1@0.9.0"),), False)))
    defs = app.extensions[KEY]
    with app.test_request_context("/?lang=nl"):
        labels = column_labels(defs, table.header, "nl")
        current = {e.column: e for e in codebook(defs, table, labels, table.versions[0], "nl")}
        earlier = {e.column: e for e in codebook(defs, table, labels, table.versions[1], "nl")}
    assert current["mot_1"].question == defs.questionnaires["loopbaan-apk"].item_map["mot_1"].text("nl")
    entry = earlier["mot_1@0.9.0"]
    assert entry.question == "Vraag mot_1 van versie 0.9.0 (de tekst van die versie is niet meer in de app)"
    assert (entry.factor, entry.reverse, entry.answers) == ("", "", "")
    assert "mot_1" not in earlier


# SPSS ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_spss_file_reads_back_with_variable_and_value_labels(app, both, tmp_path, lang):
    campaign_id, advisor = both
    response = get(advisor, campaign_id, "export.sav", lang)
    assert response.mimetype == "application/x-spss-sav" and ".sav" in response.headers["Content-Disposition"]
    frame, meta = read_sav(response.data, tmp_path)
    _frame, with_missing = pyreadstat.read_sav(str(tmp_path / "export.sav"), user_missing=True, metadataonly=True)
    plain = plain_rows(advisor, campaign_id, lang)
    assert meta.column_names == plain[0]  # these ids are valid SPSS names already
    labels = meta.column_names_to_labels
    q = questionnaire(app, "loopbaan-apk")
    scan = questionnaire(app, "leercultuur")
    for item in q.items:
        assert labels[item.id] == f"{item.id}: {item.text(lang)}"
        does_not_apply = {0.0: q.scale.not_applicable(lang)} if item.not_applicable_for else {}
        assert meta.variable_value_labels[item.id] == {
            **does_not_apply, **{float(s.value): s.label(lang) for s in q.scale.labels}}
        # "does not apply" (0) is a user-missing value: SPSS leaves it out of every statistic
        assert with_missing.missing_ranges.get(item.id, []) == ([{"lo": 0.0, "hi": 0.0}] if does_not_apply else [])
        assert meta.variable_measure[item.id] == "ordinal"
    assert meta.variable_value_labels["mot_1"][1.0] == {"nl": "Helemaal oneens", "en": "Strongly disagree"}[lang]
    assert labels["score_motivation"] == {"nl": "Score Motivatie", "en": "Score Motivation"}[lang]
    assert labels["department"] == {"nl": "Afdeling", "en": "Department"}[lang]
    assert meta.variable_measure["score_motivation"] == "scale"
    assert meta.readstat_variable_types["department"] == "string"
    assert meta.readstat_variable_types["mot_1"] == "double"
    assert (meta.original_variable_types["mot_1"], meta.original_variable_types["score_motivation"]) == ("F1.0",
                                                                                                      "F6.2")
    assert {s.id for s in scan.items} <= set(meta.column_names)
    employer = frame[frame["questionnaire"] == "leercultuur"]
    assert list(employer["score_means"]) == [62.5] * 5
    workers = frame[frame["questionnaire"] == "loopbaan-apk"]
    assert workers["score_direction"].isna().all()  # empty cells are system-missing
    assert set(workers["department"]) == {"Overig" if lang == "nl" else "Other"}
    # The same cells as the plain CSV.
    assert same_cells(frame.itertuples(index=False), plain[1:])


@pytest.mark.skipif(shutil.which("pspp") is None, reason="PSPP is not installed (apt-get install pspp)")
def test_pspp_opens_the_spss_file_with_its_labels(app, both, tmp_path):
    # A second reader, GNU PSPP (what SPSS users without a licence use), besides pyreadstat.
    campaign_id, advisor = both
    (tmp_path / "export.sav").write_bytes(get(advisor, campaign_id, "export.sav").data)
    (tmp_path / "read.sps").write_text(f"GET FILE='{tmp_path / 'export.sav'}'.\n"
                                       "DISPLAY DICTIONARY /VARIABLES=mot_1 score_motivation.\n"
                                       "FREQUENCIES /VARIABLES=questionnaire.\n", encoding="utf-8")
    result = subprocess.run(["pspp", "-O", "format=txt", "-O", "width=250", str(tmp_path / "read.sps")],
                            capture_output=True, text=True, check=True, timeout=60)
    text = " ".join(result.stdout.replace("|", " ").split())
    assert "error" not in text.lower() and "Helemaal oneens" in text and "Helemaal eens" in text
    assert re.search(r"mot_1 \d+ mot_1: .+ Ordinal .* F1\.0", text) and "Score Motivatie Scale" in text
    assert re.search(r"leercultuur 5 50", text) and re.search(r"loopbaan-apk 5 50", text)


def test_spss_names_are_valid_and_unique():
    assert spss_names(["mot_1@1.0.0", "mot_1_v1_0_0", "1st", "with", "a b", "x" * 70]) == [
        "mot_1_v1_0_0", "mot_1_v1_0_0_2", "v_1st", "v_with", "a_b", "x" * 64]
    for name in spss_names(["mot_1@1.0.0", "score_means", "department"]):
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}", name)


# The rules of every export hold for the new formats -----------------------------------------------------


def test_a_factor_emptied_in_the_export_is_empty_in_every_format(app, tmp_path):
    # The report hides opportunities (3 scored < k = 5): no format may show those scores or their items.
    campaign_id, org_id, _deps = make_campaign(app)
    for value in (1, 2, 3, 4, 5, 2):
        store_partial(app, worker(value, "opportunities" if value in (1, 2) else None), campaign_id, None)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    plain = plain_rows(advisor, campaign_id)
    emptied = [n for n, column in enumerate(plain[0]) if column == "score_opportunities" or column.startswith("kan_")]
    assert {r[n] for r in plain[1:] for n in emptied} == {""}

    excel = list(csv.reader(io.StringIO(get(advisor, campaign_id, "export-excel.csv").data[3:].decode("utf-8")),
                          delimiter=";"))
    workbook = load_workbook(io.BytesIO(get(advisor, campaign_id, "export.xlsx").data))
    sheet = list(workbook.worksheets[0].iter_rows(values_only=True))
    frame, _meta = read_sav(get(advisor, campaign_id, "export.sav").data, tmp_path)
    spss = [tuple(r) for r in frame.itertuples(index=False)]
    for rows in (excel[1:], sheet[1:], spss):
        assert len(rows) == 6
        assert {normal(r[n]) for r in rows for n in emptied} == {""}
        assert same_cells(rows, plain[1:])


def test_new_exports_are_refused_while_the_campaign_is_open_and_below_k(app):
    campaign_id, org_id, _deps = make_campaign(app)
    fill(app, campaign_id, WORKERS)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    today = date.today()
    set_dates(app, campaign_id, today - timedelta(days=7), today)  # the last day is still open
    for route in NEW_ROUTES:
        refused = advisor.get(f"/advisor/campaigns/{campaign_id}/{route}")
        assert refused.status_code == 409 and refused.mimetype == "text/html"
        assert "De campagne is nog open" in refused.get_data(as_text=True)
    page = advisor.get(f"/advisor/campaigns/{campaign_id}/report").get_data(as_text=True)
    assert not any(route in page for route in ALL_ROUTES)
    assert "De antwoorden per persoon (CSV, Excel en SPSS) kunt u downloaden als de campagne gesloten is" in page

    few, few_org, _deps = make_campaign(app, "Klein")
    fill(app, few, WORKERS[:4])
    small = logged_in(app, "klein@example.org", (few_org,))
    for route in NEW_ROUTES:
        refused = small.get(f"/advisor/campaigns/{few}/{route}")
        assert refused.status_code == 409 and "minder dan 5 mensen" in refused.get_data(as_text=True)


def test_new_exports_are_for_the_organisations_advisors_only(app, client, both):
    campaign_id, _advisor = both
    _other, other_org, _deps = make_campaign(app, "Elders")
    stranger = logged_in(app, "ander@example.org", (other_org,))
    admin = logged_in(app, "beheer@example.org", role="admin")
    for route in NEW_ROUTES:
        anonymous = client.get(f"/advisor/campaigns/{campaign_id}/{route}")
        assert anonymous.status_code == 302 and "/advisor/login" in anonymous.headers["Location"]
        assert stranger.get(f"/advisor/campaigns/{campaign_id}/{route}").status_code == 404
        assert admin.get(f"/advisor/campaigns/{campaign_id}/{route}").status_code == 200


@pytest.mark.parametrize("lang, labels", [
    ("nl", ("Antwoorden als Excel (XLSX, met codeboek)", "Antwoorden als CSV voor Excel (puntkomma, decimale komma)",
            "Antwoorden als CSV voor andere programma's (komma, decimale punt)",
            "Antwoorden als SPSS-bestand (.sav, met labels)")),
    ("en", ("Answers as Excel (XLSX, with codebook)", "Answers as CSV for Dutch Excel (semicolon, decimal comma)",
            "Answers as CSV for other programs (comma, decimal point)", "Answers as SPSS file (.sav, with labels)")),
])
def test_the_closed_campaigns_report_links_every_download(app, both, lang, labels):
    campaign_id, advisor = both
    html = advisor.get(f"/advisor/campaigns/{campaign_id}/report?lang={lang}").get_data(as_text=True)
    nav = re.search(r'<nav class="team-actions.*?</nav>', html, re.S).group(0)
    links = dict((unescape(text.strip()), href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav))
    for label, route in zip(labels, ("export.xlsx", "export-excel.csv", "export.csv", "export.sav"), strict=True):
        assert links[label] == f"/advisor/campaigns/{campaign_id}/{route}"


def test_an_export_of_two_versions_has_a_codebook_and_spss_names_for_each(app, later_app, stored,  # noqa: F811
                                                                          tmp_path):
    # Responses to SHIPPED and to NEW (in which mot_1 is reverse-keyed); the app has only NEW's texts.
    campaign_id, org_id = stored
    fill(later_app, campaign_id, WORKERS)
    advisor = logged_in(later_app, "adviseur@example.org", (org_id,))
    workbook = load_workbook(io.BytesIO(get(advisor, campaign_id, "export.xlsx").data))
    assert workbook.sheetnames == ["antwoorden", f"codeboek loopbaan-apk {NEW}", f"codeboek loopbaan-apk {SHIPPED}"]
    _notes, current = codebook_table(workbook[f"codeboek loopbaan-apk {NEW}"])
    _notes, earlier = codebook_table(workbook[f"codeboek loopbaan-apk {SHIPPED}"])
    mot_1 = questionnaire(later_app, "loopbaan-apk").item_map["mot_1"]
    assert current["mot_1"][1:4] == (mot_1.text("nl"), "Motivatie", "ja")
    assert "mot_1" not in earlier
    assert earlier[f"mot_1@{SHIPPED}"][1] == (f"Vraag mot_1 van versie {SHIPPED} (de tekst van die versie is niet "
                                              "meer in de app)")

    frame, meta = read_sav(get(advisor, campaign_id, "export.sav").data, tmp_path)
    assert OLD_NAME in meta.column_names and f"mot_1@{SHIPPED}" not in meta.column_names
    assert meta.column_names_to_labels[OLD_NAME] == f"mot_1@{SHIPPED}: Vraag mot_1 van versie {SHIPPED}"
    assert OLD_NAME not in meta.variable_value_labels  # its scale is not known either
    assert meta.variable_value_labels["mot_1"][5.0] == "Helemaal eens"
    old = frame[frame["version"] == SHIPPED]
    assert sorted(old[OLD_NAME]) == [2, 3, 4, 4, 5] and old["mot_1"].isna().all()
