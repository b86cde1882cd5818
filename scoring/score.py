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

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from .definitions import Item, Questionnaire
from .errors import InputError, InputProblem


class DimensionScore(NamedTuple):
    """The score of one factor or knob (a named tuple: scoring makes many of these, fast)."""

    score: float | None
    band: str | None
    answered: int
    items: int


class ScoreResult(NamedTuple):
    """Scores of one response, with the questionnaire version they were computed with (immutable,
    and a named tuple rather than a frozen dataclass: one is made per request, and cheaper to make)."""

    slug: str
    version: str
    audience: str
    factors: Mapping[str, DimensionScore]
    knobs: Mapping[str, DimensionScore]


def keyed_value(item: Item, value: int, low: int, high: int) -> int:
    """The answer with reverse keying applied on the theoretical range ``low..high``."""
    return low + high - value if item.reverse else value


class _Plan(NamedTuple):
    """What scoring one dimension needs, worked out once per questionnaire."""

    forward: tuple[str, ...]  # item ids
    reverse: tuple[str, ...]  # ids of the reverse-keyed items
    needed: int  # answered items needed for a score
    total: int  # items


def _plan(q: Questionnaire, items: Sequence[Item]) -> _Plan:
    # The smallest whole number of answers that meets the threshold (ScoringRules.enough), and at least one.
    needed = next((n for n in range(1, len(items) + 1) if q.scoring.enough(n, len(items))), len(items) + 1)
    return _Plan(tuple(i.id for i in items if not i.reverse), tuple(i.id for i in items if i.reverse), needed,
                 len(items))


_Plans = tuple[tuple[str, _Plan], ...]


def _plans(q: Questionnaire, factor_ids: Iterable[str]) -> tuple[_Plans, _Plans]:
    """(per factor, per knob) scoring plans of ``q``, remembered on the (immutable) questionnaire."""
    factor_ids = factor_ids if isinstance(factor_ids, tuple) else tuple(factor_ids)
    key = ("score-plans", factor_ids)
    found = q.memo.get(key)
    if found is None:
        by_factor = q.items_by_factor
        found = q.memo[key] = (
            tuple((f, _plan(q, by_factor.get(f, ()))) for f in factor_ids),
            tuple((k, _plan(q, items)) for k, items in q.items_by_knob.items()),
        )
    return found


_new_score = tuple.__new__  # DimensionScore(...) without the named tuple's Python-level __new__


def _dimension(q: Questionnaire, plan: _Plan, answers: Mapping[str, int | None]) -> DimensionScore:
    get = answers.get
    try:
        # Every item answered, the usual case: the sums come straight from the answers.
        forward, reverse = sum(map(get, plan.forward)), sum(map(get, plan.reverse))
        answered = plan.total
    except TypeError:  # a None among them: "don't know", or not answered
        values = [v for v in map(get, plan.forward) if v is not None]
        mirrored = [v for v in map(get, plan.reverse) if v is not None]
        answered = len(values) + len(mirrored)
        forward, reverse = sum(values), sum(mirrored)
        reversed_count = len(mirrored)
    else:
        reversed_count = len(plan.reverse)
    if answered < plan.needed:
        return _new_score(DimensionScore, (None, None, answered, plan.total))
    scale = q.scale
    low, high = scale.min, scale.max
    # Mirrored: low + high - v for each reverse-keyed answer. The values are whole numbers, so the
    # sum is exact and does not depend on their order.
    mean = (forward + (low + high) * reversed_count - reverse) / answered
    score = (mean - low) / (high - low) * 100
    return _new_score(DimensionScore, (score, q.scoring.band(score), answered, plan.total))


def score(q: Questionnaire, answers: Mapping[str, int | None], factor_ids: Iterable[str]) -> ScoreResult:
    """Score ``answers`` (item id → value or ``None``) for every factor in ``factor_ids``.

    Knob scores are computed for the items that name a knob (every item of the employer scan).
    Answers are assumed valid; call :func:`check_answers` first on untrusted input.
    """
    factor_plans, knob_plans = _plans(q, factor_ids)
    factors = {f: _dimension(q, plan, answers) for f, plan in factor_plans}
    knobs = {k: _dimension(q, plan, answers) for k, plan in knob_plans}
    return ScoreResult(q.slug, q.version, q.audience, factors, knobs)


_WHOLE_OR_NONE = frozenset({int, type(None)})


def check_answers(q: Questionnaire, answers: object) -> list[InputProblem]:
    """Every problem with submitted answers: unknown item ids, non-integers, values off the scale."""
    if not isinstance(answers, Mapping):
        return [InputProblem("answers", "not_an_object", "answers must be an object of item id to value")]
    items = q.item_map
    values = answers.values()
    # The usual case, in three set operations instead of a Python step per answer: every id is an
    # item's, every value a plain int (a bool is not one, though True == 1) or None, each on the scale.
    if items.keys() >= answers.keys() and _WHOLE_OR_NONE.issuperset(map(type, values)) \
            and q.answer_values.issuperset(values):
        return []
    problems = []
    low, high = q.scale.min, q.scale.max
    for item_id, value in answers.items():
        if item_id not in items:
            problems.append(InputProblem(f"answers.{item_id}", "unknown_item", f"unknown item id '{item_id}'"))
        elif value is None:
            continue
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append(InputProblem(f"answers.{item_id}", "not_an_integer",
                                         f"must be a whole number {low}..{high} or null"))
        elif not low <= value <= high:
            problems.append(InputProblem(f"answers.{item_id}", "out_of_range",
                                         f"must be between {low} and {high}, not {value}"))
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
