"""The downloads of a closed campaign's team report, as an advisor gets them: four links with plain
names, each a file that opens right (read back here); the report with its links passes axe, also on a phone."""

from __future__ import annotations

import csv
import io
import re

import pytest

from .flows import ADMIN_PASSWORD, assert_accessible

pytestmark = pytest.mark.browser

LINKS = {
    "Antwoorden als Excel (XLSX, met codeboek)": ".xlsx",
    "Antwoorden als CSV voor Excel (puntkomma, decimale komma)": "-excel.csv",
    "Antwoorden als CSV voor andere programma's (komma, decimale punt)": ".csv",
    "Antwoorden als SPSS-bestand (.sav, met labels)": ".sav",
}


@pytest.fixture
def closed_campaign(live_app, live_defs) -> int:
    """A campaign that closed in March 2026, with five completed check-ups and five employer scans
    (tests/support/model_data.py: data for any model)."""
    from tests.support.model_data import model_workers
    from tests.support.team_data import EMPLOYER_BY_KNOB, fill, make_campaign

    campaign_id, _org, _deps = make_campaign(live_app, "Exports voorjaar")
    fill(live_app, campaign_id, model_workers(live_defs), employers=[EMPLOYER_BY_KNOB] * 5)
    return campaign_id


def _report(page, live_server: str, admin: str, campaign_id: int) -> None:
    page.goto(live_server + "/advisor/login")
    page.get_by_label("E-mailadres").fill(admin)
    page.get_by_label("Wachtwoord").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server + "/advisor/")
    page.goto(f"{live_server}/advisor/campaigns/{campaign_id}/report")


@pytest.mark.both_models
def test_every_download_of_a_closed_campaign_opens_right(live_server, live_defs, page, admin, closed_campaign,
                                                         tmp_path):
    from tests.support.model_data import employer_scores
    from tests.support.team_data import EMPLOYER_BY_KNOB

    first = live_defs.model.factors[0]  # the employer scans' score on it, in both number formats
    employer = employer_scores(live_defs, EMPLOYER_BY_KNOB)[first.id]

    _report(page, live_server, admin, closed_campaign)
    downloads = page.get_by_role("navigation", name="Rapport downloaden")
    files = {}
    for name, suffix in LINKS.items():
        link = downloads.get_by_role("link", name=name, exact=True)
        assert link.is_visible()
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == f"campagne-{closed_campaign}-antwoorden{suffix}"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        files[suffix] = path.read_bytes()
    assert_accessible(page)

    excel = files["-excel.csv"]
    assert excel.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(excel[3:].decode("utf-8")), delimiter=";"))
    assert rows[0][:3] == ["Vragenlijst", "Versie", "Afdeling"]
    column = rows[0].index(f"Score {first.label.nl}")
    cells = {r[column] for r in rows[1:] if r[0] == "leercultuur"}
    assert {float(c.replace(",", ".")) for c in cells} == {employer} and not any("." in c for c in cells)
    plain = files[".csv"]
    assert not plain.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(plain.decode("utf-8"))))
    assert {float(r[rows[0].index(f"score_{first.id}")]) for r in rows[1:] if r[0] == "leercultuur"} == {employer}
    assert files[".xlsx"].startswith(b"PK")  # a zip: the workbook (read back in tests/app/team)
    assert files[".sav"].startswith(b"$FL2")  # an SPSS system file


def test_the_download_links_fit_a_phone(live_server, phone, admin, closed_campaign):
    _report(phone, live_server, admin, closed_campaign)
    nav = phone.get_by_role("navigation", name="Rapport downloaden")
    for name in LINKS:
        link = nav.get_by_role("link", name=name, exact=True)
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, (name, box)
    assert nav.evaluate("n => n.scrollWidth <= n.clientWidth")
    assert_accessible(phone)


def test_an_open_campaign_offers_no_download_but_says_when(live_server, page, admin, live_app):
    from tests.support.team_data import WORKERS, fill

    from .flows import open_campaign

    with live_app.app_context():
        campaign_id = open_campaign("Drukkerij Open", "Nog open").id
    fill(live_app, campaign_id, WORKERS)
    _report(page, live_server, admin, campaign_id)
    when = re.compile(r"De antwoorden per persoon \(CSV, Excel en SPSS\) kunt u downloaden als de campagne gesloten")
    assert page.get_by_text(when).is_visible()
    nav = page.get_by_role("navigation", name="Rapport downloaden")
    assert not any(nav.get_by_role("link", name=name, exact=True).count() for name in LINKS)
    assert nav.get_by_role("link", name="Download als PDF").is_visible()
