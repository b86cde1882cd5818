"""Shared fixtures of the scoring tests: the small hand-checked definitions in tests/fixtures/defs.

``defs`` here overrides the app-level fixture of the same name in tests/conftest.py: scoring
tests need no app or database.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import Definitions, load_definitions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

#: A complete, valid profile for each fixture questionnaire (no segment matched).
PROFILES = {
    "mini": {"sector": "zorg", "contract": "vast", "age_band": "lt25"},
    "scan": {"sector": "zorg", "org_size": "large"},
}


@pytest.fixture(scope="session")
def defs() -> Definitions:
    """The fixture definitions; loading them must never raise."""
    return load_definitions(FIXTURES / "defs")


@pytest.fixture(scope="session")
def mini(defs):
    return defs.questionnaires["mini"]


@pytest.fixture(scope="session")
def scan(defs):
    return defs.questionnaires["scan"]


@pytest.fixture(scope="session")
def factor_ids(defs) -> list[str]:
    return [f.id for f in defs.model.factors]


@pytest.fixture(scope="session")
def profiles() -> dict[str, dict[str, str]]:
    """Valid profiles per fixture slug; copy before changing."""
    return PROFILES
