"""Helpers of the definition tests: the fixture folder, its problems as lines, edited copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoring import DefinitionError, load_definitions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def problem_lines(folder) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_definitions(folder)
    return [str(p) for p in info.value.problems]


def edited_copy(tmp_path, edits: list[tuple[str, str, str]]):
    """A copy of the fixture, named ``defs``, with each ``old`` (occurring once) made ``new``."""
    folder = tmp_path / "defs"
    shutil.copytree(FIXTURES / "defs", folder)
    for name, old, new in edits:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder
