"""scoring/ is pure: no web, database, plotting or app imports (DESIGN.md, Architecture)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SCORING = Path(__file__).resolve().parents[2] / "scoring"
FORBIDDEN = ("flask", "werkzeug", "sqlalchemy", "matplotlib", "app")


def _forbidden(name: str | None) -> bool:
    return bool(name) and name.split(".")[0] in FORBIDDEN


def forbidden_imports(source: str, filename: str = "<source>") -> list[str]:
    """Every forbidden absolute import in ``source`` as ``line: module``, including dynamic ones."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: {a.name}" for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom):
            # level > 0 is relative (inside scoring), e.g. "from .app import x" is scoring.app
            if node.level == 0 and _forbidden(node.module):
                found.append(f"{node.lineno}: {node.module}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and node.args:
                arg = node.args[0]
                value = arg.value if isinstance(arg, ast.Constant) else None
                if isinstance(value, str) and _forbidden(value):
                    found.append(f"{node.lineno}: {value}")
    return found


SOURCES = sorted(SCORING.glob("*.py"))


def test_scoring_package_is_found():
    assert {p.name for p in SOURCES} >= {"__init__.py", "score.py", "advise.py", "loader.py"}


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_scoring_module_is_pure(path):
    assert forbidden_imports(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize(("source", "expected"), [
    ("import flask", ["1: flask"]),
    ("import os, sqlalchemy.orm as orm", ["1: sqlalchemy.orm"]),
    ("from werkzeug.exceptions import NotFound", ["1: werkzeug.exceptions"]),
    ("from matplotlib.figure import Figure", ["1: matplotlib.figure"]),
    ("import app.models", ["1: app.models"]),
    ("from app import db", ["1: app"]),
    ("def f():\n    import flask_babel\n", []),  # a different package
    ("def f():\n    from flask import g\n", ["2: flask"]),  # inside a function too
    ("import importlib\nimportlib.import_module('sqlalchemy')", ["2: sqlalchemy"]),
    ("__import__('app.views')", ["1: app.views"]),
    ("from . import app", []),  # relative: scoring.app, not the web app
    ("from .app import x", []),
    ("import application, apply, mathplotlib", []),  # names that merely start alike
    ("import yaml, math\nfrom dataclasses import dataclass", []),
])
def test_the_checker_itself(source, expected):
    assert forbidden_imports(source) == expected
