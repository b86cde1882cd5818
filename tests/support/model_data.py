"""Team data for any model: answers keyed per factor, so one team test serves every definition folder.

Worker ``r`` (0-4) gives every item of the model's ``j``-th factor the keyed value
``min(5, 1 + j + r % 2)``: the first factor 1, 2, 1, 2, 1 (scores 0, 25, 0, 25, 0: mean 10), the second
35, the third 60, the fourth 85, a fifth 100. Each factor so gets its own team mean, and a figure put
under the wrong factor shows. Items measuring no factor get 3. The employer answers by knob
(:data:`tests.support.team_data.EMPLOYER_BY_KNOB`); its factor scores are the mean of its items' values.
"""

from __future__ import annotations

import statistics

from scoring import Definitions

WORKER, EMPLOYER = "loopbaan-apk", "leercultuur"


def keyed_value(factor_index: int, worker: int) -> int:
    return min(5, 1 + factor_index + worker % 2)


def score_of(value: float) -> float:
    return (value - 1) / 4 * 100


def model_workers(defs: Definitions, n: int = 5) -> list[dict[str, int]]:
    """The keyed answers of ``n`` workers, per item of the worker check-up."""
    place = {f.id: j for j, f in enumerate(defs.model.factors)}
    q = defs.questionnaires[WORKER]
    return [{i.id: keyed_value(place[i.factor], r) if i.factor in place else 3 for i in q.items} for r in range(n)]


def worker_means(defs: Definitions, n: int = 5) -> dict[str, float]:
    """The team mean per factor of :func:`model_workers`, computed from the rule above."""
    return {f.id: statistics.mean(score_of(keyed_value(j, r)) for r in range(n))
            for j, f in enumerate(defs.model.factors)}


def employer_scores(defs: Definitions, by_knob: dict[str, int]) -> dict[str, float]:
    """The employer's score per factor when every item is answered (keyed) by its knob's value."""
    q = defs.questionnaires[EMPLOYER]
    return {f.id: statistics.mean(score_of(by_knob[i.knob]) for i in q.items if i.factor == f.id)
            for f in defs.model.factors}
