"""What a worker does next ("Wat nu?"): who can help, and questions to take to a manager or coach.

Pure functions of the definitions, the respondent's segments, the raised signals and the factor scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .advise import factor_ranking
from .definitions import HelpGuide, HelpRoute, Model, Text
from .score import DimensionScore

#: "Vragen voor het gesprek": three to five questions.
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5


def help_routes(guide: HelpGuide, segments: frozenset[str], signals: Iterable[str] = ()) -> tuple[HelpRoute, ...]:
    """The routes written for a respondent in ``segments`` (a route for agency workers only for them).

    Routes written for one of the respondent's own groups come first, then those that answer a raised
    signal, then the file's order.
    """
    raised = set(signals)

    def order(route: HelpRoute) -> tuple[bool, bool]:
        return (route.for_segments is None, not raised.intersection(route.answers))

    return tuple(sorted((r for r in guide.routes if r.eligible(segments)), key=order))


def worker_questions(model: Model, factors: Mapping[str, DimensionScore], high: float,
                     segments: frozenset[str] = frozenset()) -> tuple[Text, ...]:
    """Three to five questions from the weakest factors, weakest first, taken in turn from each; for a
    worker in a segment with questions of its own (e.g. self-employed), those.

    The factors that are not high count, most needed first; when fewer than three questions come
    from them (or all factors are high), the next factors in the ranking add theirs.
    """
    ranking = factor_ranking(model, factors, high)
    weak = [f for f in ranking if (s := factors.get(f)) is None or s.band != "high"]
    pools = [list(model.factor_map[f].questions_for(segments)) for f in weak]
    picked = _in_turn(pools, MAX_QUESTIONS)
    if len(picked) < MIN_QUESTIONS:
        rest = [list(model.factor_map[f].questions_for(segments)) for f in ranking if f not in weak]
        picked += _in_turn(rest, MIN_QUESTIONS - len(picked))
    return tuple(picked)


def _in_turn(pools: list[list[Text]], most: int) -> list[Text]:
    """Up to ``most`` texts: the first of each pool, then the second of each, and so on."""
    found: list[Text] = []
    depth = max((len(p) for p in pools), default=0)
    for i in range(depth):
        for pool in pools:
            if i < len(pool) and len(found) < most:
                found.append(pool[i])
    return found
