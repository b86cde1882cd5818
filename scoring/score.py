"""Score a response: factor (and knob) scores on 0-100 with their bands.

The rules (DESIGN.md, "Scoring rules"):

* reverse-keyed items are mirrored on the scale's theoretical range: ``x' = min + max - x``;
* a dimension's score is the mean of its answered items mapped to 0-100:
  ``(mean - min) / (max - min) * 100``; no rounding here, only on display;
* "don't know" (``None``) and unanswered items count as missing; a dimension is scored only when
  at least ``min_answered`` of its items are answered, else its score and band are ``None``;
* an item that does not apply to the respondent (``not_for`` one of their segments: a question about
  a manager for the self-employed) is left out: of the score and of the count that threshold uses;
* so is an item answered "does not apply" (:data:`~scoring.definitions.NOT_APPLICABLE`, offered by
  ``not_applicable_for``): it is no scale point and no missing answer either, as it does not apply;
* bands come from the fixed cut-offs in the questionnaire's data;
* the result does not depend on the order of the answers or of the items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .definitions import NOT_APPLICABLE, Item, Questionnaire
from .errors import InputError, InputProblem


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """The score of one factor or knob: ``None`` score and band when too few items are answered."""

    score: float | None
    band: str | None
    answered: int
    items: int


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """Scores of one response, with the questionnaire version they were computed with."""

    slug: str
    version: str
    audience: str
    factors: Mapping[str, DimensionScore]
    knobs: Mapping[str, DimensionScore]


def keyed_value(item: Item, value: int, low: int, high: int) -> int:
    """The answer ``value`` to ``item`` with reverse keying applied on the scale's theoretical range
    ``low..high``: a reverse-keyed item's answer is mirrored to ``low + high - value``."""
    return low + high - value if item.reverse else value


def scale_answer(answers: Mapping[str, int | None], item: Item) -> int | None:
    """The answer to ``item`` as a scale point: ``None`` for "don't know", "does not apply" and no answer."""
    value = answers.get(item.id)
    return None if value is None or value == NOT_APPLICABLE else value


def _dimension(q: Questionnaire, items: Sequence[Item], answers: Mapping[str, int | None]) -> DimensionScore:
    low, high = q.scale.min, q.scale.max
    keyed = [keyed_value(item, value, low, high)
             for item in items if (value := scale_answer(answers, item)) is not None]
    answered = len(keyed)
    if not keyed or not q.scoring.enough(answered, len(items)):
        return DimensionScore(None, None, answered, len(items))
    # The answers are whole numbers, so their sum is exact and the mean does not depend on their order.
    mean = sum(keyed) / answered
    percent = (mean - low) / (high - low) * 100
    return DimensionScore(percent, q.scoring.band(percent), answered, len(items))


def score(q: Questionnaire, answers: Mapping[str, int | None], factor_ids: Iterable[str],
          segments: frozenset[str] = frozenset()) -> ScoreResult:
    """Score ``answers`` (item id → value or ``None``) for every factor in ``factor_ids``, counting only
    the items that apply to a respondent in ``segments``.

    Knob scores are computed for the items that name a knob (every item of the employer scan).
    Answers are assumed valid; call :func:`check_answers` first on untrusted input.
    """
    def applying(items: Iterable[Item]) -> tuple[Item, ...]:
        return tuple(item for item in items if item.applies_to(segments)
                     and not (answers.get(item.id) == NOT_APPLICABLE and item.may_not_apply(segments)))

    factors = {f: _dimension(q, applying(q.items_by_factor.get(f, ())), answers) for f in factor_ids}
    knobs = {k: _dimension(q, applying(items), answers) for k, items in q.items_by_knob.items()}
    return ScoreResult(q.slug, q.version, q.audience, factors, knobs)


def check_answers(q: Questionnaire, answers: object, segments: frozenset[str] | None = None) -> list[InputProblem]:
    """Every problem with submitted answers, in answer order: unknown item ids, values that are not
    whole numbers (a bool is not one) or ``None``, and values off the scale. "Does not apply"
    (:data:`~scoring.definitions.NOT_APPLICABLE`) is accepted on an item that offers it to a respondent
    in ``segments`` (with ``None``: to anyone)."""
    if not isinstance(answers, Mapping):
        return [InputProblem("answers", "not_an_object", "answers must be an object of item id to value")]
    problems = []
    low, high = q.scale.min, q.scale.max
    for item_id, value in answers.items():
        if item_id not in q.item_map:
            problems.append(InputProblem(f"answers.{item_id}", "unknown_item", f"unknown item id '{item_id}'"))
        elif value is None:
            continue
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append(InputProblem(f"answers.{item_id}", "not_an_integer",
                                         f"must be a whole number {low}..{high} or null"))
        elif value == NOT_APPLICABLE and _offers_not_applicable(q.item_map[item_id], segments):
            continue
        elif value == NOT_APPLICABLE and q.item_map[item_id].not_applicable_for:
            groups = ", ".join(q.item_map[item_id].not_applicable_for)
            problems.append(InputProblem(f"answers.{item_id}", "not_applicable_not_offered",
                                         f"{NOT_APPLICABLE} (does not apply) is only for respondents in: {groups}"))
        elif not low <= value <= high:
            problems.append(InputProblem(f"answers.{item_id}", "out_of_range",
                                         f"must be between {low} and {high}, not {value}"))
    return problems


def _offers_not_applicable(item: Item, segments: frozenset[str] | None) -> bool:
    return item.may_not_apply(segments) if segments is not None else bool(item.not_applicable_for)


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


def submitted_segments(q: Questionnaire, profile: object) -> frozenset[str]:
    """The segments of an unchecked ``profile``: of its valid text values only."""
    if not isinstance(profile, Mapping):
        return frozenset()
    return q.segments_for({key: value for key, value in profile.items() if isinstance(value, str)})


def validate_submission(q: Questionnaire, answers: object, profile: object) -> None:
    """Raise :class:`InputError` with every problem in ``answers`` and ``profile``, if any."""
    problems = check_answers(q, answers, submitted_segments(q, profile)) + check_profile(q, profile)
    if problems:
        raise InputError(problems)
