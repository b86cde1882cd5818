"""Regiekompas web app: the application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .config import DEFAULTS, database_url, load_or_create_secret
from .request_log import App


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: defaults, then ``instance/config.py`` (not when testing), then the environment.

    ``DATABASE_URL`` and ``SECRET_KEY`` come from the environment; without ``SECRET_KEY`` a secret
    is generated once and kept in the instance folder. Any other setting can be given with the
    ``FLASK_`` prefix (``FLASK_ANONYMITY_K=7``).
    """
    app = App(__name__, instance_relative_config=True,
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
    # A database error's message never carries the statement's values (answers, hashes) into a log.
    options.setdefault("hide_parameters", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    from . import accounts, definitions, errors, i18n, maintenance, models, request_log
    from .extensions import babel, csrf, db, limiter, migrate
    from .protection import body_limit, input_check, ratelimits, security

    # The request log's timer first: it must start before CSRF and rate limits can end a request.
    request_log.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    ratelimits.init_app(app)  # before the limiter: a Redis storage's timeouts; its log
    limiter.init_app(app)
    # After the CSRF check and the rate limits (a refused request still counts), before any view.
    input_check.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    definitions.init_app(app)
    models.init_app(app)
    maintenance.init_app(app)
    security.init_app(app)
    body_limit.init_app(app)
    accounts.init_app(app)
    errors.init_app(app)

    from .advisor import bp as advisor_bp
    from .api import bp as api_bp
    from .respondent import bp as respondent_bp

    app.register_blueprint(respondent_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(advisor_bp)
    csrf.exempt(api_bp)  # the JSON API has no cookies and no forms
    _register_health(app)
    return app


def _register_health(app: Flask) -> None:
    from sqlalchemy import text

    from .extensions import db

    @app.get("/healthz")
    def healthz():
        """200 when the database answers, 503 when it does not (for a load balancer's check)."""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # any database failure means: not healthy
            return {"status": "error", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}
