"""What the gunicorn master prepares before forking workers: compiled templates, objects frozen out of the GC."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

from app.wsgi import compile_templates

REPO = Path(__file__).resolve().parents[2]


def test_every_template_is_compiled_before_the_first_request(app):
    app.jinja_env.cache.clear()
    count = compile_templates(app)
    assert count >= 20
    assert "respondent/page.html" in app.jinja_env.list_templates()
    compiled = {key[1] for key in app.jinja_env.cache}
    assert {"respondent/page.html", "respondent/report.html", "base.html", "error.html"} <= compiled
    assert len(compiled) == count


def test_pre_fork_freezes_the_masters_objects():
    settings = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    assert gc.get_freeze_count() == 0
    try:
        settings["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
