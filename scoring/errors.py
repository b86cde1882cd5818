"""Exception types of the scoring core: each one carries *every* problem found, not just the first."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a definition file: where it is and what is wrong."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"


class DefinitionError(Exception):
    """The definition files are invalid; ``problems`` lists all of them, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class InputProblem:
    """One problem in submitted answers or profile values.

    ``field`` is a dotted path (``answers.mot_1``, ``profile.sector``); ``code`` is stable and
    machine-readable (views translate it); ``message`` is a plain English explanation.
    """

    field: str
    code: str
    message: str


class InputError(Exception):
    """Submitted answers or profile values are invalid; ``problems`` lists all of them."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))
