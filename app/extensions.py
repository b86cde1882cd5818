"""Flask extensions, created here and bound to the app in the factory."""

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
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()  # configured in app.accounts
# Counters in memory by default (one process); ``FLASK_RATELIMIT_STORAGE_URI=redis://...`` shares
# them between workers and hosts, ``FLASK_RATELIMIT_ENABLED=false`` switches limits off.
limiter = Limiter(key_func=get_remote_address)
