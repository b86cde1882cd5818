"""gunicorn settings for the fault tests: the project's gunicorn.conf.py plus, in each worker, the pause
before commit and the requests that fail on purpose (tests/load/fault_hooks.py)."""

import runpy
from pathlib import Path

_settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
globals().update({name: value for name, value in _settings.items() if not name.startswith("_")})
_project_post_fork = _settings["post_fork"]


def post_fork(server, worker):
    _project_post_fork(server, worker)
    from app.wsgi import app
    from tests.load.fault_hooks import install, install_failures

    install()
    install_failures(app)
