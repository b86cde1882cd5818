"""Frozen value objects for the model, the questionnaires and the intervention catalog.

They are built by :mod:`scoring.loader` from the YAML files in ``questionnaires/`` and never
changed afterwards. Every user-facing text is a :class:`Text` with a Dutch and an English form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

LANGUAGES = ("nl", "en")
BANDS = ("low", "medium", "high")
AUDIENCES = ("worker", "employer")
EFFORTS = ("small_step", "longer_route")


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


@dataclass(frozen=True)
class Segment:
    id: str
    label: Text


@dataclass(frozen=True)
class Model:
    """The factors, knobs and segments of the model, plus the advice engine's sentence templates."""

    version: str
    factors: tuple[Factor, ...]
    knobs: tuple[Knob, ...]
    segments: tuple[Segment, ...]
    texts: Mapping[str, Text]

    @cached_property
    def factor_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.factors)

    @cached_property
    def knob_ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.knobs)

    @cached_property
    def factor_order(self) -> dict[str, int]:
        """Each factor's place in the model (the last tie-breaker when factors are ranked)."""
        return {f.id: i for i, f in enumerate(self.factors)}

    @cached_property
    def factor_map(self) -> dict[str, Factor]:
        return {f.id: f for f in self.factors}

    @cached_property
    def knob_map(self) -> dict[str, Knob]:
        return {k.id: k for k in self.knobs}

    @cached_property
    def segment_map(self) -> dict[str, Segment]:
        return {s.id: s for s in self.segments}

    @cached_property
    def memo(self) -> dict:
        """A place for pure functions to remember what they work out from this (immutable) model."""
        return {}


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


@dataclass(frozen=True)
class ScoringRules:
    """Per-questionnaire scoring settings: answer threshold and fixed band cut-offs (0-100)."""

    min_answered: float
    medium: float
    high: float

    def band(self, score: float) -> str:
        """``low`` below the medium cut-off, ``high`` from the high cut-off, else ``medium``."""
        # Float noise is ignored, so that a mean of exactly 4 on 1..5 (75.0) is never 74.999...: the
        # same as comparing round(score, 9), without round()'s cost (scores differ by far more).
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

    @cached_property
    def option_map(self) -> dict[str, Option]:
        return {o.value: o for o in self.options}


@dataclass(frozen=True)
class Item:
    id: str
    text: Text
    factor: str
    knob: str | None = None
    reverse: bool = False
    allow_unknown: bool = False


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

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def item_map(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def answer_values(self) -> frozenset[int | None]:
        """Every valid answer: the whole numbers on the scale, and ``None`` (don't know)."""
        return frozenset({*range(self.scale.min, self.scale.max + 1), None})

    @cached_property
    def profile_map(self) -> dict[str, ProfileQuestion]:
        return {q.id: q for q in self.profile}

    @cached_property
    def memo(self) -> dict:
        """A place for pure functions to remember what they work out from this (immutable) questionnaire."""
        return {}

    @cached_property
    def items_by_factor(self) -> dict[str, tuple[Item, ...]]:
        """The items of each factor, in questionnaire order."""
        return _group_items(self.items, "factor")

    @cached_property
    def items_by_knob(self) -> dict[str, tuple[Item, ...]]:
        """The items that name a knob, per knob, in questionnaire order."""
        return _group_items(self.items, "knob")

    def segments_for(self, profile: Mapping[str, str]) -> frozenset[str]:
        """The segment ids that the chosen profile options put a respondent in."""
        found: set[str] = set()
        for question in self.profile:
            option = question.option_map.get(profile.get(question.id, ""))
            if option is not None:
                found.update(option.segments)
        return frozenset(found)


def _group_items(items: tuple[Item, ...], key: str) -> dict[str, tuple[Item, ...]]:
    groups: dict[str, list[Item]] = {}
    for item in items:
        dim = getattr(item, key)
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
    segments: tuple[str, ...] = ()
    pairs_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalog:
    version: str
    interventions: tuple[Intervention, ...]

    @cached_property
    def intervention_map(self) -> dict[str, Intervention]:
        return {i.id: i for i in self.interventions}

    @cached_property
    def position(self) -> dict[str, int]:
        """Each intervention's place in the catalog (the last tie-breaker of the advice)."""
        return {iv.id: i for i, iv in enumerate(self.interventions)}

    @cached_property
    def memo(self) -> dict:
        """A place for pure functions to remember results computed from this (immutable) catalog."""
        return {}

    def for_knob(self, audience: str, knob: str) -> tuple[Intervention, ...]:
        """The interventions for ``audience`` on ``knob``, in catalog order."""
        return self._by_audience_knob.get((audience, knob), ())

    @cached_property
    def _by_audience_knob(self) -> dict[tuple[str, str], tuple[Intervention, ...]]:
        groups: dict[tuple[str, str], list[Intervention]] = {}
        for iv in self.interventions:
            groups.setdefault((iv.audience, iv.knob), []).append(iv)
        return {key: tuple(ivs) for key, ivs in groups.items()}


@dataclass(frozen=True)
class Definitions:
    """Everything loaded from one definitions folder."""

    model: Model
    catalog: Catalog
    questionnaires: Mapping[str, Questionnaire] = field(default_factory=dict)
