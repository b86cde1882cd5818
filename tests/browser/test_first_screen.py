"""Issue 17 on a 360 × 740 phone, in Dutch and English, axe clean: the first screen ("In het kort" with the
first step per knob, the others behind a disclosure), its height right after sending, chart text at least
body size, radar labels that do not overlap, "Wat nu?" and "Lees voor" (hidden without a voice; with one,
it reads the main text in the page's language)."""

from __future__ import annotations

import re

import pytest

from .flows import BUTTONS, PHONE, assert_accessible, choose_profile, finish_check_up, phone_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_rate_limits")]

#: "About four phone screens": the page down to the last disclosure of "In het kort", right after sending.
FIRST_SCREEN_MAX = 4 * PHONE["height"]
WORDS = {"nl": {"summary": "In het kort", "more": "Meer stappen voor", "why": "Waarom:", "next": "Wat nu?",
                "read": "Lees voor", "stop": "Stop met voorlezen", "lang": "nl-NL"},
         "en": {"summary": "In short", "more": "More steps for", "why": "Why:", "next": "What now?",
                "read": "Read aloud", "stop": "Stop reading", "lang": "en-GB"}}
#: A browser's speech synthesis with one voice per language given, recording what it is asked to say.
FAKE_SPEECH = """(langs => {
  window.__spoken = [];
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.voice = null; };
  const synth = { getVoices: () => langs.map(l => ({ lang: l, name: 'Test ' + l })),
                  speak: u => window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.lang }),
                  cancel: () => {}, addEventListener: () => {} };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
})(%s)"""


@pytest.fixture
def phone(browser, lang):
    with phone_page(browser, lang) as page:
        yield page


def page_y(locator) -> float:
    """The bottom of ``locator`` from the top of the page (not of the viewport)."""
    return locator.evaluate("e => e.getBoundingClientRect().bottom + window.scrollY")


def test_first_screen_right_after_sending(live_server, phone, lang, capsys):
    page, words = phone, WORDS[lang]
    finish_check_up(page, live_server, choice=1, lang=lang)
    summary = page.locator("section.summary")
    assert summary.get_by_role("heading", name=words["summary"], exact=True).is_visible()
    # After "Bewaar je uitslag", before everything else.
    assert page.locator("#bewaar").evaluate("(keep, s) => keep.compareDocumentPosition(s) & 4",
                                            summary.element_handle())
    knobs = summary.locator("section.first-step-knob")
    assert knobs.count() == 3
    for i in range(3):
        first = knobs.nth(i).locator(".first-rec")
        assert first.is_visible() and words["why"] in first.inner_text()
    disclosures = summary.locator("details.more-steps")
    assert disclosures.count() >= 1
    for i in range(disclosures.count()):
        d = disclosures.nth(i)
        assert not d.evaluate("e => e.open")
        assert not d.locator("li.rec").first.is_visible()
        assert words["more"] in d.locator("summary").inner_text()
    height = page_y(disclosures.last.locator("summary"))
    with capsys.disabled():
        print(f"\nfirst screen ({lang}): {height:.0f} px to the last disclosure "
              f"({height / PHONE['height']:.2f} screens of {PHONE['height']} px)")
    assert height <= FIRST_SCREEN_MAX
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"report-first-screen-{lang}")
    assert_accessible(page)

    # A disclosure opens from the keyboard (no JavaScript of ours involved), and stays axe clean open.
    summary_el = disclosures.first.locator("summary")
    summary_el.focus()
    page.keyboard.press("Enter")
    assert disclosures.first.evaluate("e => e.open")
    assert disclosures.first.locator("li.rec").first.is_visible()
    assert words["why"] in disclosures.first.inner_text()
    assert_accessible(page)

    what_next = page.locator("#wat-nu")
    with capsys.disabled():
        print(f"'Wat nu?' ({lang}) ends at {page_y(what_next):.0f} px with one disclosure open")
    assert what_next.get_by_role("heading", name=words["next"]).is_visible()
    assert what_next.locator(".first-step").count() == 1
    assert what_next.locator("li.helper").count() >= 3
    assert 3 <= what_next.locator("ol.talk-questions li").count() <= 5


def text_boxes(page, selector: str) -> list[dict]:
    return page.evaluate("""sel => [...document.querySelectorAll(sel + ' svg text')].map(t => {
        const r = t.getBoundingClientRect(), m = t.getScreenCTM();
        return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                px: parseFloat(t.getAttribute('font-size')) * m.a};
      })""", selector)


def test_chart_text_is_body_size_and_radar_labels_do_not_overlap(live_server, phone, lang):
    page = phone
    report = finish_check_up(page, live_server, choice=0, lang=lang)
    body_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    for kind, url in (("bars", report), ("radar", f"{report}?grafiek=radar")):
        page.goto(url)
        boxes = text_boxes(page, f".chart-{kind}")
        assert len(boxes) >= 8
        small = [(b["text"], round(b["px"], 1)) for b in boxes if b["px"] < body_px - 0.01]
        assert not small, f"{kind}: text smaller than the body's {body_px}px: {small}"
        chart = page.locator(f".chart-{kind} svg").bounding_box()
        for b in boxes:  # inside the chart
            assert chart["x"] - 0.5 <= b["x0"] and b["x1"] <= chart["x"] + chart["width"] + 0.5, b["text"]
        if kind == "radar":
            overlaps = [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                        if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]]
            assert not overlaps, overlaps
            screenshot(page, f"report-radar-{lang}")
            assert_accessible(page)


def test_read_aloud_is_hidden_without_a_voice(live_server, phone, lang):
    page, words = phone, WORDS[lang]
    page.add_init_script(FAKE_SPEECH % ('["de-DE"]',))  # speech synthesis, but no voice for the page
    finish_check_up(page, live_server, lang=lang)
    page.wait_for_load_state("load")  # deferred scripts have run
    assert page.locator("[data-read-aloud-button]").count() == 1
    assert not page.get_by_role("button", name=words["read"]).is_visible()


def test_read_aloud_reads_the_report_and_the_questions(live_server, phone, lang):
    page, words = phone, WORDS[lang]
    page.add_init_script(FAKE_SPEECH % ('["de-DE", "nl-NL", "en-GB"]',))
    page.goto(f"{live_server}/q/loopbaan-apk?lang={lang}")
    choose_profile(page)
    page.get_by_role("button", name=BUTTONS[lang][0]).click()
    page.wait_for_url(re.compile(r"/stap/1$"))
    page.wait_for_load_state("load")  # deferred scripts have run
    button = page.get_by_role("button", name=words["read"])
    assert button.is_visible()
    first_question = page.locator("fieldset legend").first.inner_text()
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == words["lang"] and spoken[0]["voice"] == words["lang"]
    assert first_question in spoken[0]["text"]
    assert page.locator("label.choice").first.inner_text() not in spoken[0]["text"].split("\n")
    assert page.get_by_role("button", name=words["stop"]).get_attribute("aria-pressed") == "true"
    assert_accessible(page)

    report = finish_check_up(page, live_server, lang=lang)
    page.goto(report)  # waits for the load event
    page.get_by_role("button", name=words["read"]).click()
    text = page.evaluate("window.__spoken")[-1]["text"]
    assert words["summary"] in text and words["next"] in text
    hidden_step = page.locator("details.more-steps li.rec .rec-title").first.text_content().strip()
    assert hidden_step not in text  # a closed disclosure is not read
    assert_accessible(page)
