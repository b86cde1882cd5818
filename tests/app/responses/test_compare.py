"""Comparing a report with an earlier one: the pure comparison and the form on the report page (a POST:
the earlier report's code never goes into a URL)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Response
from app.responses.codes import code_from, code_hash
from app.responses.compare import NOT_IN_BOTH, UNSCORED, Change, change_words, compare_results, skipped_words
from tests.support.flows import csrf_token
from tests.support.reports import store_report

# --- the pure comparison, on hand-made results ---------------------------------------------------


def result(version: str = "1.0.0", **factors: tuple[float | None, str | None]) -> dict:
    """A stored result object with only what the comparison reads: version and factor scores."""
    return {"questionnaire": {"slug": "loopbaan-apk", "version": version},
            "factors": {f: {"score": s, "band": b, "answered": 4, "items": 4} for f, (s, b) in factors.items()}}


FULL = {"motivation": (80.0, "high"), "awareness": (55.0, "medium"), "means": (42.0, "low"),
        "opportunities": (30.0, "low")}


def test_every_factor_scored_in_both_is_compared_in_model_order(defs):
    later = {**FULL, "means": (61.0, "medium"), "motivation": (82.4, "high")}
    comparison = compare_results(result(**FULL), result(**later), defs.model, "nl")
    assert [c.id for c in comparison.changes] == [f.id for f in defs.model.factors]
    assert comparison.skipped == ()
    assert comparison.versions == ("1.0.0", "1.0.0")
    means = next(c for c in comparison.changes if c.id == "means")
    assert means == Change("means", "Middelen", 42.0, 61.0, "low", "medium")


@pytest.mark.parametrize(("before", "after", "words"), [
    ((42.0, "low"), (61.0, "medium"), "Middelen: van 42 naar 61, 19 punten hoger (van laag naar gemiddeld)"),
    ((80.0, "high"), (82.4, "high"), "Middelen: van 80 naar 82, 2 punten hoger (bleef hoog)"),
    ((61.0, "medium"), (40.0, "low"), "Middelen: van 61 naar 40, 21 punten lager (van gemiddeld naar laag)"),
    ((46.0, "low"), (25.0, "low"), "Middelen: van 46 naar 25, 21 punten lager (bleef laag)"),
    ((50.2, "medium"), (50.6, "medium"), "Middelen: van 50 naar 51, 1 punt hoger (bleef gemiddeld)"),
    ((51.0, "medium"), (50.0, "medium"), "Middelen: van 51 naar 50, 1 punt lager (bleef gemiddeld)"),
    ((61.0, "medium"), (61.3, "medium"), "Middelen: van 61 naar 61, even hoog (bleef gemiddeld)"),
    # The points are those of the rounded scores, so the three numbers agree.
    ((74.6, "medium"), (75.0, "high"), "Middelen: van 75 naar 75, even hoog (van gemiddeld naar hoog)"),
])
def test_change_in_words(defs, before, after, words):
    comparison = compare_results(result(means=before), result(means=after), defs.model, "nl")
    assert [change_words(c) for c in comparison.changes] == [words]


@pytest.mark.parametrize(("before", "after", "words"), [
    ((46.0, "medium"), (25.0, "low"), "Resources: from 46 to 25, 21 points lower (from medium to low)"),
    ((50.0, "medium"), (51.0, "medium"), "Resources: from 50 to 51, 1 point higher (stayed medium)"),
    ((61.0, "medium"), (61.0, "medium"), "Resources: from 61 to 61, the same (stayed medium)"),
])
def test_change_in_english_words(app, defs, before, after, words):
    from flask_babel import force_locale

    comparison = compare_results(result(means=before), result(means=after), defs.model, "en")
    with app.test_request_context(), force_locale("en"):
        assert [change_words(c) for c in comparison.changes] == [words]


def test_labels_follow_the_language(defs):
    comparison = compare_results(result(**FULL), result(**FULL), defs.model, "en")
    assert [c.label for c in comparison.changes] == ["Motivation", "Awareness", "Resources", "Opportunities"]


def test_other_version_is_compared_only_on_factors_both_measure(defs):
    old = {k: v for k, v in FULL.items() if k != "opportunities"}
    comparison = compare_results(result("0.9.0", **old), result("1.0.0", **FULL), defs.model, "nl")
    assert [c.id for c in comparison.changes] == ["motivation", "awareness", "means"]
    assert [(s.id, s.reason) for s in comparison.skipped] == [("opportunities", NOT_IN_BOTH)]
    assert comparison.versions == ("0.9.0", "1.0.0")
    assert skipped_words(comparison.skipped[0]) == "Kansen: niet in beide versies van de vragenlijst gemeten"


def test_factor_with_too_few_answers_in_either_report_is_skipped(defs):
    earlier = {**FULL, "awareness": (None, None)}
    later = {**FULL, "means": (None, None)}
    comparison = compare_results(result(**earlier), result(**later), defs.model, "nl")
    assert [c.id for c in comparison.changes] == ["motivation", "opportunities"]
    assert [(s.id, s.reason) for s in comparison.skipped] == [("awareness", UNSCORED), ("means", UNSCORED)]
    assert "te weinig antwoorden" in skipped_words(comparison.skipped[0])


def test_factor_neither_version_measures_is_not_mentioned(defs):
    comparison = compare_results(result(means=(40.0, "low")), result(means=(50.0, "medium")), defs.model, "nl")
    assert [c.id for c in comparison.changes] == ["means"]
    assert comparison.skipped == ()


CODE = "Gj_IEL6nLFPZlwtl5eBgH9KxP1Dxlw"


@pytest.mark.parametrize(("text", "code"), [
    (CODE, CODE),
    (f"  {CODE}\n", CODE),
    (f"https://regiekompas.nl/r/{CODE}", CODE),
    (f"http://localhost/r/{CODE}?lang=en", CODE),
    (f"https://regiekompas.nl/r/{CODE}/pdf", CODE),
    (f"regiekompas.nl/r/{CODE}#vergelijk", CODE),
    ("https://regiekompas.nl/q/loopbaan-apk", None),
    ("te kort", None),
    ("", None),
    (f"{CODE} {CODE}", None),
])
def test_code_from_accepts_a_code_or_a_report_link(text, code):
    assert code_from(text) == code


# --- the form on the report page -----------------------------------------------------------------


def page(client, code: str, text: str | None = None, **args) -> tuple[int, str]:
    """The report page; with ``text``, the compare form posted with it (``args`` as further form fields,
    ``lang`` in the query string as the page's language switch puts it)."""
    lang = args.pop("lang", None)
    query = {"lang": lang} if lang else {}
    if text is None:
        response = client.get(f"/r/{code}", query_string=query)
    else:
        token = csrf_token(client.get(f"/r/{code}").get_data(as_text=True))
        response = client.post(f"/r/{code}/vergelijk", query_string=query,
                               data={"vergelijk": text, "csrf_token": token, **args})
    return response.status_code, html_lib.unescape(response.get_data(as_text=True))


def error_of(html: str) -> str | None:
    match = re.search(r'<p class="error" id="compare-error">.*?</span>\s*(.*?)</p>', html, re.S)
    return match and match.group(1)


def test_report_offers_the_comparison_form(client, app):
    code = store_report(app)
    status, html = page(client, code)
    assert status == 200
    assert "Vergelijk met een eerdere uitslag" in html
    assert f'<form class="compare-form no-print" method="post" action="/r/{code}/vergelijk#vergelijk">' in html
    assert '<label for="compare-code">' in html and 'name="vergelijk"' in html
    assert error_of(html) is None and "compare-compare" not in html


def test_same_questionnaire_shows_both_profiles_and_the_change_in_words(client, app):
    earlier = store_report(app, value=2)
    current = store_report(app, value=4)
    status, html = page(client, current, earlier)
    assert status == 200
    assert error_of(html) is None
    # Every item answered 2, then 4: motivation has 3 reverse items of 8 (2.75 -> 3.25), awareness and
    # means 2 of 7, opportunities 1 of 7 (16/7 -> 26/7).
    for line in ("Motivatie: van 44 naar 56, 12 punten hoger (van laag naar gemiddeld)",
                 "Bewustzijn: van 39 naar 61, 22 punten hoger (van laag naar gemiddeld)",
                 "Middelen: van 39 naar 61, 22 punten hoger (van laag naar gemiddeld)",
                 "Kansen: van 32 naar 68, 36 punten hoger (van laag naar gemiddeld)"):
        assert f"<li>{line}</li>" in html
    # One chart with both profiles, labelled, its legend and numbers inside.
    figure = re.search(r'<figure class="chart chart-compare">(.*?)</figure>', html, re.S).group(1)
    assert 'role="img" aria-labelledby="compare-caption"' in figure
    for text in ("Eerder 39", "Nu 61", "Eerder (", "Nu (", "Middelen"):
        assert text in figure
    assert "Vergelijking met de uitslag van" in html
    # The PDF button posts the comparison, so the download shows it too, and the code stays out of every URL.
    pdf_form = re.search(r'<form method="post" action="([^"]+)" class="pdf-form">(.*?)</form>', html, re.S)
    assert pdf_form.group(1) == f"/r/{current}/pdf?lang=nl"
    assert f'<input type="hidden" name="vergelijk" value="{earlier}">' in pdf_form.group(2)
    assert 'name="csrf_token"' in pdf_form.group(2)
    assert not [url for url in re.findall(r'(?:href|action|src)="([^"]*)"', html) if earlier in url]


def test_unchanged_band_says_it_stayed(client, app):
    earlier = store_report(app, value=3)
    current = store_report(app, value=4)
    _, html = page(client, current, earlier)
    assert "<li>Middelen: van 50 naar 61, 11 punten hoger (bleef gemiddeld)</li>" in html


@pytest.mark.parametrize("link", ["http://localhost/r/{code}", "  http://localhost/r/{code}?lang=nl  ",
                                  "http://localhost/r/{code}/pdf"])
def test_pasted_link_works_like_the_code(client, app, link):
    earlier = store_report(app, value=2)
    current = store_report(app, value=4)
    _, html = page(client, current, link.format(code=earlier))
    assert error_of(html) is None
    assert "Middelen: van 39 naar 61, 22 punten hoger (van laag naar gemiddeld)" in html


@pytest.mark.parametrize(("case", "message"), [
    ("other", "Deze code hoort bij een uitslag van een andere vragenlijst (Leercultuur-scan)."),
    ("unknown", "Bij deze code hoort geen uitslag."),
    ("garbage", "Bij deze code hoort geen uitslag."),
    ("own", "Dit is de code van deze uitslag zelf."),
    ("later", "Die uitslag is niet eerder ingevuld dan deze"),
    ("empty", "Vul de code of de link van een eerdere uitslag in."),
])
def test_code_that_cannot_be_compared_gets_a_message_next_to_the_input(client, app, defs, case, message):
    current = store_report(app, value=4)
    text = {
        "other": lambda: store_report(app, slug="leercultuur"),
        "unknown": lambda: "abcdefghijklmnopqrstuvwxyz0123",
        "garbage": lambda: "mijn code weet ik niet",
        "own": lambda: current,
        "later": lambda: store_report(app, value=2),
        "empty": lambda: "  ",
    }[case]()
    status, html = page(client, current, text)
    assert status == 400
    assert defs.questionnaires["leercultuur"].title("nl") == "Leercultuur-scan"
    assert message in error_of(html)
    # The message is tied to the input, and what was typed is kept.
    field = re.search(r'<input id="compare-code"[^>]*>', html, re.S).group(0)
    assert 'aria-describedby="compare-hint compare-error"' in field and 'aria-invalid="true"' in field
    assert f'value="{text}"' in field
    assert "chart-compare" not in html


def test_other_version_compares_shared_factors_and_says_which_were_skipped(client, app, defs):
    earlier = store_report(app, value=2)
    current = store_report(app, value=4)
    with app.app_context():
        stored = db.session.scalar(select(Response).where(Response.report_hash == code_hash(earlier)))
        result = {lang: {**r, "questionnaire": {**r["questionnaire"], "version": "0.9.0"},
                         "factors": {k: v for k, v in r["factors"].items() if k != "opportunities"}}
                  for lang, r in stored.result.items()}
        stored.result, stored.version = result, "0.9.0"
        db.session.commit()
    _, html = page(client, current, earlier)
    assert "<li>Middelen: van 39 naar 61, 22 punten hoger (van laag naar gemiddeld)</li>" in html
    assert "Kansen: van" not in html
    assert "Kansen: niet in beide versies van de vragenlijst gemeten" in html
    # Said up front, before the changes: the two versions differ.
    notice = re.search(r'<p class="notice versions-differ" role="note">(.*?)</p>', html, re.S).group(1)
    assert f"versie 0.9.0 van de vragenlijst, deze met versie {defs.questionnaires['loopbaan-apk'].version}" in notice
    assert "De vragen zijn dus niet helemaal hetzelfde." in notice
    assert html.index("versions-differ") < html.index('<ul class="changes">')


def test_same_version_says_nothing_about_versions(client, app):
    earlier = store_report(app, value=2)
    _, html = page(client, store_report(app, value=4), earlier)
    assert "versions-differ" not in html


def test_english_comparison_uses_english_factor_names(client, app):
    earlier = store_report(app, value=2)
    current = store_report(app, value=4)
    _, html = page(client, current, earlier, lang="en")
    assert "Resources: from 39 to 61, 22 points higher (from low to medium)" in html


def test_the_form_keeps_the_chart_choice_and_the_chart_links_carry_no_code(client, app):
    earlier = store_report(app, value=2)
    current = store_report(app, value=4)
    _, html = page(client, current, earlier, grafiek="radar")
    assert "figure class=\"chart chart-radar\"" in html and "Wat is er veranderd?" in html
    assert f'href="/r/{current}?grafiek=radar#profile-title"' in html
    assert '<input type="hidden" name="grafiek" value="radar">' in html
    assert earlier not in "".join(re.findall(r'href="([^"]*)"', html))


def test_a_code_in_the_query_string_compares_nothing(client, app):
    """The old GET form's URL (``?vergelijk=``) is ignored: the earlier code belongs in a POST only."""
    earlier = store_report(app, value=2)
    current = store_report(app, value=4)
    response = client.get(f"/r/{current}", query_string={"vergelijk": earlier})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Wat is er veranderd?" not in html and earlier not in html


def test_comparing_needs_the_csrf_token(client, app):
    earlier = store_report(app, value=2)
    current = store_report(app, value=4)
    assert client.post(f"/r/{current}/vergelijk", data={"vergelijk": earlier}).status_code == 400


def test_the_language_switch_of_a_comparison_leads_back_to_the_form(client, app):
    current = store_report(app, value=4)
    response = client.get(f"/r/{current}/vergelijk?lang=en")
    assert response.status_code == 302
    assert response.location == f"/r/{current}?lang=en#vergelijk"
    assert client.get("/r/" + "x" * 30 + "/vergelijk").status_code == 404
