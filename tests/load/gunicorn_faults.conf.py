"""gunicorn settings for the kill test: the project's gunicorn.conf.py plus the pause hook in each worker."""

import runpy
from pathlib import Path

_settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
globals().update({name: value for name, value in _settings.items() if not name.startswith("_")})
_project_post_fork = _settings["post_fork"]


def post_fork(server, worker):
    _project_post_fork(server, worker)
    from tests.load.fault_hooks import install

    install()
