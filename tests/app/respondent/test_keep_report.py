"""Keeping the report: "Bewaar je uitslag" first right after sending (the link as text, a copy button for
JavaScript, a QR code of the link, PDF and print), the device remembering only its last report until the
browser closes, "Vergeet hem op dit apparaat", and the start page leading back to the report."""

from __future__ import annotations

import re

import pytest

from tests.support.flows import complete, csrf_token, post_page, post_profile
from tests.support.reports import store_report

SLUG = "loopbaan-apk"
#: The forget form's token: written by hand (not a WTForms field), so no duplicate id="csrf_token".
TOKEN = re.compile(r'<form method="post" action="(/r/[\w-]+/vergeten)" class="forget-form">\s*'
                   r'<input name="csrf_token" type="hidden" value="([^"]+)">')


def send(client, defs, slug: str = SLUG) -> str:
    """Fill in ``slug`` through the pages in ``client``'s browser; the report's path."""
    return complete(client, defs.questionnaires[slug]).location


def keep_panel(html: str) -> str:
    match = re.search(r'<section class="keep[^"]*" id="bewaar".*?</section>', html, re.S)
    assert match, "no keep panel"
    return match.group(0)


def remembered(client) -> dict[str, str]:
    with client.session_transaction() as session:
        return dict(session.get("report", {}))


def test_right_after_sending_the_keep_panel_comes_first_with_link_copy_qr_pdf_and_print(client, defs):
    report = send(client, defs)
    code = report.rsplit("/", 1)[1]
    html = client.get(report).get_data(as_text=True)
    panel = keep_panel(html)
    assert "keep-first" in panel
    assert html.index('id="bewaar"') < html.index('id="summary-title"')  # before "In het kort"
    assert "<h2 id=\"keep-title\">Bewaar je uitslag</h2>" in panel
    # The link as text, which works without JavaScript; the copy button is hidden until report.js shows it.
    assert f'<a id="report-link" href="http://localhost/r/{code}">http://localhost/r/{code}</a>' in panel
    assert re.search(r'<button type="button" class="button secondary" data-copy="report-link"[^>]*hidden>'
                     r'Kopieer de link</button>', panel)
    assert '<p class="copy-status" role="status"></p>' in panel
    # A QR code of the link, inline SVG with a name; PDF and print are in the panel too.
    assert re.search(r'<div role="img" aria-label="QR-code met de link naar je uitslag"><svg [^>]*class="qr"', panel)
    assert f'href="/r/{code}/pdf?lang=nl">Download als PDF</a>' in panel
    assert "data-print hidden>Afdrukken</button>" in panel
    assert "Niet jouw uitslag?" in panel and ">Vergeet hem op dit apparaat</button>" in panel
    assert TOKEN.search(panel).group(1) == f"/r/{code}/vergeten"
    # One set of actions on the page, and the script comes from app/static (the CSP allows no inline script).
    assert html.count("Download als PDF") == 1
    assert '<script src="/static/report.js" defer></script>' in html


def test_the_qr_code_holds_the_report_link(client, defs):
    import segno

    report = send(client, defs)
    panel = keep_panel(client.get(report).get_data(as_text=True))
    expected = segno.make(f"http://localhost{report}", error="m").svg_inline(svgclass="qr", lineclass=None,
                                                                            omitsize=True)
    assert expected in panel


def test_the_session_cookie_ends_when_the_browser_closes(client, defs):
    q = defs.questionnaires[SLUG]
    post_profile(client, q)
    for step, section in enumerate(q.sections, start=1):
        sent = post_page(client, q, step, {i.id: 3 for i in section.items})
    cookie = sent.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "Expires=" not in cookie and "Max-Age=" not in cookie  # not a permanent cookie


def test_a_report_opened_from_its_link_elsewhere_keeps_the_panel_at_the_end_without_forgetting(client, app):
    code = store_report(app)  # sent by another device: this browser does not remember it
    html = client.get(f"/r/{code}").get_data(as_text=True)
    panel = keep_panel(html)
    assert "keep-first" not in panel
    assert html.index('id="summary-title"') < html.index('id="bewaar"')
    assert f'<a id="report-link" href="http://localhost/r/{code}">' in panel
    assert "Vergeet hem op dit apparaat" not in html
    assert 'class="qr"' in panel
    assert html.count("Download als PDF") == 1  # at the top, as before


def test_forgetting_the_report_on_this_device(client, defs):
    report = send(client, defs)
    code = report.rsplit("/", 1)[1]
    action, token = TOKEN.search(client.get(report).get_data(as_text=True)).groups()
    forgot = client.post(action, data={"csrf_token": token})
    assert forgot.status_code == 302 and forgot.location == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Deze uitslag is vergeten op dit apparaat." in home
    assert code not in remembered(client).values()
    # The start page no longer offers it; the report page no longer puts it first or offers to forget it.
    start = client.get(f"/q/{SLUG}").get_data(as_text=True)
    assert "al ingevuld" not in start and code not in start
    # Opened again in this browser (Back on a shared tablet): it asks first, and shows nothing of the report.
    page = client.get(report)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "<h1>Deze uitslag is vergeten op dit apparaat</h1>" in html
    assert "In het kort" not in html and 'id="report-link"' not in html and "Je profiel" not in html
    with client.session_transaction() as session:
        assert code not in str(dict(session))  # the session keeps a hash of the code, never the code
    # "Toch openen" (a POST with the token) shows it again, not first and without the forget button.
    token = csrf_token(html)
    opened = client.post(f"{report}/openen", data={"csrf_token": token})
    assert opened.status_code == 302 and opened.location == report
    html = client.get(report).get_data(as_text=True)
    assert "In het kort" in html
    assert "keep-first" not in html and "Vergeet hem op dit apparaat" not in html


def test_another_browser_still_opens_a_forgotten_report(client, defs, app):
    report = send(client, defs)
    action, token = TOKEN.search(client.get(report).get_data(as_text=True)).groups()
    client.post(action, data={"csrf_token": token})
    other = app.test_client()
    assert "In het kort" in other.get(report).get_data(as_text=True)  # the link works on every other device


def test_opening_a_forgotten_report_needs_the_token(client, defs):
    report = send(client, defs)
    action, token = TOKEN.search(client.get(report).get_data(as_text=True)).groups()
    client.post(action, data={"csrf_token": token})
    assert client.post(f"{report}/openen").status_code == 400
    assert "vergeten op dit apparaat" in client.get(report).get_data(as_text=True)
    assert client.post("/r/" + "x" * 30 + "/openen", data={"csrf_token": token}).status_code == 404


def test_a_session_keeps_only_the_latest_forgotten_reports(client, app):
    from app.respondent.session import MAX_FORGOTTEN

    token = csrf_token(client.get(f"/q/{SLUG}").get_data(as_text=True))
    codes = [store_report(app) for _ in range(MAX_FORGOTTEN + 1)]
    for code in codes:
        client.post(f"/r/{code}/vergeten", data={"csrf_token": token})
    with client.session_transaction() as session:
        assert len(session["forgotten"]) == MAX_FORGOTTEN
    assert "In het kort" in client.get(f"/r/{codes[0]}").get_data(as_text=True)  # the oldest: shown again
    assert "vergeten op dit apparaat" in client.get(f"/r/{codes[-1]}").get_data(as_text=True)


def test_forgetting_needs_the_csrf_token(client, defs):
    report = send(client, defs)
    code = report.rsplit("/", 1)[1]
    assert client.post(f"{report}/vergeten").status_code == 400
    assert client.post(f"{report}/vergeten", data={"csrf_token": "nep"}).status_code == 400
    assert code in remembered(client).values()
    assert client.get(f"{report}/vergeten").status_code == 405


def test_forgetting_a_report_another_device_sent_changes_nothing_here(client, defs, app):
    report = send(client, defs)
    other = store_report(app)
    token = csrf_token(client.get(f"/q/{SLUG}").get_data(as_text=True))
    assert client.post(f"/r/{other}/vergeten", data={"csrf_token": token}).status_code == 302
    assert remembered(client) == {SLUG: report.rsplit("/", 1)[1]}


def test_the_device_remembers_only_its_last_report(client, defs):
    worker = send(client, defs, SLUG).rsplit("/", 1)[1]
    employer = send(client, defs, "leercultuur").rsplit("/", 1)[1]
    assert remembered(client) == {"leercultuur": employer}
    assert worker not in client.get(f"/q/{SLUG}").get_data(as_text=True)
    assert "Vergeet hem op dit apparaat" not in client.get(f"/r/{worker}").get_data(as_text=True)
    assert "Vergeet hem op dit apparaat" in client.get(f"/r/{employer}").get_data(as_text=True)


def test_sending_another_questionnaire_keeps_an_unfinished_one_going(client, defs):
    """Only sent reports are forgotten: the check-up in progress keeps the report code it will be sent under."""
    worker = defs.questionnaires[SLUG]
    post_profile(client, worker)
    post_page(client, worker, 1, {i.id: 4 for i in worker.sections[0].items})
    pending = remembered(client)[SLUG]
    employer = send(client, defs, "leercultuur").rsplit("/", 1)[1]
    assert remembered(client) == {SLUG: pending, "leercultuur": employer}
    for step, section in enumerate(worker.sections[1:], start=2):
        sent = post_page(client, worker, step, {i.id: 4 for i in section.items})
    assert sent.location == f"/r/{pending}"
    assert remembered(client) == {SLUG: pending}


def test_after_sending_the_start_page_leads_to_the_report_and_still_starts_a_new_one(client, defs, responses):
    report = send(client, defs)
    start = client.get(f"/q/{SLUG}")
    assert start.headers["Cache-Control"] == "no-store"  # it holds the report link
    html = start.get_data(as_text=True)
    assert re.search(r'<div class="notice sent-notice" role="status">\s*<p><strong>Je hebt deze check al ingevuld'
                     rf'</strong> —\s*<a class="button" href="{report}">naar je uitslag</a>', html)
    assert "Dan begin je hieronder een nieuwe." in html
    assert post_profile(client, defs.questionnaires[SLUG]).location == f"/q/{SLUG}/stap/1"
    assert len(responses()) == 2
    # The new check-up replaces the sent one on this device: the start page now goes on with the new one.
    assert "al ingevuld" not in client.get(f"/q/{SLUG}").get_data(as_text=True)


def test_employer_start_page_after_sending_speaks_with_u(client, defs):
    report = send(client, defs, "leercultuur")
    html = client.get("/q/leercultuur").get_data(as_text=True)
    assert "U hebt deze scan al ingevuld" in html and f'href="{report}">naar uw uitslag</a>' in html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_keep_panel_in_both_languages(client, defs, lang):
    report = send(client, defs)
    panel = keep_panel(client.get(f"{report}?lang={lang}").get_data(as_text=True))
    words = {"nl": ("Bewaar je uitslag", "Kopieer de link", "Vergeet hem op dit apparaat"),
             "en": ("Keep your report", "Copy the link", "Forget it on this device")}[lang]
    for text in words:
        assert text in panel
