"""The app as ``make run`` serves it, with the requests that fail on purpose (tests/load/fault_hooks.py):
``flask --app tests.load.fault_app run``."""

from app import create_app
from tests.load.fault_hooks import install_failures

app = create_app()
install_failures(app)
