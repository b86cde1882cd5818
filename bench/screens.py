"""Phone screens (360 × 740, one screen each) of a worker's check-up for the README: a question with a chosen
answer, the report right after sending ("Bewaar je uitslag"), "In het kort", "Wat nu?" and a saved plan.

    .venv/bin/python bench/screens.py      # writes docs/screenshots/phone-*.png

The app runs in this process on a temporary SQLite database; Chromium is Debian's (/usr/bin/chromium).
"""

import datetime
import re
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
d = tempfile.mkdtemp()
app = create_app({"TESTING": True, "SECRET_KEY": "screens", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{d}/a.sqlite"})
with app.app_context():
    upgrade()
srv = make_server("127.0.0.1", 0, app, threaded=True)
threading.Thread(target=srv.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{srv.server_port}"
PROFILE_CHOICES = [1, 1, 2, 0, 2]
ANSWER_CHOICES = [3, 1, 2, 3, 0, 4, 1]


def scroll_to(page, selector: str) -> None:
    page.evaluate("(s) => { document.querySelector(s).scrollIntoView(); window.scrollBy(0, -8); }", selector)


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                               locale="nl-NL", device_scale_factor=2).new_page()
    page.goto(base + "/q/loopbaan-apk")
    for select in page.locator("select").all():
        select.select_option(index=1)
    for i, fieldset in enumerate(page.locator("fieldset").all()):
        fieldset.locator("label.choice").nth(PROFILE_CHOICES[i % 5]).click()
    page.get_by_role("button", name="Volgende").click()
    for n in range(100):
        for j, fieldset in enumerate(page.locator("fieldset").all()):
            fieldset.locator("label.choice").nth(ANSWER_CHOICES[(j + n) % 7]).click()
        if n == 0:
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=OUT / "phone-question.png")
        button = page.get_by_role("button", name=re.compile("Volgende|Versturen"))
        last = button.inner_text().strip() == "Versturen"
        button.click()
        if last:
            break
    page.wait_for_url(re.compile(r"/r/[\w-]{22,}$"))
    page.screenshot(path=OUT / "phone-report-keep.png")
    scroll_to(page, "#summary-title")
    page.screenshot(path=OUT / "phone-report-first-screen.png")
    scroll_to(page, "#wat-nu")
    page.screenshot(path=OUT / "phone-report-what-next.png")
    form = page.locator("#mijn-plan form")
    form.get_by_label("Wat wil je bereiken?").fill("Ik wil dit jaar mijn vakdiploma halen.")
    form.get_by_label("Wie helpt je daarbij?").fill("Mijn leidinggevende")
    form.get_by_label("Wanneer kijk je terug?").fill((datetime.date.today() + datetime.timedelta(days=120)).isoformat())
    form.get_by_role("button", name="Bewaar mijn plan").click()
    page.wait_for_url(re.compile("#mijn-plan$"))
    scroll_to(page, "#mijn-plan")
    page.screenshot(path=OUT / "phone-report-plan.png")
    browser.close()
print(f"written: {sorted(path.name for path in OUT.glob('phone-*.png'))}")
