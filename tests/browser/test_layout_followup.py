"""Issue 18 in a browser: the team report, the campaign page (with its follow-up table), the
organisation page (campaigns over time) and the reminder read at 1280 and 360 px, in Dutch and
English, with nothing cut off and axe clean.

"Nothing cut off": the page never scrolls sideways, no element in the page's content sticks out of
it, and a table is either as wide as its box or — on a phone — scrolls inside its own focusable,
labelled region, in which its last column can be scrolled into view. At 1280 px no table scrolls.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.support.team_data import EMPLOYER_BY_KNOB, WORKERS, fill

from .flows import assert_accessible

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "layout@example.org", "een-lang-wachtwoord-42"

OVERFLOW = """() => {
  const main = document.querySelector('main'), box = main.getBoundingClientRect();
  const width = document.documentElement.clientWidth, bad = [];
  const scrolled = document.documentElement.scrollWidth;
  if (scrolled > width) bad.push('the page scrolls sideways: ' + scrolled);
  for (const el of main.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const scroller = el.closest('.table-scroll');
    if (scroller && scroller !== el) continue;  // inside a scroll region: checked below
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if (r.right > box.right + 1 || r.left < box.left - 1)
      bad.push(el.tagName + '.' + el.className + ' ' + r.left + '..' + r.right);
  }
  const regions = [...main.querySelectorAll('.table-scroll')].map(el => {
    const over = el.scrollWidth > el.clientWidth + 1;
    el.scrollLeft = el.scrollWidth;
    const cells = el.querySelectorAll('thead th'), last = cells[cells.length - 1];
    const shown = !last || last.getBoundingClientRect().right <= el.getBoundingClientRect().right + 1;
    const label = document.getElementById(el.getAttribute('aria-labelledby') || '');
    return {over, shown, focusable: el.tabIndex === 0, role: el.getAttribute('role'),
            named: !!(label && label.textContent.trim()), overflow: getComputedStyle(el).overflowX};
  });
  return {bad, regions};
}"""


@pytest.fixture(scope="module")
def ids(live_app):
    """An organisation with an earlier (closed) campaign and an open one with departments, five
    workers and the employer in each figure; an advisor assigned to it."""
    from app.accounts import create_user
    from app.extensions import db
    from app.models import Campaign, Department, Organisation

    with live_app.app_context():
        org = Organisation(name="Metaalbedrijf Oost", size="10_49")
        today = date.today()
        earlier = Campaign(organisation=org, title="Nulmeting vorig jaar", slugs=["loopbaan-apk", "leercultuur"],
                           opens_on=today - timedelta(days=400), closes_on=today - timedelta(days=370))
        now = Campaign(organisation=org, title="Vervolgmeting leercultuur en loopbaan-APK voor alle vestigingen",
                       slugs=["loopbaan-apk", "leercultuur"], opens_on=today - timedelta(days=5),
                       closes_on=today + timedelta(days=25),
                       departments=[Department(name="Productie en logistiek"), Department(name="Kantoor")])
        db.session.add_all([earlier, now])
        user = create_user(EMAIL, PASSWORD)
        org.advisors.append(user)
        db.session.commit()
        found = (org.id, earlier.id, now.id, [d.id for d in now.departments])
    org_id, earlier_id, campaign_id, deps = found
    fill(live_app, earlier_id, WORKERS)
    fill(live_app, campaign_id, WORKERS, [deps[0]] * 3 + [deps[1]] * 2, employers=[EMPLOYER_BY_KNOB])
    return org_id, earlier_id, campaign_id


@pytest.fixture(scope="module")
def signed_in(browser, live_server, ids):
    """The advisor's signed-in browser state (one login for the module: logins are rate limited)."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server}/advisor/login")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Inloggen", re.I)).click()
    page.wait_for_url(re.compile(r"/advisor/?$"))
    state = context.storage_state()
    context.close()
    return state


def _pages(ids) -> dict[str, str]:
    org_id, earlier_id, campaign_id = ids
    return {"report": f"/advisor/campaigns/{campaign_id}/report?vergelijk={earlier_id}",
            "campaign": f"/advisor/campaigns/{campaign_id}", "organisation": f"/advisor/organisations/{org_id}",
            "reminder": f"/advisor/campaigns/{campaign_id}/reminder"}


EXPECT = {
    "nl": {"report": "Samenhang (alfa) zegt", "campaign": "Respons per stand",
           "organisation": "Campagnes door de tijd", "reminder": "Herinnering:"},
    "en": {"report": "Consistency (alpha) says", "campaign": "Responses per release",
           "organisation": "Campaigns over time", "reminder": "Reminder:"},
}


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_advisor_pages_read_at_every_width(browser, live_server, ids, signed_in, width, lang):
    context = browser.new_context(storage_state=signed_in, locale="nl-NL", viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for name, path in _pages(ids).items():
            page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
            assert EXPECT[lang][name] in page.inner_text("main"), name
            found = page.evaluate(OVERFLOW)
            assert found["bad"] == [], (name, width, found["bad"])
            for region in found["regions"]:
                assert region["shown"], (name, width, region)  # the last column can be brought into view
                if width >= 1280:
                    assert not region["over"], (name, width, region)  # nothing to scroll on a large screen
                if region["over"]:
                    assert region["focusable"] and region["role"] == "region" and region["named"], (name, region)
                    assert region["overflow"] in ("auto", "scroll"), (name, region)
            assert_accessible(page)
        if width == 360:  # the factor table is wider than a phone: it says it scrolls, and it does
            page.goto(f"{live_server}{_pages(ids)['report']}&lang={lang}")
            regions = page.evaluate(OVERFLOW)["regions"]
            assert regions[0]["over"]
            hint = "Schuif de tabel opzij" if lang == "nl" else "Scroll the table sideways"
            assert page.get_by_text(hint).first.is_visible()
        else:
            page.goto(f"{live_server}{_pages(ids)['report']}&lang={lang}")
            assert not page.locator(".scroll-hint").first.is_visible()
    finally:
        context.close()


def test_the_follow_up_table_and_the_reminder_on_the_campaign_page(browser, live_server, ids, signed_in):
    _org, _earlier, campaign_id = ids
    context = browser.new_context(storage_state=signed_in, locale="nl-NL", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/advisor/campaigns/{campaign_id}")
        table = page.get_by_role("table", name=re.compile("Ingevulde vragenlijsten per stand"))
        rows = table.locator("tbody tr")
        assert rows.count() >= 1 and rows.first.locator("th").inner_text() == "stand 1"
        assert rows.first.locator("td").nth(1).inner_text() == "5"
        page.get_by_role("link", name="Herinnering om af te drukken (zelfde QR-code)").click()
        page.wait_for_url(re.compile(rf"/advisor/campaigns/{campaign_id}/reminder$"))
        assert page.get_by_role("img", name="QR-code met de link naar de vragenlijst").is_visible()
        assert page.get_by_role("heading", level=1).inner_text().startswith("Herinnering: ")
    finally:
        context.close()
