"""Issue 17 on the report: "In het kort" first (the first step per knob with its reason, the others behind
a disclosure, the strengths), knob introductions in worker words, "Wat nu?" (one first step, who can help by
contract and situation, questions for the talk) and the "Lees voor" button (hidden until its script finds
a voice)."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from tests.support.flows import WORKER_PROFILE, profile_for


def report(app, client, *, profile=None, value=2, answers=None, slug="loopbaan-apk", lang="nl") -> str:
    """The report page of a response stored through the API (every item ``value`` unless ``answers``)."""
    q = app.extensions["regiekompas.definitions"].questionnaires[slug]
    body = {"answers": answers or {i.id: value for i in q.items}, "profile": profile or profile_for(q)}
    created = app.test_client().post(f"/api/v1/questionnaires/{slug}/responses", json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    page = client.get(f"/r/{created.get_json()['report_code']}?lang={lang}")
    assert page.status_code == 200
    return htmllib.unescape(page.get_data(as_text=True))


def section(page: str, css_class: str) -> str:
    match = re.search(rf'<section [^>]*class="{css_class}"[^>]*>.*?</section>\s*(?=<section|\{{|<footer|$)',
                      page, re.S)
    assert match, f"no section {css_class}"
    return match.group(0)


def summary(page: str) -> str:
    start = page.index('class="summary"')
    return page[start:page.index('id="wat-nu"') if 'id="wat-nu"' in page else page.index('id="profile-title"')]


def what_next(page: str) -> str:
    start = page.index('id="wat-nu"')
    return page[start:page.index('id="profile-title"')]


def test_in_het_kort_comes_first_with_one_step_per_knob_and_its_reason(app, client, defs):
    page = report(app, client)
    assert page.index('id="summary-title"') < page.index('id="what-next-title"') < page.index('id="profile-title"')
    top = summary(page)
    knobs = re.findall(r'<section class="knob first-step-knob" aria-labelledby="knob-(\w+)">', top)
    assert knobs == [k.id for k in defs.model.knobs]
    for part in re.split(r'<section class="knob first-step-knob"', top)[1:]:
        first = part.split("<details")[0]
        assert first.count('class="rec first-rec"') == 1
        assert first.count("Waarom:") == 1


def test_the_other_steps_of_a_knob_wait_behind_a_closed_disclosure(app, client):
    page = report(app, client)
    top = summary(page)
    disclosures = re.findall(r"<details class=\"more-steps\"( open)?>\s*<summary>([^<]+)</summary>(.*?)</details>",
                             top, re.S)
    assert disclosures, "no other steps behind a disclosure"
    for is_open, label, body in disclosures:
        assert not is_open  # closed on screen; works without JavaScript
        assert re.match(r"Meer stappen voor (Richting|Ruimte|Ruggensteun) \(\d\)", label)
        n = int(re.search(r"\((\d)\)", label).group(1))
        assert body.count('<li class="rec">') == n and body.count("Waarom:") == n
    # Every recommendation is on the page once: the first outside, the others inside.
    assert "Advies: drie knoppen" not in page


def test_the_pdf_opens_the_disclosures(app, client):
    from app.respondent import report as report_view

    pages = []
    real = report_view.render_pdf
    report_view.render_pdf = lambda page, root: pages.append(page) or real(page, root)
    try:
        q = app.extensions["regiekompas.definitions"].questionnaires["loopbaan-apk"]
        code = app.test_client().post("/api/v1/questionnaires/loopbaan-apk/responses", json={
            "answers": {i.id: 2 for i in q.items}, "profile": WORKER_PROFILE}).get_json()["report_code"]
        assert client.get(f"/r/{code}/pdf").status_code == 200
    finally:
        report_view.render_pdf = real
    assert '<details class="more-steps" open>' in pages[0]
    assert "Lees voor" not in pages[0]


def test_strengths_are_near_the_top(app, client, defs):
    q = defs.questionnaires["loopbaan-apk"]
    page = report(app, client, answers={i.id: 1 if i.reverse else 5 for i in q.items})
    top = summary(page)
    assert "Je sterke punten" in top
    assert page.count("Je sterke punten") == 1 and "Sterke punten</h2>" not in page


def test_knob_introductions_are_in_worker_words(app, client, defs):
    page = report(app, client)
    for knob in defs.model.knobs:
        assert knob.worker_description.nl in page
        assert knob.description.nl not in page  # the employer's words ("Informeren en stimuleren ...")
    employer = report(app, client, slug="leercultuur")
    for knob in defs.model.knobs:
        assert knob.description.nl in employer


def test_english_report_is_english(app, client, defs):
    page = report(app, client, lang="en")
    assert "In short" in page or "In brief" in page
    assert "What now?" in page and "Who can help you" in page and "Questions for the talk" in page
    assert "More steps for" in page
    assert defs.model.knob_map["room"].worker_description.en in page


def routes(page: str) -> list[str]:
    return re.findall(r'data-route="([\w-]+)"', what_next(page))


@pytest.mark.parametrize("contract", ["flex"])
def test_an_agency_worker_sees_the_intercedent(app, client, contract):
    found = routes(report(app, client, profile={**WORKER_PROFILE, "contract": contract}))
    assert found[0] == "intercedent"
    assert "career_adviser" not in found and "sector_fund_self_employed" not in found
    assert {"leerwerkloket", "union", "sector_fund"} <= set(found)


def test_a_self_employed_worker_never_sees_the_intercedent(app, client):
    page = report(app, client, profile={**WORKER_PROFILE, "contract": "self_employed"})
    found = routes(page)
    assert "intercedent" not in found and "intercedent" not in what_next(page).lower()
    assert "manager" not in found  # a zzp'er has no manager
    assert found[0] == "career_adviser" and "Noloc" in what_next(page)
    assert {"leerwerkloket", "union", "sector_fund_self_employed"} <= set(found)


@pytest.mark.parametrize("contract", ["permanent", "temporary"])
def test_an_employee_sees_the_sector_fund_explained_and_no_group_routes(app, client, contract):
    page = report(app, client, profile={**WORKER_PROFILE, "contract": contract})
    found = routes(page)
    assert "intercedent" not in found and "career_adviser" not in found
    text = what_next(page)
    assert "O&O-fonds" in text and "Werkgevers en vakbonden" in text
    assert "Heeft je sector geen fonds" in text  # the neutral route for a sector without one
    assert "leerwerkloket.nl" in text


def test_wat_nu_highlights_one_first_step(app, client, defs):
    page = report(app, client)
    block = what_next(page)
    assert block.count('class="first-step"') == 1
    title = re.search(r'class="first-step-title"><strong>([^<]+)</strong>', block).group(1)
    firsts = re.findall(r'class="rec first-rec">\s*<p class="rec-title"><strong>([^<]+)</strong>', summary(page))
    assert title in firsts
    assert 'href="#volgende-stappen"' in block


def questions(page: str) -> list[str]:
    block = re.search(r'<ol class="talk-questions">(.*?)</ol>', page, re.S).group(1)
    return re.findall(r"<li>([^<]+)</li>", block)


def test_questions_for_the_talk_come_from_the_weakest_factor(app, client, defs):
    q = defs.questionnaires["loopbaan-apk"]
    # Everything high but means: the questions are the means questions.
    answers = {}
    for item in q.items:
        high = 1 if item.reverse else 5
        answers[item.id] = (6 - high) if item.factor == "means" else high
    found = questions(report(app, client, answers=answers))
    assert found == [t.nl for t in defs.model.factor_map["means"].worker_questions]


def test_three_to_five_questions_for_the_talk(app, client):
    found = questions(report(app, client, value=2))
    assert 3 <= len(found) <= 5 and all(x.endswith("?") for x in found)


def test_the_employer_report_has_no_worker_help(app, client):
    page = report(app, client, slug="leercultuur")
    assert 'id="wat-nu"' not in page and "Wie kan je helpen" not in page
    assert "In het kort" in page


def test_read_aloud_is_hidden_until_its_script_finds_a_voice(app, client, defs):
    page = report(app, client)
    button = re.search(r"<button [^>]*data-read-aloud-button[^>]*>", page).group(0)
    assert " hidden" in button and 'data-lang="nl-NL"' in button
    assert '<script src="/static/read_aloud.js" defer></script>' in page
    assert re.search(r"<script(?![^>]*src=)", page) is None  # no inline script (CSP)
    assert "data-read-aloud>" in summary(page) or 'data-read-aloud>' in page
    english = report(app, client, lang="en")
    assert 'data-lang="en-GB"' in english and ">Read aloud<" in english


def test_question_pages_offer_read_aloud(app, client, defs):
    from tests.support.flows import post_profile

    q = defs.questionnaires["loopbaan-apk"]
    post_profile(client, q)
    page = client.get(f"/q/{q.slug}/stap/1").get_data(as_text=True)
    assert re.search(r"<button [^>]*data-read-aloud-button[^>]*hidden", page)
    assert '<script src="/static/read_aloud.js" defer></script>' in page
    assert "data-read-aloud-questions" in page


@pytest.mark.parametrize(("segments", "said", "not_said"), [
    (frozenset({"self_employed"}), "coach of loopbaanadviseur", "leidinggevende"),
    (frozenset({"flex"}), "intercedent", "loopbaanadviseur"),
    (frozenset(), "leidinggevende", "intercedent"),
])
def test_the_questions_go_to_someone_the_worker_has(app, segments, said, not_said):
    """A self-employed worker has no manager to take the questions to; an agency worker has an intercedent."""
    from app.responses.report import talk_to

    with app.test_request_context("/?lang=nl"):
        sentence = talk_to(segments)
    assert said in sentence and not_said not in sentence
