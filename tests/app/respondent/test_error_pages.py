"""Error pages that speak of the link actually used: a report link, an invite link, a questionnaire link."""

from __future__ import annotations

import pytest

from app.responses import store
from tests.support.reports import store_report

UNKNOWN = "Zz9" + "x" * 27

REPORT = {"nl": ("Deze uitslag kunnen we niet vinden",
                 "De link naar deze uitslag is onbekend, of de uitslag is verwijderd."),
          "en": ("We cannot find this report", "The link to this report is unknown, or the report was deleted.")}
INVITE = {"nl": ("Deze uitnodiging kunnen we niet vinden", "De link van deze uitnodiging is onbekend."),
          "en": ("We cannot find this invitation", "The link of this invitation is unknown.")}
QUESTIONNAIRE = {"nl": ("Deze vragenlijst bestaat niet", "De link naar deze vragenlijst klopt niet."),
                 "en": ("This questionnaire does not exist", "The link to this questionnaire is not right.")}
PAGE = {"nl": ("Deze pagina bestaat niet", "Controleer de link."),
        "en": ("This page does not exist", "Check the link.")}


def error_page(client, path: str, lang: str) -> str:
    response = client.get(path, query_string={"lang": lang})
    assert response.status_code == 404
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("path", "words"), [
    (f"/r/{UNKNOWN}", REPORT), (f"/r/{UNKNOWN}/pdf", REPORT), (f"/r/{UNKNOWN}/verwijderen", REPORT),
    (f"/r/{UNKNOWN}/stappen.ics", REPORT), (f"/c/{UNKNOWN}", INVITE), ("/q/geen-vragenlijst", QUESTIONNAIRE),
    ("/q/geen-vragenlijst/stap/1", QUESTIONNAIRE), ("/bestaat-niet", PAGE),
])
def test_a_404_says_which_link_is_unknown(client, path, words, lang):
    html = error_page(client, path, lang)
    heading, text = words[lang]
    assert f"<h1>{heading}</h1>" in html
    assert text in html
    assert html.count("<h1>") == 1


def test_a_deleted_report_says_it_may_have_been_deleted(client, app):
    code = store_report(app)
    with app.app_context():
        store.delete(store.find_report(code))
    html = error_page(client, f"/r/{code}", "nl")
    assert "of de uitslag is verwijderd" in html


def test_a_page_number_past_the_end_is_an_ordinary_404(client):
    html = error_page(client, "/q/loopbaan-apk/stap/99", "nl")
    assert "<h1>Deze pagina bestaat niet</h1>" in html


def test_the_api_keeps_its_json_404(client):
    response = client.get(f"/api/v1/reports/{UNKNOWN}")
    assert response.status_code == 404 and response.is_json
    response = client.get("/api/v1/questionnaires/geen-vragenlijst")
    assert response.status_code == 404 and response.is_json
