"""The team report of a campaign: the workers' factor profile, reliability, advice and departments.

Plain functions, no view code. Every figure obeys DESIGN.md "Groups and anonymity":

* below ``k`` completed worker responses there is nothing at all: no n, no means, no alpha, no advice;
* a factor's figures need ``k`` respondents with a score on that factor (``scoring.aggregate``);
* departments are shown only at or above ``k``, with complementary suppression, per factor too.

Scores are computed again from the stored answers with the current definitions, so that a team
profile, its reliability and an export all rest on the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask_babel import format_decimal
from flask_babel import gettext as _

from scoring import (
    Definitions,
    GroupProfile,
    Questionnaire,
    ScoreResult,
    advise,
    cronbach_alpha,
    group_profile,
    keyed_value,
    result_dict,
)
from scoring.aggregate import GroupFigure, check_k, suppress_groups
from scoring.score import DimensionScore, score

from ..campaigns.invites import NO_DEPARTMENT

ALPHA_MIN = 0.6  # below this a factor's items hang together too little to read its score on its own


class Answered(Protocol):
    """What the team report reads of a stored response (``app.models.Response`` fits)."""

    slug: str
    answers: Mapping[str, Any]
    profile: Mapping[str, Any]
    department_id: int | None


@dataclass(frozen=True)
class Figure:
    """The team figures of one factor (or knob): n, mean, SD, bands, and alpha with its note."""

    id: str
    label: str
    n: int | None
    mean: float | None
    sd: float | None
    bands: Mapping[str, int] | None
    alpha: float | None = None
    alpha_note: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.n is None


@dataclass(frozen=True)
class DepartmentFigures:
    """One department: ``n`` and the mean per factor, each ``None`` where it must stay hidden."""

    name: str
    n: int | None
    means: Mapping[str, float | None]


@dataclass(frozen=True)
class TeamProfile:
    """The workers' figures; ``enough`` is false below ``k``, and then every list is empty."""

    k: int
    enough: bool
    factors: tuple[Figure, ...] = ()
    knobs: tuple[Figure, ...] = ()
    group: GroupProfile | None = None
    advice: tuple[dict[str, Any], ...] = ()
    strengths: tuple[dict[str, str], ...] = ()
    departments: tuple[DepartmentFigures, ...] = ()


def questionnaire_of(defs: Definitions, audience: str) -> Questionnaire | None:
    """The (first) questionnaire for ``audience`` (``worker`` or ``employer``) in the definitions."""
    return next((q for q in defs.questionnaires.values() if q.audience == audience), None)


def by_audience(defs: Definitions, responses: Iterable[Answered], audience: str) -> list[Answered]:
    """The responses to a questionnaire of ``audience``; unknown questionnaires are left out."""
    return [r for r in responses if (q := defs.questionnaires.get(r.slug)) is not None and q.audience == audience]


def score_response(defs: Definitions, response: Answered) -> ScoreResult:
    """The scores of a stored response, computed from its answers with the current definitions."""
    q = defs.questionnaires[response.slug]
    return score(q, response.answers or {}, defs.model.factor_ids)


def keyed_matrix(q: Questionnaire, responses: Sequence[Answered], factor: str) -> list[list[int | None]]:
    """Respondents × items of ``factor``, reverse-keyed items mirrored, missing answers ``None``."""
    items = q.items_by_factor.get(factor, ())
    low, high = q.scale.min, q.scale.max
    return [[None if (v := answers.get(item.id)) is None else keyed_value(item, v, low, high) for item in items]
            for answers in (r.answers or {} for r in responses)]


def alpha_note(label: str, alpha: float | None) -> str | None:
    """A plain note when alpha is undefined or below :data:`ALPHA_MIN`; ``None`` when it is fine."""
    if alpha is None:
        return _("Bij %(factor)s is niet te berekenen hoe goed de vragen samenhangen (bijvoorbeeld omdat "
                 "iedereen hetzelfde antwoordde). Lees deze score met voorzichtigheid.", factor=label)
    if alpha < ALPHA_MIN:
        return _("De vragen over %(factor)s hangen in deze groep weinig samen (alfa %(alpha)s, lager dan "
                 "0,6). De score zegt daardoor minder. Bespreek de losse vragen in het gesprek.",
                 factor=label, alpha=format_decimal(alpha, format="0.00"))
    return None


def _figure(fid: str, label: str, fig: GroupFigure, alpha: float | None = None, note: str | None = None) -> Figure:
    return Figure(fid, label, fig.n, fig.mean, fig.sd, fig.bands, alpha, note)


def team_profile(defs: Definitions, responses: Sequence[Answered], k: int, lang: str,
                 departments: Mapping[int, str] | None = None,
                 segments: frozenset[str] = frozenset()) -> TeamProfile:
    """The team report of the worker responses among ``responses`` (all completed, one campaign).

    Below ``k`` worker responses the profile holds nothing but ``enough=False``.
    """
    check_k(k)
    q = questionnaire_of(defs, "worker")
    workers = [r for r in by_audience(defs, responses, "worker") if q is not None and r.slug == q.slug]
    if q is None or len(workers) < k:
        return TeamProfile(k, False)
    results = [score_response(defs, r) for r in workers]
    group = group_profile(results, k)
    model = defs.model
    factors = []
    for f in model.factors:
        fig = group.factors[f.id]
        label = f.label(lang)
        alpha = note = None
        if not fig.suppressed:
            alpha = cronbach_alpha(keyed_matrix(q, workers, f.id)).alpha
            note = alpha_note(label, alpha)
        factors.append(_figure(f.id, label, fig, alpha, note))
    knobs = tuple(_figure(kn.id, kn.label(lang), group.knobs[kn.id]) for kn in model.knobs if kn.id in group.knobs)
    advice, strengths = team_advice(defs, q, group, lang, segments)
    return TeamProfile(k, True, tuple(factors), knobs, group, advice, strengths,
                       department_rows(defs, workers, results, departments or {}, k))


def group_result(q: Questionnaire, group: GroupProfile, audience: str = "employer") -> ScoreResult:
    """The group's means as one score result (factors only), banded with ``q``'s cut-offs."""
    factors = {}
    for fid, fig in group.factors.items():
        band = q.scoring.band(fig.mean) if fig.mean is not None else None
        factors[fid] = DimensionScore(fig.mean, band, fig.n or 0, len(q.items_by_factor.get(fid, ())))
    return ScoreResult(q.slug, q.version, audience, factors, {})


def team_advice(defs: Definitions, q: Questionnaire, group: GroupProfile, lang: str,
                segments: frozenset[str] = frozenset()) -> tuple[tuple[dict[str, Any], ...], tuple[dict, ...]]:
    """Advice for the organisation per knob (employer audience) from the team's factor means.

    The means go into :func:`scoring.advise` as if they were one organisation's scores, so the
    same rules pick 1-3 steps per knob, weakest factor first; ``segments`` are the organisation's
    (from the employer scan's profile), if known. Returns the knobs with their recommendations,
    and the factors the team scores high on as strengths.
    """
    model = defs.model
    result = group_result(q, group)
    rendered = result_dict(model, q, result, advise(model, defs.catalog, q, result, segments), lang)
    knobs = tuple({"id": kn.id, "label": kn.label(lang), "description": kn.description(lang),
                   "recs": rendered["advice"].get(kn.id, [])} for kn in model.knobs)
    strengths = tuple({"label": model.factor_map[f].label(lang), "text": model.factor_map[f].employer_strength(lang)}
                      for f in rendered["strengths"])
    return knobs, strengths


def department_rows(defs: Definitions, workers: Sequence[Answered], results: Sequence[ScoreResult],
                    departments: Mapping[int, str], k: int) -> tuple[DepartmentFigures, ...]:
    """Per department n and factor means, with complementary suppression.

    Responses without a department form a group of their own for the suppression (their figures
    could otherwise be derived too) but get no row. A department is hidden as a whole when
    :func:`scoring.aggregate.suppress_groups` hides it by respondents; a factor mean of a shown
    department is hidden when the same rule hides it among the respondents scored on that factor.
    """
    if not departments:
        return ()
    groups = _groups(workers, departments)
    hidden = hidden_groups(groups, k)
    rows = []
    for name in sorted(departments.values()):
        if name in hidden or name not in groups:
            rows.append(DepartmentFigures(name, None, {f.id: None for f in defs.model.factors}))
            continue
        mine = [res for res, g in zip(results, groups, strict=True) if g == name]
        means: dict[str, float | None] = {}
        for f in defs.model.factors:
            scored = [g for res, g in zip(results, groups, strict=True) if res.factors[f.id].score is not None]
            hidden_here = hidden_groups(scored, k)
            values = [score for res in mine if (score := res.factors[f.id].score) is not None]
            means[f.id] = None if name in hidden_here or not values else sum(values) / len(values)
        rows.append(DepartmentFigures(name, len(mine), means))
    return tuple(rows)


def _groups(workers: Sequence[Answered], departments: Mapping[int, str]) -> list[str]:
    """Each response's department name, :data:`NO_DEPARTMENT` when it has none."""
    return [departments.get(r.department_id, NO_DEPARTMENT) if r.department_id is not None else NO_DEPARTMENT
            for r in workers]


def hidden_groups(groups: Sequence[str], k: int) -> frozenset[str]:
    """The groups to hide, given each respondent's group (a department without respondents reveals nothing)."""
    counts: dict[str, int] = {}
    for g in groups:
        counts[g] = counts.get(g, 0) + 1
    return suppress_groups(counts, k)


def department_names(workers: Sequence[Answered], departments: Mapping[int, str], k: int) -> dict[int, str]:
    """The departments that may be named next to a response (export): those that are not hidden."""
    groups = _groups(workers, departments)
    hidden = hidden_groups(groups, k)
    return {dep_id: name for dep_id, name in departments.items() if name in groups and name not in hidden}
