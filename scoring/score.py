"""Score a response: factor (and knob) scores on 0-100 with their bands.

The rules (DESIGN.md, "Scoring rules"):

* reverse-keyed items are mirrored on the scale's theoretical range: ``x' = min + max - x``;
* a dimension's score is the mean of its answered items mapped to 0-100:
  ``(mean - min) / (max - min) * 100``; no rounding here, only on display;
* "don't know" (``None``) and unanswered items count as missing; a dimension is scored only when
  at least ``min_answered`` of its items are answered, else its score and band are ``None``;
* bands come from the fixed cut-offs in the questionnaire's data;
* the result does not depend on the order of the answers or of the items.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .definitions import Item, Questionnaire
from .errors import InputError, InputProblem


@dataclass(frozen=True)
class DimensionScore:
    """The score of one factor or knob."""

    score: float | None
    band: str | None
    answered: int
    items: int


@dataclass(frozen=True)
class ScoreResult:
    """Scores of one response, with the questionnaire version they were computed with."""

    slug: str
    version: str
    audience: str
    factors: Mapping[str, DimensionScore]
    knobs: Mapping[str, DimensionScore]


def keyed_value(item: Item, value: int, low: int, high: int) -> int:
    """The answer with reverse keying applied on the theoretical range ``low..high``."""
    return low + high - value if item.reverse else value


def _dimension(q: Questionnaire, items: list[Item], answers: Mapping[str, int | None]) -> DimensionScore:
    low, high = q.scale.min, q.scale.max
    values = [keyed_value(i, v, low, high) for i in items if (v := answers.get(i.id)) is not None]
    if not values or not q.scoring.enough(len(values), len(items)):
        return DimensionScore(None, None, len(values), len(items))
    # fsum is exact, so the mean does not depend on the order the values come in.
    mean = math.fsum(values) / len(values)
    score = (mean - low) / (high - low) * 100
    return DimensionScore(score, q.scoring.band(score), len(values), len(items))


def _group(items: Iterable[Item], key: str) -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = {}
    for item in items:
        dim = getattr(item, key)
        if dim is not None:
            groups.setdefault(dim, []).append(item)
    return groups


def score(q: Questionnaire, answers: Mapping[str, int | None], factor_ids: Iterable[str]) -> ScoreResult:
    """Score ``answers`` (item id → value or ``None``) for every factor in ``factor_ids``.

    Knob scores are computed for the items that name a knob (every item of the employer scan).
    Answers are assumed valid; call :func:`check_answers` first on untrusted input.
    """
    by_factor = _group(q.items, "factor")
    factors = {f: _dimension(q, by_factor.get(f, []), answers) for f in factor_ids}
    knobs = {k: _dimension(q, items, answers) for k, items in _group(q.items, "knob").items()}
    return ScoreResult(q.slug, q.version, q.audience, factors, knobs)


def check_answers(q: Questionnaire, answers: object) -> list[InputProblem]:
    """Every problem with submitted answers: unknown item ids, non-integers, values off the scale."""
    if not isinstance(answers, Mapping):
        return [InputProblem("answers", "not_an_object", "answers must be an object of item id to value")]
    problems = []
    low, high = q.scale.min, q.scale.max
    for item_id, value in answers.items():
        field = f"answers.{item_id}"
        if item_id not in q.item_map:
            problems.append(InputProblem(field, "unknown_item", f"unknown item id '{item_id}'"))
        elif value is None:
            continue
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append(InputProblem(field, "not_an_integer", f"must be a whole number {low}..{high} or null"))
        elif not low <= value <= high:
            problems.append(InputProblem(field, "out_of_range", f"must be between {low} and {high}, not {value}"))
    return problems


def check_profile(q: Questionnaire, profile: object, *, require: bool = True) -> list[InputProblem]:
    """Every problem with profile values: unknown questions, unknown options, missing required ones."""
    if not isinstance(profile, Mapping):
        return [InputProblem("profile", "not_an_object", "profile must be an object of question id to value")]
    problems = []
    for key, value in profile.items():
        question = q.profile_map.get(key)
        if question is None:
            problems.append(InputProblem(f"profile.{key}", "unknown_question", f"unknown profile question '{key}'"))
        elif value is not None and (not isinstance(value, str) or value not in question.option_map):
            allowed = ", ".join(question.option_map)
            problems.append(InputProblem(f"profile.{key}", "unknown_option", f"must be one of: {allowed}"))
    if require:
        for question in q.profile:
            if question.required and profile.get(question.id) is None:
                problems.append(InputProblem(f"profile.{question.id}", "required", "is required"))
    return problems


def validate_submission(q: Questionnaire, answers: object, profile: object) -> None:
    """Raise :class:`InputError` with every problem in ``answers`` and ``profile``, if any."""
    problems = check_answers(q, answers) + check_profile(q, profile)
    if problems:
        raise InputError(problems)
