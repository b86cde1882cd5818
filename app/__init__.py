"""Regiekompas web app: the application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, render_template, request, session

from .config import DEFAULTS, database_url, load_or_create_secret


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: defaults, then ``instance/config.py`` (not when testing), then the environment.

    ``DATABASE_URL`` and ``SECRET_KEY`` come from the environment; without ``SECRET_KEY`` a secret
    is generated once and kept in the instance folder. Any other setting can be given with the
    ``FLASK_`` prefix (``FLASK_ANONYMITY_K=7``).
    """
    app = Flask(__name__, instance_relative_config=True,
                           instance_path=os.environ.get("REGIEKOMPAS_INSTANCE_PATH") or None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keys in the order DESIGN.md documents
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "regiekompas.sqlite")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    app.config.from_prefixed_env()
    if test_config is None or "SQLALCHEMY_DATABASE_URI" not in test_config:
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(
            os.environ.get("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"]))
    app.config["SECRET_KEY"] = (app.config.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
                                or load_or_create_secret(Path(app.instance_path)))

    # A server may drop an idle connection (restart, failover): test each one as it leaves the pool.
    # A SQLite file has no server to lose, and the ping would be an extra query per request.
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    options.setdefault("pool_pre_ping", not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    from . import accounts, definitions, models, security
    from .extensions import babel, csrf, db, limiter, migrate
    from .maintenance import init_app as init_maintenance
    from .request_log import init_app as init_request_log

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    definitions.init_app(app)
    models.init_app(app)
    init_request_log(app)
    init_maintenance(app)
    security.init_app(app)
    accounts.init_app(app)

    from .advisor import bp as advisor_bp
    from .api import bp as api_bp
    from .respondent import bp as respondent_bp

    app.register_blueprint(respondent_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(advisor_bp)
    csrf.exempt(api_bp)  # the JSON API has no cookies and no forms
    _register_errors(app)
    _register_core(app)
    return app


def request_language() -> str:
    """This request's UI language ("nl" or "en"), as Flask-Babel chose it."""
    from flask_babel import get_locale

    return str(get_locale() or "nl")


def _select_locale() -> str:
    """The language of this request: ``?lang=`` (remembered in the session), else the session's, else Dutch."""
    languages = DEFAULTS["LANGUAGES"]
    lang = request.args.get("lang")
    if lang in languages:
        session["lang"] = lang
        return lang
    remembered = session.get("lang")
    return remembered if remembered in languages else "nl"


def _register_core(app: Flask) -> None:
    from sqlalchemy import text

    from .extensions import db

    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # any database failure means: not healthy
            return {"status": "error", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}

    @app.context_processor
    def inject_lang():
        from flask_babel import get_locale

        return {"lang": str(get_locale() or "nl")}


def _register_errors(app: Flask) -> None:
    from .api.errors import ApiError, api_error_response, is_api_request

    app.register_error_handler(ApiError, api_error_response)

    def handler(code: int, template: str):
        def handle(error):
            if is_api_request():
                return api_error_response(error)
            return render_template(template, code=code), code
        return handle

    for code in (400, 401, 403, 404, 405, 413, 415, 429, 500):
        app.register_error_handler(code, handler(code, "error.html"))
