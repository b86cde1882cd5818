"""Helpers of the browser tests: what a person does in the questionnaire, axe-core, screenshots."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

BUTTONS = {"nl": ("Volgende", "Versturen"), "en": ("Next", "Submit")}
#: The password of the admin account the ``admin`` fixture makes.
ADMIN_PASSWORD = "beheerder-wachtwoord-2026"


def choose_profile(page) -> None:
    """Pick an option for every profile question the way a person does: click a label or select."""
    for select in page.locator("select").all():
        select.select_option(index=1)
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("label.choice").nth(0).click()


def answer_page(page, choice: int) -> None:
    """Click option ``choice`` (0 = the first) of every question on the page."""
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("label.choice").nth(choice).click()


def answer_every_page(page, choice: int, lang: str = "nl") -> str:
    """From the first question page on: answer each page and go on until the report; its URL."""
    next_name, send_name = BUTTONS[lang]
    while True:
        answer_page(page, choice=choice)
        button = page.get_by_role("button", name=re.compile(f"{next_name}|{send_name}"))
        last = button.inner_text().strip() == send_name
        button.click()
        if last:
            break
    page.wait_for_url(re.compile(r"/r/[\w-]{22,}$"))
    return page.url


def finish_check_up(page, live_server: str, choice: int = 1, lang: str = "nl") -> str:
    """Fill in the worker check-up through the UI, option ``choice`` on every item; the report URL."""
    page.goto(f"{live_server}/q/loopbaan-apk?lang={lang}")
    choose_profile(page)
    page.get_by_role("button", name=BUTTONS[lang][0]).click()
    return answer_every_page(page, choice, lang)


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                              f"{[n['target'] for n in v['nodes']][:3]}" for v in bad)


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot into ``$SCREENSHOT_DIR`` when that is set (for the README)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def open_campaign(org_name: str, title: str, **fields):
    """An organisation with an open campaign of both questionnaires (from yesterday, for 30 days),
    stored; ``fields`` add to or change the campaign's. Call inside the live app's context."""
    from datetime import date, timedelta

    from app.extensions import db
    from app.models import Campaign, Organisation

    today = date.today()
    campaign = Campaign(organisation=Organisation(name=org_name, size="10_49"), title=title,
                        slugs=["loopbaan-apk", "leercultuur"], opens_on=today - timedelta(days=1),
                        closes_on=today + timedelta(days=30), **fields)
    db.session.add(campaign)
    db.session.commit()
    return campaign


PHONE = {"width": 360, "height": 740}


@contextmanager
def phone_page(browser, lang: str, **options):
    """A page on a 360 × 740 touch phone in ``lang``'s locale (``options``: more context settings,
    e.g. clipboard permissions); the context is closed afterwards."""
    context = browser.new_context(viewport=PHONE, locale="nl-NL" if lang == "nl" else "en-GB", is_mobile=True,
                                  has_touch=True, **options)
    try:
        yield context.new_page()
    finally:
        context.close()
