"""Flask extensions, created here and bound to the app in the factory."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)

# The base class of the models. mypy cannot take the attribute ``db.Model`` as a base class
# (python/mypy#8603), so it sees what ``db.Model`` is at run time: Flask-SQLAlchemy's Model (``query``)
# over Base. (The name and bind mixins it adds too are left out: their ``__table__`` type clashes with
# SQLAlchemy's, and every model names its table.)
if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FlaskModel

    class Model(_FlaskModel, Base):
        __abstract__ = True
else:
    Model = db.Model

migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()  # configured in app.accounts
# Counters in memory by default (one process); ``FLASK_RATELIMIT_STORAGE_URI=redis://...`` shares
# them between workers and hosts, ``FLASK_RATELIMIT_ENABLED=false`` switches limits off. When the shared
# storage does not answer, the limits fail open but not off: each worker logs one warning and counts in
# its own memory until the storage answers again (in_memory_fallback_enabled), and any other storage
# error is logged instead of failing the request (swallow_errors). Given here, not in the config:
# Flask-Limiter keeps the first app's value of both for every later app. Limits: app/protection/ratelimits.py.
limiter = Limiter(key_func=get_remote_address, in_memory_fallback_enabled=True, swallow_errors=True)
