"""Frozen value objects for the model, the questionnaires and the intervention catalog.

They are built by :mod:`scoring.loader` from the YAML files in ``questionnaires/`` and never
changed afterwards. Every user-facing text is a :class:`Text` with a Dutch and an English form.
Lookups derived from the definitions (``item_map``, ``items_by_factor``, ...) are fields that
``__post_init__`` fills when an object is made, so ``dataclasses.replace`` rebuilds them too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

LANGUAGES = ("nl", "en")
BANDS = ("low", "medium", "high")
AUDIENCES = ("worker", "employer")
EFFORTS = ("small_step", "longer_route")


def _set(obj: object, name: str, value: object) -> None:
    # The classes are frozen; a derived field is set once, as the generated __init__ sets the others.
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Text:
    """A text in both supported languages."""

    nl: str
    en: str

    def __call__(self, lang: str) -> str:
        """The text in ``lang``; Dutch for any language we do not have."""
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class Factor:
    id: str
    label: Text
    description: Text
    bands: Mapping[str, Text]
    employer_bands: Mapping[str, Text]
    strength: Text
    employer_strength: Text
    #: Questions that open the conversation between employer and workers when their views differ.
    conversation: tuple[Text, ...] = ()
    #: Reason sentences for a recommendation this factor triggered, per audience and band (``low``,
    #: ``medium``, ``unscored``), each saying what the answers show; used one at a time, never twice.
    reasons: Mapping[str, Mapping[str, tuple[Text, ...]]] = field(default_factory=dict)
    #: Questions for a worker to take to a manager or coach when this factor is weak ("je" form).
    worker_questions: tuple[Text, ...] = ()
    #: Per segment, the questions that replace :attr:`worker_questions` for a worker in it (e.g. a
    #: self-employed worker has no manager to ask about learning during working hours).
    worker_questions_for: Mapping[str, tuple[Text, ...]] = field(default_factory=dict)

    def questions_for(self, segments: frozenset[str]) -> tuple[Text, ...]:
        """The worker questions for a worker in ``segments``: the first of their segments (by id) with
        questions of its own, else the general ones."""
        own = sorted(s for s in segments if s in self.worker_questions_for)
        return self.worker_questions_for[own[0]] if own else self.worker_questions

    def meaning(self, band: str, audience: str) -> Text:
        """What a score in ``band`` means for a respondent of ``audience``."""
        return (self.employer_bands if audience == "employer" else self.bands)[band]


@dataclass(frozen=True)
class Knob:
    id: str
    label: Text
    description: Text
    employer_bands: Mapping[str, Text]
    #: Questions that open the conversation between employer and workers when their views differ.
    conversation: tuple[Text, ...] = ()
    #: Per audience: the reason for a step on this knob when everything it could help with is high.
    build: Mapping[str, Text] = field(default_factory=dict)
    #: The knob in worker words, for the worker report (``description`` is written for employers).
    worker_description: Text | None = None

    def describe(self, audience: str) -> Text:
        """The knob's introduction for a respondent of ``audience``."""
        if audience == "worker" and self.worker_description is not None:
            return self.worker_description
        return self.description


@dataclass(frozen=True)
class Segment:
    id: str
    label: Text


@dataclass(frozen=True)
class Signal:
    """Something a respondent's answers say beyond the factor scores (too little time, no money, no one
    to talk to ...), with the reason sentence per audience for the step that answers it.

    A signal is raised by an item that carries it (answered on the low side), or, with ``when``, by knob
    bands (``{"room": ("medium", "high"), "backing": ("low",)}``: budget present, backing low).
    """

    id: str
    label: Text
    reasons: Mapping[str, Text]
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class AdviceRules:
    """The advice engine's settings, from the model's ``advice`` section."""

    #: At most this many recommendations per knob.
    per_knob: int = 3
    #: At most this many longer routes (``effort: longer_route``) per knob.
    longer_routes_per_knob: int = 1
    #: Knob id → factor id: when the factor is not high, the knob's first step addresses it.
    leads: Mapping[str, str] = field(default_factory=dict)
    #: Per knob, up to this many steps written for one of the respondent's own groups (their ``for``
    #: names a segment the respondent has) come right after the lead step, when they address a factor
    #: that is not high: a step for agency workers should not lose to a general one.
    group_steps_per_knob: int = 1


@dataclass(frozen=True)
class Model:
    """The factors, knobs and segments of the model, plus the advice engine's sentence templates."""

    version: str
    factors: tuple[Factor, ...]
    knobs: tuple[Knob, ...]
    segments: tuple[Segment, ...]
    texts: Mapping[str, Text]
    signals: tuple[Signal, ...] = ()
    advice: AdviceRules = field(default_factory=AdviceRules)
    #: What items ask about and steps work on (ids with a description for the data's authors): an
    #: answer is a step's reason only when the item's topic is one of the step's topics.
    topics: Mapping[str, str] = field(default_factory=dict)
    factor_ids: tuple[str, ...] = field(init=False, repr=False, compare=False)
    knob_ids: tuple[str, ...] = field(init=False, repr=False, compare=False)
    #: Each factor's place in the model (the last tie-breaker when factors are ranked).
    factor_order: Mapping[str, int] = field(init=False, repr=False, compare=False)
    factor_map: Mapping[str, Factor] = field(init=False, repr=False, compare=False)
    knob_map: Mapping[str, Knob] = field(init=False, repr=False, compare=False)
    segment_map: Mapping[str, Segment] = field(init=False, repr=False, compare=False)
    signal_map: Mapping[str, Signal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _set(self, "signal_map", {s.id: s for s in self.signals})
        _set(self, "factor_ids", tuple(f.id for f in self.factors))
        _set(self, "knob_ids", tuple(k.id for k in self.knobs))
        _set(self, "factor_order", {f.id: i for i, f in enumerate(self.factors)})
        _set(self, "factor_map", {f.id: f for f in self.factors})
        _set(self, "knob_map", {k.id: k for k in self.knobs})
        _set(self, "segment_map", {s.id: s for s in self.segments})


@dataclass(frozen=True)
class ScaleLabel:
    value: int
    label: Text


@dataclass(frozen=True)
class Scale:
    """An agreement scale with its theoretical range ``min..max``."""

    min: int
    max: int
    labels: tuple[ScaleLabel, ...]
    unknown: Text | None = None
    #: The label of "does not apply", offered on the items with ``not_applicable_for``.
    not_applicable: Text | None = None


@dataclass(frozen=True)
class ScoringRules:
    """Per-questionnaire scoring settings: answer threshold and fixed band cut-offs (0-100)."""

    min_answered: float
    medium: float
    high: float
    #: An item's signal is raised when its keyed answer is at most this (the low side of the scale).
    signal_at: int = 2

    def band(self, score: float) -> str:
        """``low`` below the medium cut-off, ``high`` from the high cut-off, else ``medium``."""
        # A score within 5e-10 below a cut-off counts as on it, so float noise (74.99999999999 for
        # what is 75 on paper) never moves a score down a band; real scores differ by far more.
        if score >= self.high - 5e-10:
            return "high"
        return "medium" if score >= self.medium - 5e-10 else "low"

    def enough(self, answered: int, total: int) -> bool:
        """True when ``answered`` of ``total`` items meets the threshold."""
        return total > 0 and answered >= self.min_answered * total - 1e-9


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    segments: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProfileQuestion:
    id: str
    label: Text
    required: bool
    options: tuple[Option, ...]
    option_map: Mapping[str, Option] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _set(self, "option_map", {o.value: o for o in self.options})


#: The stored (and API) value of the answer "does not apply": off every scale (which starts at 1 or
#: higher, the loader checks), so never a scale point; ``None`` stays "don't know".
NOT_APPLICABLE = 0


@dataclass(frozen=True)
class Item:
    id: str
    text: Text
    #: ``None`` for a knob item without a factor (what the employer tells, compared on its knob).
    factor: str | None
    knob: str | None = None
    reverse: bool = False
    allow_unknown: bool = False
    #: The signal a low (keyed) answer raises, if any.
    signal: str | None = None
    #: What a low or middling answer says, as the reason for a step its factor triggered.
    reason: Text | None = None
    #: Segments the item does not apply to (it is left out of their scores and answer counts).
    not_for: tuple[str, ...] = ()
    #: What the item asks about (one of the model's topics): links the answer to the steps about it.
    topic: str | None = None
    #: Segments offered the answer "does not apply" (an item that presumes a manager or a workplace).
    not_applicable_for: tuple[str, ...] = ()
    #: Per segment, the text that respondents in it read instead (agency workers: "je werkplek of je
    #: uitzendbureau").
    text_for: Mapping[str, Text] = field(default_factory=dict)

    def applies_to(self, segments: frozenset[str]) -> bool:
        return not segments.intersection(self.not_for)

    def may_not_apply(self, segments: frozenset[str]) -> bool:
        """Whether a respondent in ``segments`` may answer "does not apply"."""
        return bool(segments.intersection(self.not_applicable_for))

    def text_in(self, segments: frozenset[str]) -> Text:
        """The text for a respondent in ``segments``: the first of their segments (by id) with a text of
        its own, else the general one."""
        own = sorted(s for s in segments if s in self.text_for)
        return self.text_for[own[0]] if own else self.text


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]
    intro: Text | None = None


@dataclass(frozen=True)
class Questionnaire:
    slug: str
    version: str
    audience: str
    title: Text
    summary: Text
    intro: Text
    minutes: int
    scale: Scale
    scoring: ScoringRules
    profile: tuple[ProfileQuestion, ...]
    sections: tuple[Section, ...]
    #: Every item, in questionnaire order.
    items: tuple[Item, ...] = field(init=False, repr=False, compare=False)
    item_map: Mapping[str, Item] = field(init=False, repr=False, compare=False)
    profile_map: Mapping[str, ProfileQuestion] = field(init=False, repr=False, compare=False)
    #: The items of each factor, in questionnaire order.
    items_by_factor: Mapping[str, tuple[Item, ...]] = field(init=False, repr=False, compare=False)
    #: The items that name a knob, per knob, in questionnaire order.
    items_by_knob: Mapping[str, tuple[Item, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = tuple(item for section in self.sections for item in section.items)
        _set(self, "items", items)
        _set(self, "item_map", {item.id: item for item in items})
        _set(self, "profile_map", {question.id: question for question in self.profile})
        _set(self, "items_by_factor", _group(items, lambda item: item.factor))
        _set(self, "items_by_knob", _group(items, lambda item: item.knob))

    def segments_for(self, profile: Mapping[str, str]) -> frozenset[str]:
        """The segment ids that the chosen profile options put a respondent in."""
        found: set[str] = set()
        for question in self.profile:
            option = question.option_map.get(profile.get(question.id, ""))
            if option is not None:
                found.update(option.segments)
        return frozenset(found)


def _group(items: tuple[Item, ...], key: Callable[[Item], str | None]) -> dict[str, tuple[Item, ...]]:
    """The items per ``key(item)``, in their order; items whose key is ``None`` are left out."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        dim = key(item)
        if dim is not None:
            groups.setdefault(dim, []).append(item)
    return {dim: tuple(group) for dim, group in groups.items()}


@dataclass(frozen=True)
class Intervention:
    id: str
    title: Text
    text: Text
    knob: str
    addresses: tuple[str, ...]
    audience: str
    effort: str
    source: str
    #: Eligibility: ``None`` for everyone (``for: all``), else the segments the text is written for
    #: (a respondent in any of them); ``not_for`` excludes segments in any case.
    for_segments: tuple[str, ...] | None = None
    not_for: tuple[str, ...] = ()
    #: Preference: segments it suits best (ranking only, never exclusion).
    segments: tuple[str, ...] = ()
    pairs_with: tuple[str, ...] = ()
    #: The signals it answers.
    answers: tuple[str, ...] = ()
    #: Shown only when one of these signals is raised (a computer course for someone who finds computers
    #: hard, not for everyone whose means are low); empty: no such condition.
    only_for_signals: tuple[str, ...] = ()
    #: What the step works on (the model's topics): an answer on one of these is its own reason, and
    #: answers on them that are all high say the step is not needed.
    topics: tuple[str, ...] = ()

    def eligible(self, segments: frozenset[str]) -> bool:
        """Whether the text is written for a respondent in ``segments``."""
        if segments.intersection(self.not_for):
            return False
        return self.for_segments is None or bool(segments.intersection(self.for_segments))


@dataclass(frozen=True)
class Catalog:
    version: str
    interventions: tuple[Intervention, ...]
    intervention_map: Mapping[str, Intervention] = field(init=False, repr=False, compare=False)
    #: The interventions per (audience, knob), in catalog order.
    _by_audience_knob: Mapping[tuple[str, str], tuple[Intervention, ...]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _set(self, "intervention_map", {iv.id: iv for iv in self.interventions})
        groups: dict[tuple[str, str], list[Intervention]] = {}
        for iv in self.interventions:
            groups.setdefault((iv.audience, iv.knob), []).append(iv)
        _set(self, "_by_audience_knob", {key: tuple(ivs) for key, ivs in groups.items()})

    def for_knob(self, audience: str, knob: str) -> tuple[Intervention, ...]:
        """The interventions for ``audience`` on ``knob``, in catalog order."""
        return self._by_audience_knob.get((audience, knob), ())


@dataclass(frozen=True)
class HelpRoute:
    """Someone who can help a worker further ("Wie kan je helpen"), from ``help.yaml``.

    ``for_segments`` and ``not_for`` work as an intervention's: a route written for agency workers
    (``for: [flex]``) is never shown to anyone else. ``answers`` are the signals that bring it forward.
    """

    id: str
    title: Text
    text: Text
    how: Text
    for_segments: tuple[str, ...] | None = None
    not_for: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    #: What to do when the route is not there (a sector without a fund).
    otherwise: Text | None = None
    link: str | None = None

    def eligible(self, segments: frozenset[str]) -> bool:
        if segments.intersection(self.not_for):
            return False
        return self.for_segments is None or bool(segments.intersection(self.for_segments))


@dataclass(frozen=True)
class HelpGuide:
    version: str = ""
    routes: tuple[HelpRoute, ...] = ()


@dataclass(frozen=True)
class Definitions:
    """Everything loaded from one definitions folder."""

    model: Model
    catalog: Catalog
    questionnaires: Mapping[str, Questionnaire] = field(default_factory=dict)
    help: HelpGuide = field(default_factory=HelpGuide)
