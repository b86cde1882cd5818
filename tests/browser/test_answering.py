"""Issue 17 on a 360 × 740 phone, in Dutch and English, axe clean: the chosen answer is a filled card
with a check mark (contrast measured from the computed colours), the check-up is the first choice on
the home page with its button in the first screen, two tabs of one check-up lose nothing unseen, and
a lost session cookie gets a page that says what happened and how to go on."""

from __future__ import annotations

import re

import pytest

from .flows import BUTTONS, PHONE, answer_page, assert_accessible, choose_profile, phone_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_rate_limits")]

WORDS = {"nl": {"title": "Loopbaan-APK", "back": "Vorige", "changed": "Deze bladzijde is intussen veranderd",
                "lost": "Je antwoorden op deze bladzijde zijn niet bewaard", "own": "Verder met mijn check",
                "yes": "Ja, ga verder"},
         "en": {"title": "Career check-up", "back": "Previous", "changed": "This page has changed meanwhile",
                "lost": "Your answers on this page were not saved", "own": "Continue my check-up",
                "yes": "Yes, continue"}}
#: The computed colours of the first question's chosen card (the ``nth``) and its neighbour, with what
#: is behind them (the first ancestor with a background), the check marks (::after) and the focus ring.
CARD_STYLES = """(fieldset, nth) => {
  const cards = [...fieldset.querySelectorAll('label.choice')];
  const chosen = cards[nth], other = cards[nth === 0 ? 1 : 0];
  const behind = el => { for (let e = el.parentElement; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg; } return 'rgb(255, 255, 255)'; };
  const style = el => { const s = getComputedStyle(el); return { background: s.backgroundColor,
    border: s.borderTopColor, borderWidth: s.borderTopWidth, color: s.color, outline: s.outlineStyle,
    outlineColor: s.outlineColor, outlineWidth: s.outlineWidth }; };
  const mark = el => { const s = getComputedStyle(el.querySelector('span'), '::after');
    return { content: s.content, color: s.color, display: s.display }; };
  return { chosen: style(chosen), other: style(other), behind: behind(chosen),
           mark: mark(chosen), otherMark: mark(other), checked: chosen.querySelector('input').checked };
}"""


@pytest.fixture
def phone(browser, lang):
    with phone_page(browser, lang) as page:
        yield page


def rgb(css: str) -> tuple[float, float, float]:
    """An opaque computed colour (``rgb(r, g, b)``, or ``rgba`` with alpha 1) as 0–255 channels."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    assert len(numbers) == 3 or numbers[3] == 1, f"not an opaque colour: {css}"
    return numbers[0], numbers[1], numbers[2]


def luminance(css: str) -> float:
    """WCAG 2.1 relative luminance."""
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_wcag():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)
    assert contrast("rgb(29, 78, 137)", "rgb(29, 78, 137)") == 1


def card_styles(page, nth: int, question: int = 0) -> dict:
    return page.locator("fieldset").nth(question).evaluate(CARD_STYLES, nth)


def seen_on(background: str, behind: str) -> str:
    """The colour a card's ``background`` shows: its own, or what is behind it when it is transparent."""
    return behind if background in ("rgba(0, 0, 0, 0)", "transparent") else background


def assert_chosen_stands_out(page, nth: int) -> None:
    """Option ``nth`` of the first question is chosen and looks it: a fill that stands out, readable
    text on it, a check mark; its neighbour has neither fill nor mark."""
    styles = card_styles(page, nth)
    chosen, other, behind = styles["chosen"], styles["other"], styles["behind"]
    assert styles["checked"]
    assert contrast(chosen["background"], behind) >= 3, styles  # the fill against the page (1.4.11)
    other_fill = seen_on(other["background"], behind)
    assert contrast(chosen["background"], other_fill) >= 3, styles  # and against its neighbour
    assert contrast(chosen["color"], chosen["background"]) >= 4.5, styles  # its text (1.4.3)
    assert "\u2713" in styles["mark"]["content"] and styles["mark"]["display"] != "none", styles
    assert contrast(styles["mark"]["color"], chosen["background"]) >= 3, styles
    assert styles["otherMark"]["content"] in ("none", "normal"), styles
    assert contrast(other["color"], other_fill) >= 4.5, styles


def first_question_page(page, live_server: str, lang: str, slug: str = "loopbaan-apk") -> None:
    page.goto(f"{live_server}/q/{slug}?lang={lang}")
    choose_profile(page)
    page.get_by_role("button", name=BUTTONS[lang][0]).click()
    page.wait_for_url(re.compile(rf"/q/{slug}/stap/1$"))


@pytest.mark.parametrize("slug", ["loopbaan-apk", "leercultuur"])
def test_the_chosen_answer_is_a_filled_card_with_a_check_mark(phone, live_server, lang, slug):
    first_question_page(phone, live_server, lang, slug)
    cards = phone.locator("fieldset").first.locator("label.choice")
    cards.nth(2).click()
    assert_chosen_stands_out(phone, 2)
    cards.nth(0).click()  # another choice: the card moves with it
    assert_chosen_stands_out(phone, 0)
    assert "\u2713" not in card_styles(phone, 2)["mark"]["content"]
    assert_accessible(phone)


def test_the_profile_questions_show_the_choice_the_same_way(phone, live_server, lang):
    phone.goto(f"{live_server}/q/loopbaan-apk?lang={lang}")
    radios = phone.locator("fieldset").first
    radios.locator("label.choice").nth(1).click()
    assert_chosen_stands_out(phone, 1)
    assert_accessible(phone)


def test_the_keyboard_focus_rings_the_chosen_card(phone, live_server, lang):
    first_question_page(phone, live_server, lang)
    phone.locator("fieldset").first.locator("label.choice").nth(0).click()
    phone.keyboard.press("ArrowDown")  # the keyboard moves the choice and the focus to the next option
    styles = card_styles(phone, 1)
    assert styles["checked"]
    ring = styles["chosen"]
    assert ring["outline"] == "solid" and float(ring["outlineWidth"].removesuffix("px")) >= 2, ring
    assert contrast(ring["outlineColor"], styles["behind"]) >= 3, ring
    assert_chosen_stands_out(phone, 1)


def test_forced_colours_keep_the_choice(phone, live_server, lang):
    first_question_page(phone, live_server, lang)
    phone.emulate_media(forced_colors="active")
    phone.locator("fieldset").first.locator("label.choice").nth(1).click()
    styles = card_styles(phone, 1)
    assert "\u2713" in styles["mark"]["content"]  # the check mark is text: it stays
    assert float(styles["chosen"]["borderWidth"].removesuffix("px")) >= 3 > \
        float(styles["other"]["borderWidth"].removesuffix("px"))


def test_the_check_up_is_the_first_choice_on_a_phone(phone, live_server, lang):
    phone.goto(f"{live_server}/?lang={lang}")
    cards = phone.locator("section.card")
    first = cards.nth(0)
    assert first.locator("h2").inner_text() == WORDS[lang]["title"]
    button = first.locator("a.button")
    box = button.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert phone.evaluate("window.scrollY") == 0
    assert button.get_attribute("href") == "/q/loopbaan-apk"
    assert box["y"] + box["height"] <= cards.nth(1).bounding_box()["y"]  # above the employer scan
    assert_accessible(phone)


def chosen_values(page) -> list[str | None]:
    """The value chosen in each question of the page (None: nothing chosen)."""
    return page.locator("fieldset").evaluate_all(
        "sets => sets.map(s => { const c = s.querySelector('input:checked'); return c ? c.value : null; })")


def option_value(page, choice: int) -> str:
    return page.locator("fieldset").first.locator("input").nth(choice).get_attribute("value")


def test_two_tabs_show_the_latest_answers_and_replace_nothing_unseen(phone, live_server, lang):
    tab_a = phone
    first_question_page(tab_a, live_server, lang)
    tab_b = tab_a.context.new_page()
    tab_b.goto(tab_a.url)
    answer_page(tab_b, choice=0)  # chosen in tab B, not sent
    answer_page(tab_a, choice=3)
    tab_a.get_by_role("button", name=BUTTONS[lang][0]).click()
    tab_a.wait_for_url(re.compile(r"/stap/2$"))
    tab_b.reload()
    three, four = option_value(tab_b, 3), option_value(tab_b, 4)
    assert set(chosen_values(tab_b)) == {three}  # what tab A saved, not what tab B had chosen
    # Tab A goes back and changes page 1; tab B, not reloaded, still shows the 3s and sends other answers.
    tab_a.get_by_role("button", name=WORDS[lang]["back"]).click()
    tab_a.wait_for_url(re.compile(r"/stap/1$"))
    answer_page(tab_a, choice=4)
    tab_a.get_by_role("button", name=BUTTONS[lang][0]).click()
    tab_a.wait_for_url(re.compile(r"/stap/2$"))
    answer_page(tab_b, choice=1)
    with tab_b.expect_response(lambda r: r.request.method == "POST") as posted:
        tab_b.get_by_role("button", name=BUTTONS[lang][0]).click()
    assert posted.value.status == 409
    tab_b.wait_for_load_state()
    assert tab_b.get_by_role("alert").filter(has_text=WORDS[lang]["changed"]).is_visible()
    assert set(chosen_values(tab_b)) == {four}  # tab A's answers, saved, shown
    assert_accessible(tab_b)
    tab_a.reload()
    tab_a.get_by_role("button", name=WORDS[lang]["back"]).click()
    tab_a.wait_for_url(re.compile(r"/stap/1$"))
    assert set(chosen_values(tab_a)) == {four}  # nothing of tab A's was replaced
    # Having seen them, tab B can go on: the page is up to date now.
    tab_b.get_by_role("button", name=BUTTONS[lang][0]).click()
    tab_b.wait_for_url(re.compile(r"/stap/2$"))


def test_a_lost_cookie_says_what_happened_and_goes_on_with_the_own_link(phone, live_server, lang):
    first_question_page(phone, live_server, lang)
    answer_page(phone, choice=2)
    phone.get_by_role("button", name=BUTTONS[lang][0]).click()
    phone.wait_for_url(re.compile(r"/stap/2$"))
    phone.context.clear_cookies()
    answer_page(phone, choice=1)
    with phone.expect_response(lambda r: r.request.method == "POST") as posted:
        phone.get_by_role("button", name=BUTTONS[lang][0]).click()
    assert posted.value.status == 400
    assert phone.get_by_role("heading", level=1).inner_text() == WORDS[lang]["lost"]
    assert phone.locator("html").get_attribute("lang") == lang
    assert_accessible(phone)
    phone.get_by_role("link", name=WORDS[lang]["own"]).click()
    phone.get_by_role("button", name=WORDS[lang]["yes"]).click()
    phone.wait_for_url(re.compile(r"/stap/2$"))
    assert chosen_values(phone) == [None] * phone.locator("fieldset").count()  # page 2 was not half-stored
    assert phone.locator("html").get_attribute("lang") == lang
    phone.get_by_role("button", name=WORDS[lang]["back"]).click()
    phone.wait_for_url(re.compile(r"/stap/1$"))
    assert set(chosen_values(phone)) == {option_value(phone, 2)}  # page 1 was kept
