"""Fixtures of the app tests beyond tests/conftest.py: the advisor workspace's world."""

from __future__ import annotations

import pytest

from tests.support.advisor_world import World, build_world


@pytest.fixture
def world(app, defs) -> World:
    """Accounts, two client organisations with campaigns and responses (tests.support.advisor_world)."""
    return build_world(app, defs)
