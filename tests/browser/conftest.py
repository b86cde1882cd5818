"""Browser fixtures: the app served on a free local port, and Debian's Chromium via Playwright.

The tests skip, with the reason, when no Chromium is installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

from .flows import ADMIN_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, definitions_dir):
    """The app behind :func:`live_server`, on its own migrated SQLite database (for tests that set up data);
    a ``both_models`` test gets one per definition folder (tests/conftest.py)."""
    folder = tmp_path_factory.mktemp("live")
    # One address (127.0.0.1) starts every check-up of the whole browser session: the limit of new
    # responses per address (30 an hour) would refuse the later tests'. The limits themselves are
    # tested in tests/app/test_rate_limits.py; here they stay on, with room for the whole session.
    app = create_app({"TESTING": True, "SECRET_KEY": "browser-tests", "DEFINITIONS_DIR": str(definitions_dir),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite'}",
                      "RESPONSES_RATELIMIT_ADDRESS": "1000/hour", "RESPONSES_RATELIMIT_SESSION": "1000/hour"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_defs(live_app):
    """The definitions the live app loaded (a ``both_models`` test: those of its folder)."""
    from app.definitions import KEY

    return live_app.extensions[KEY]


@pytest.fixture(scope="session")
def live_server(live_app):
    """The app on 127.0.0.1; yields the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def fresh_rate_limits(live_app):
    """The live app lasts the whole session and its limit of new responses per address is shared by every
    browser test: a test that starts many check-ups starts from zero, and leaves zero behind."""
    from app.extensions import limiter

    with live_app.app_context():
        limiter.reset()
    yield
    with live_app.app_context():
        limiter.reset()


@pytest.fixture(params=["nl", "en"])
def lang(request) -> str:
    """Each test that asks for it runs in Dutch and in English."""
    return request.param


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's 'chromium' package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def admin(live_app) -> str:
    """The e-mail address of an admin account on the live app (password :data:`ADMIN_PASSWORD`)."""
    from sqlalchemy import select

    from app.accounts import create_user
    from app.models import User

    with live_app.app_context():  # the live app lasts the whole session: the account may be there
        if db.session.scalar(select(User).where(User.email == "beheer@example.org")) is None:
            create_user("beheer@example.org", ADMIN_PASSWORD, "admin")
    return "beheer@example.org"
