"""One call from a submission to everything a report needs: validate, score, advise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .advise import Advice, advise
from .definitions import Definitions
from .result import result_dict
from .score import ScoreResult, score, validate_submission


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The scores and advice of one response, plus the segments its profile put it in."""

    result: ScoreResult
    advice: Advice
    segments: frozenset[str]

    def to_dict(self, definitions: Definitions, lang: str) -> dict[str, Any]:
        """The API's result object in ``lang``."""
        return result_dict(definitions.model, definitions.questionnaires[self.result.slug], self.result,
                           self.advice, lang)


def evaluate(definitions: Definitions, slug: str, answers: Mapping[str, int | None],
             profile: Mapping[str, str], *, validate: bool = True) -> Evaluation:
    """Score and advise a response to questionnaire ``slug``.

    Raises ``KeyError`` for an unknown slug and :class:`~scoring.errors.InputError` (with every
    problem) for invalid answers or profile values when ``validate`` is true.
    """
    q = definitions.questionnaires[slug]
    if validate:
        validate_submission(q, answers, profile)
    model = definitions.model
    segments = q.segments_for(profile)
    result = score(q, answers, model.factor_ids, segments)
    return Evaluation(result, advise(model, definitions.catalog, q, result, segments, answers), segments)
