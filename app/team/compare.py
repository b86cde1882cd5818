"""Employer versus workers, and baseline versus follow-up, for the team report of a campaign.

What is compared (the decision, also in docs/team-report.md):

* **Factors**: both questionnaires score the model's factors on the same 0-100 transform with the same
  cut-offs. The employer scan's factor score says how much the organisation thinks it does for that
  factor; the workers' mean says how they stand on it. The gap is "what the employer thinks it
  does" against "what workers experience".
* **Knobs**: the employer scan scores every knob. Of the check-up, only the items that name a knob
  in ``loopbaan-apk.yaml`` (what workers hear, get and are supported in at work, e.g. ``mid_1``
  "Ik krijg van mijn werk tijd om te leren" on *room*) make a workers' knob score; the personal
  items (motivation, self-knowledge) do not count for a knob. Those are the comparable pairs.
* The employer's view (:func:`employer_view`), by how many employer scans were completed within the
  campaign (``n``): one scan is shown as *de werkgever* (the employer, who was told up front that
  the scan is not anonymous); from 2 to ``k`` − 1 nothing at all is shown, because with two, one
  person's answers can be backed out from the mean and the other's (2 × mean − first = second), and
  with a few more the same goes for anyone who knows the others; from ``k`` on, their mean as a group.
  The workers' side follows the anonymity rules (``k``).
* Both sides are the scores each response was given at submission, with its own questionnaire
  version (stored rows, never scored again with the current definitions).
* Conversation starters: for the (up to) three largest gaps of at least :data:`MIN_GAP` points, the
  questions that ``model.yaml`` gives for that factor or knob.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from scoring import Definitions, ScoreResult, gaps
from scoring.score import DimensionScore

from .profile import Answered, TeamProfile, questionnaire_of
from .releases import Figures, factor_dim, knob_dim, snapshot

LARGEST = 3  # at most this many gaps get conversation questions
MIN_GAP = 10.0  # points on 0-100: a smaller difference is not worth a conversation of its own


@dataclass(frozen=True)
class GapRow:
    """One factor or knob scored by both sides: the employer's view and the workers' mean (0-100)."""

    id: str
    kind: str  # "factor" | "knob"
    label: str
    employer: float
    workers: float

    @property
    def difference(self) -> float:
        return self.employer - self.workers


@dataclass(frozen=True)
class Conversation:
    """A large gap in words, with the questions that open the conversation about it."""

    row: GapRow
    sentence: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class EmployerComparison:
    respondents: int  # employer scans averaged into the employer's view: 1 (the employer) or k and more
    factors: tuple[GapRow, ...]
    knobs: tuple[GapRow, ...]
    conversations: tuple[Conversation, ...]
    withheld = False

    @property
    def as_group(self) -> bool:
        """More than one scan (then at least ``k``): their mean is shown, as a group's."""
        return self.respondents > 1


@dataclass(frozen=True)
class EmployerWithheld:
    """From 2 to ``k`` − 1 employer scans: nothing of them is shown, no figure to compute from."""

    withheld = True


def employer_view(defs: Definitions, responses: Sequence[Answered],
                  k: int) -> tuple[ScoreResult, int] | None:
    """The employer's view of ``responses`` all at once: :func:`view_of` their figures."""
    return view_of(defs, snapshot(defs, responses, {}, k), k)


def view_of(defs: Definitions, figures: Figures, k: int) -> tuple[ScoreResult, int] | None:
    """The employer's view per factor and knob (from the stored scores), and how many scans it is
    made of: the one scan itself, or the mean of ``k`` or more. ``None`` without a scan, and from 2
    to ``k`` − 1 scans (with two, the mean and one scan give the other: 2 × mean − first = second)."""
    q = questionnaire_of(defs, "employer")
    scans = figures.count(q.slug) if q is not None else 0
    if q is None or not scans or 1 < scans < k:
        return None
    need = 1 if scans == 1 else k  # while the campaign is open, later scans may not be in the figures yet

    def view(dims: list[tuple[str, str]]) -> dict[str, DimensionScore]:
        out = {}
        for dim, key in dims:
            fig = figures.whole(q.slug, key)
            if fig.n is not None and fig.mean is not None and (fig.n == 1 if need == 1 else fig.n >= k):
                out[dim] = DimensionScore(fig.mean, q.scoring.band(fig.mean), fig.n, scans)
        return out

    model = defs.model
    factors = view([(f.id, factor_dim(f.id)) for f in model.factors])
    knobs = view([(kn.id, knob_dim(kn.id)) for kn in model.knobs])
    if not factors and not knobs:
        return None
    return ScoreResult(q.slug, q.version, q.audience, factors, knobs), scans


def gap_sentence(row: GapRow) -> str:
    """The gap in one plain sentence, with both numbers."""
    numbers = {"label": row.label, "employer": round(row.employer), "workers": round(row.workers)}
    if row.difference > 0:
        return _("%(label)s: de werkgever schat dit hoger in (%(employer)s) dan de werkenden het ervaren "
                 "(%(workers)s).", **numbers)
    return _("%(label)s: de werkenden ervaren dit beter (%(workers)s) dan de werkgever denkt "
             "(%(employer)s).", **numbers)


def compare_employer(defs: Definitions, responses: Sequence[Answered], team: TeamProfile,
                     lang: str) -> EmployerComparison | EmployerWithheld | None:
    """Employer versus workers in ``responses`` all at once: :func:`compare_of` their figures."""
    return compare_of(defs, snapshot(defs, responses, {}, team.k), team, lang)


def compare_of(defs: Definitions, figures: Figures, team: TeamProfile,
               lang: str) -> EmployerComparison | EmployerWithheld | None:
    """Employer versus workers; :class:`EmployerWithheld` from 2 to ``k`` − 1 employer scans (or while
    the later ones wait for the next release); ``None`` without an employer scan or below ``k`` workers."""
    if not team.enough or team.group is None:
        return None
    q = questionnaire_of(defs, "employer")
    scans = figures.count(q.slug) if q is not None else 0
    if not scans:
        return None
    view = view_of(defs, figures, team.k)
    if view is None:
        return EmployerWithheld()
    employer, count = view
    model = defs.model
    labels = {("factor", f.id): f.label(lang) for f in model.factors} | {
        ("knob", kn.id): kn.label(lang) for kn in model.knobs}
    found = [GapRow(g.dimension, g.kind, labels[(g.kind, g.dimension)], g.employer, g.workers)
             for g in gaps(employer, team.group) if (g.kind, g.dimension) in labels]
    order = {key: i for i, key in enumerate(labels)}
    in_order = sorted(found, key=lambda r: order[(r.kind, r.id)])
    talks = []
    for row in found[:LARGEST]:  # gaps() returns the largest first
        if abs(row.difference) < MIN_GAP:
            break
        dim = model.factor_map[row.id] if row.kind == "factor" else model.knob_map[row.id]
        talks.append(Conversation(row, gap_sentence(row), tuple(t(lang) for t in dim.conversation)))
    return EmployerComparison(count, tuple(r for r in in_order if r.kind == "factor"),
                              tuple(r for r in in_order if r.kind == "knob"), tuple(talks))


@dataclass(frozen=True)
class TimeRow:
    """One factor in both campaigns: the baseline and the follow-up mean (0-100)."""

    id: str
    label: str
    before: float
    after: float

    @property
    def difference(self) -> float:
        return self.after - self.before


def over_time(baseline: TeamProfile, followup: TeamProfile) -> tuple[TimeRow, ...]:
    """Baseline versus follow-up per factor, only where both campaigns have a figure (both at or above k)."""
    if not (baseline.enough and followup.enough):
        return ()
    before = {f.id: f.mean for f in baseline.factors}
    return tuple(TimeRow(f.id, f.label, then, f.mean) for f in followup.factors
                 if f.mean is not None and (then := before.get(f.id)) is not None)
