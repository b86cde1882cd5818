"""What the gunicorn master prepares before forking workers: compiled templates."""

from __future__ import annotations

from app.wsgi import compile_templates


def test_every_template_is_compiled_before_the_first_request(app):
    app.jinja_env.cache.clear()
    count = compile_templates(app)
    assert count >= 20
    assert "respondent/page.html" in app.jinja_env.list_templates()
    compiled = {key[1] for key in app.jinja_env.cache}
    assert {"respondent/page.html", "respondent/report.html", "base.html", "error.html"} <= compiled
    assert len(compiled) == count

