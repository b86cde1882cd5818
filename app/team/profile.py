"""The team report of a campaign: the workers' factor profile, reliability, advice and departments.

Plain functions, no view code. Every figure obeys DESIGN.md "Groups and anonymity":

* below ``k`` completed worker responses there is nothing at all: no n, no means, no alpha, no advice;
* a factor's figures need ``k`` respondents with a score on that factor (``scoring.aggregate``);
* departments are shown only at or above ``k``, with complementary suppression, per factor too,
  decided by the one rule that the dashboard and the export use as well
  (:func:`scoring.aggregate.hidden_departments`, keyed by department id, ties by the lowest id).

Scores are the ones each response was given at submission, with its own questionnaire version
(``app.models.ResponseScore`` rows, loaded by :func:`app.team.report.completed_responses`): a later
change of the definitions never changes them. Reliability (alpha) is computed from item answers, so
only over the responses to the current version of the questionnaire (the items of another version
may differ); the note says so when responses to an earlier version were left out.
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
    keyed_value,
    result_dict,
)
from scoring.aggregate import SUPPRESSED, GroupFigure, check_k, hidden_departments
from scoring.score import DimensionScore, scale_answer

from .releases import Figures, factor_dim, knob_dim, snapshot

ALPHA_MIN = 0.6  # below this a factor's items hang together too little to read its score on its own


class Answered(Protocol):
    """What the team report reads of a stored completed response (``app.team.report.StoredResponse``)."""

    @property
    def slug(self) -> str: ...
    @property
    def version(self) -> str: ...  # the questionnaire version it was answered and scored with
    @property
    def answers(self) -> Mapping[str, Any]: ...
    @property
    def profile(self) -> Mapping[str, Any]: ...
    @property
    def department_id(self) -> int | None: ...
    @property
    def scores(self) -> ScoreResult: ...  # as stored at submission


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
    # Alpha is computed over the responses to the current questionnaire version only: this says so
    # when responses to an earlier version were left out of it (``None`` when there were none).
    alpha_version_note: str | None = None


def questionnaire_of(defs: Definitions, audience: str) -> Questionnaire | None:
    """The (first) questionnaire for ``audience`` (``worker`` or ``employer``) in the definitions."""
    return next((q for q in defs.questionnaires.values() if q.audience == audience), None)


def factor_score(result: ScoreResult, factor: str) -> float | None:
    """``result``'s score on ``factor``; ``None`` when it has none (not scored, or no row for it)."""
    found = result.factors.get(factor)
    return None if found is None else found.score


def keyed_matrix(q: Questionnaire, responses: Sequence[Answered], factor: str) -> list[list[int | None]]:
    """Respondents × items of ``factor``, reverse-keyed items mirrored, missing answers (and "does not
    apply") ``None``."""
    items = q.items_by_factor.get(factor, ())
    low, high = q.scale.min, q.scale.max
    return [[None if (v := scale_answer(answers, item)) is None else keyed_value(item, v, low, high) for item in items]
            for answers in (r.answers or {} for r in responses)]


def alpha_version_note(alpha_computed: bool, k: int) -> str:
    """Why responses to an earlier questionnaire version do not count for alpha (their scores do count)."""
    if alpha_computed:
        return _("De samenhang (alfa) is alleen berekend over de antwoorden op de huidige versie van de "
                 "vragenlijst: de vragen van een eerdere versie kunnen anders zijn. De scores van alle "
                 "antwoorden tellen wel mee, zoals ze bij het invullen zijn berekend.")
    return _("De samenhang (alfa) is niet berekend: minder dan %(k)s mensen vulden de huidige versie van de "
             "vragenlijst in, en de vragen van een eerdere versie kunnen anders zijn. De scores van alle "
             "antwoorden tellen wel mee, zoals ze bij het invullen zijn berekend.", k=k)


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
    """The team report of the worker responses among ``responses`` (all completed, one campaign),
    all of them at once (as at a campaign's closing release): :func:`profile_of` their figures."""
    return profile_of(defs, snapshot(defs, responses, departments or {}, k), k, lang, departments, segments)


def profile_of(defs: Definitions, figures: Figures, k: int, lang: str,
               departments: Mapping[int, str] | None = None,
               segments: frozenset[str] = frozenset()) -> TeamProfile:
    """The team report of a release's ``figures`` (sums per pool, :mod:`app.team.releases`).

    Below ``k`` worker responses the profile holds nothing but ``enough=False``. The figures rest on
    the stored scores of every response, of any version; alpha only on the responses to the current
    version, and only when at least ``k`` of them are there.
    """
    check_k(k)
    q = questionnaire_of(defs, "worker")
    if q is None or figures.count(q.slug) < k:
        return TeamProfile(k, False)
    n = figures.count(q.slug)
    model = defs.model
    whole = {f.id: held(figures.whole(q.slug, factor_dim(f.id)), k) for f in model.factors}
    knob_figures = {kn.id: held(fig, k) for kn in model.knobs
                    if (fig := figures.whole(q.slug, knob_dim(kn.id))).n is not None}
    group = GroupProfile(n, whole, knob_figures)
    basis = figures.alpha_basis if figures.alpha_version == q.version else 0  # the definitions may have moved on
    alpha_computed = basis >= k
    factors = []
    for f in model.factors:
        fig = whole[f.id]
        label = f.label(lang)
        alpha = note = None
        if not fig.suppressed and alpha_computed and f.id in figures.alpha:
            alpha = figures.alpha[f.id]
            note = alpha_note(label, alpha)
        factors.append(_figure(f.id, label, fig, alpha, note))
    knobs = tuple(_figure(kn.id, kn.label(lang), group.knobs[kn.id]) for kn in model.knobs if kn.id in group.knobs)
    advice, strengths = team_advice(defs, q, group, lang, segments)
    version_note = alpha_version_note(alpha_computed, k) if basis < n else None
    return TeamProfile(k, True, tuple(factors), knobs, group, advice, strengths,
                       department_rows(defs, q.slug, figures, departments or {}, k), version_note)


def held(fig: GroupFigure, k: int) -> GroupFigure:
    """``fig`` when at least ``k`` count for it, else the suppressed figure."""
    return fig if fig.n is not None and fig.n >= k else SUPPRESSED


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


def department_rows(defs: Definitions, slug: str, figures: Figures, departments: Mapping[int, str],
                    k: int) -> tuple[DepartmentFigures, ...]:
    """Per department n and factor means, with complementary suppression.

    Responses without a department (and, while the campaign is open, the rest pool of
    :mod:`scoring.releases`) form a group of their own for the suppression (their figures could
    otherwise be derived too) but get no row. A department is hidden as a whole when the one rule
    (:func:`scoring.aggregate.hidden_departments`, keyed by id, the dashboard's and the export's too)
    hides it by respondents; a factor mean of a shown department is hidden when the same rule hides
    it among the respondents scored on that factor.
    """
    if not departments:
        return ()
    counts = figures.department_counts(slug)
    hidden = hidden_departments(counts, k)
    hidden_per_factor = {f.id: hidden_departments(figures.department_counts(slug, factor_dim(f.id)), k)
                         for f in defs.model.factors}
    rows = []
    for dep_id, name in sorted(departments.items(), key=lambda item: (item[1], item[0])):
        n = counts.get(dep_id, 0)
        if dep_id in hidden or not n:
            rows.append(DepartmentFigures(name, None, {f.id: None for f in defs.model.factors}))
            continue
        means: dict[str, float | None] = {}
        for f in defs.model.factors:
            fig = figures.group(slug, dep_id, factor_dim(f.id))
            means[f.id] = None if dep_id in hidden_per_factor[f.id] or fig.mean is None else fig.mean
        rows.append(DepartmentFigures(name, n, means))
    return tuple(rows)


def department_of(response: Answered, departments: Mapping[int, str]) -> int | None:
    """The response's department id as the suppression counts it: ``None`` for no department (or one
    that is not the campaign's)."""
    return response.department_id if response.department_id in departments else None


def department_counts(responses: Iterable[Answered], departments: Mapping[int, str],
                      factor: str | None = None) -> dict[int | None, int]:
    """How many of ``responses`` (only those scored on ``factor``, when given) count in each department."""
    counts: dict[int | None, int] = {}
    for r in responses:
        if factor is None or factor_score(r.scores, factor) is not None:
            key = department_of(r, departments)
            counts[key] = counts.get(key, 0) + 1
    return counts


def hidden_groups(responses: Iterable[Answered], departments: Mapping[int, str], k: int,
                  factor: str | None = None) -> frozenset[int | None]:
    """The departments (ids; ``None``: no department) to hide among ``responses`` (the export's rows):
    by respondents, or among the respondents scored on ``factor``. A department without respondents
    is not in it (it reveals nothing; no page shows figures for it)."""
    return hidden_departments(department_counts(responses, departments, factor), k)
