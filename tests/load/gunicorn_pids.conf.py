"""gunicorn settings for the rate-limit tests: the project's gunicorn.conf.py plus an access log of each
request's worker (its process id), method and status, to ``ACCESS_LOG``: no path, no address. So a test
sees which worker answered what."""

import os
import runpy
from pathlib import Path

_settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
globals().update({name: value for name, value in _settings.items() if not name.startswith("_")})

accesslog = os.environ["ACCESS_LOG"]
access_log_format = "%(p)s %(m)s %(s)s"
