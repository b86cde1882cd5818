"""Advice: per knob 1-3 interventions from the catalog that fit the respondent, each with its own reason.

The rules (DESIGN.md, "Advice rules"), applied in this order:

1. **Eligibility.** Only interventions for the respondent's audience whose ``for``/``not_for`` admit the
   respondent's segments are candidates (a text written for the self-employed is never shown to others).
2. **Need ranking.** Factors are ranked by how far the score lies below the ``high`` cut-off, largest
   first; factors without a score come next, factors in band ``high`` last; ties follow the model's
   factor order. Each candidate is for the most needed factor it addresses, and candidates are ranked by
   that factor's place.
3. **Priorities** (the model's ``advice`` section): a knob with a lead factor (direction: awareness) that
   is not high starts with a step for that factor — change starts with awareness; a step written for
   one of the respondent's own groups (``for`` names their segment) comes before general steps
   (``group_steps_per_knob``) and answers a signal before a general step does; small steps come before
   longer routes at equal need, and a knob holds at most one longer route. A step whose topics the
   respondent answered, every answer on the high side (keyed at least ``min + max - signal_at``), is
   left out: what it would set up is there already.
4. **Signals.** A signal that the answers raise (an item answered on the low side: too little time, no
   money, ...; or a pattern of knob bands: budget present, backing low) brings one step that answers
   it, on the knob of the best such step; at equal need, steps that answer a raised signal rank higher,
   then steps on whose topics the respondent answered low.
5. **Preference segments**: at equal need and signal, steps that suit more of the respondent's segments.
6. **Effort**: small steps before longer routes.
7. **Catalog order** settles what is left, so the advice is deterministic.

Then the cap and pairing: a knob gets at most ``per_knob`` steps (3) — the lead step, (on backing) the
guidance step that each budget step chosen elsewhere pairs with (the first one its ``pairs_with``
lists that is a candidate), the steps for raised signals and the
group step come first, then the best-ranked steps for factors that are not high, each only when it
works on a topic the knob's steps do not cover yet; a knob with none of those gets one step that builds
on a strength (one whose topics are in place only when there is nothing else). Money alone is not
enough: every budget step (one with ``pairs_with``) brings one of its guidance steps onto the backing
knob, and a budget step whose guidance step found no place, and is not in place already, is left out.

Every recommendation carries a reason (:class:`Reason`) naming what triggered it: a signal, the pairing,
the respondent's own low answer on one of the step's topics (an answer about something else is never a
step's reason), the factor band's sentences, or a strength. A step with ``only_for_signals`` is a
candidate only when one of those signals is raised. No two recommendations of one respondent share a
reason: a step for which no unused reason is left is passed over.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .definitions import Catalog, Intervention, Item, Model, Questionnaire
from .score import DimensionScore, ScoreResult, keyed_value, scale_answer

#: Kinds of reason, by what triggered the recommendation.
SIGNAL, PAIRED, ANSWER, BAND, UNSCORED, STRENGTH, BUILD = (
    "signal", "paired", "answer", "band", "unscored", "strength", "build")


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an intervention is recommended: what triggered it, and which sentence says so.

    ``kind`` is one of ``signal`` (``signal`` raised, by ``item`` when an answer raised it), ``paired``
    (the budget step ``pairs_with`` brought it), ``answer`` (``item``, an answer on ``factor``), ``band``
    (``factor`` in ``band``; ``index`` picks the sentence), ``unscored`` (too few answers on ``factor``),
    ``strength`` (``factor`` is high) or ``build`` (everything the knob could help with is high: the
    knob's own sentence, ``knob``). ``factor`` is always the factor the step is for.
    """

    kind: str
    factor: str
    band: str | None
    score: float | None
    signal: str | None = None
    item: str | None = None
    index: int = 0
    pairs_with: str | None = None
    segments: tuple[str, ...] = ()
    knob: str | None = None

    @property
    def key(self) -> tuple[str, str | None, int]:
        """What makes the reason's sentence: two reasons with different keys read differently."""
        match self.kind:
            case "signal":
                return (SIGNAL, self.signal, 0)
            case "paired":
                return (PAIRED, self.pairs_with, 0)
            case "answer":
                return (ANSWER, self.item, 0)
            case "strength":
                return (STRENGTH, self.factor, 0)
            case "build":
                return (BUILD, self.knob, 0)
        return (self.kind, f"{self.factor}:{self.band}", self.index)


@dataclass(frozen=True, slots=True)
class Recommendation:
    intervention: Intervention
    reason: Reason


@dataclass(frozen=True, slots=True)
class Advice:
    """The recommendations per knob, in the model's knob order, and the factors that are strengths."""

    recommendations: Mapping[str, tuple[Recommendation, ...]]
    strengths: tuple[str, ...]
    #: The signals the answers raised, with the item that raised each (``None``: raised by knob bands).
    signals: tuple[tuple[str, str | None], ...] = ()


def factor_ranking(model: Model, factors: Mapping[str, DimensionScore], high: float) -> list[str]:
    """Factor ids from most to least needed (see the module docstring)."""
    order = model.factor_order

    def need(fid: str) -> tuple[int, float, int]:
        s = factors.get(fid)
        if s is None or s.score is None:
            return (1, 0.0, order[fid])
        if s.band == "high":
            return (2, 0.0, order[fid])
        return (0, -(high - s.score), order[fid])

    return sorted((f.id for f in model.factors), key=need)


def raised_signals(model: Model, q: Questionnaire, result: ScoreResult, answers: Mapping[str, int | None],
                   segments: frozenset[str]) -> tuple[tuple[str, str | None], ...]:
    """The signals the answers raise, each once, in questionnaire order, then those raised by knob bands.

    An item's signal is raised when the item applies to the respondent and its keyed answer is at most
    the questionnaire's ``signal_at``; a signal with ``when`` is raised when every knob it names is in
    one of the bands given (and it is written for the respondent's audience).
    """
    raised: dict[str, str | None] = {}
    low, high = q.scale.min, q.scale.max
    for item in q.items:
        value = scale_answer(answers, item)
        if (item.signal and value is not None and item.applies_to(segments) and item.signal not in raised
                and keyed_value(item, value, low, high) <= q.scoring.signal_at):
            raised[item.signal] = item.id
    for signal in model.signals:
        if signal.when and result.audience in signal.reasons and signal.id not in raised:
            bands = {knob: result.knobs[knob].band if knob in result.knobs else None for knob in signal.when}
            if all(bands[knob] in allowed for knob, allowed in signal.when.items()):
                raised[signal.id] = None
    return tuple(raised.items())


class _Reasons:
    """Hands out reasons, none twice: for a step, the respondent's low answers on its topics (lowest
    first), then the sentences of its factor's band; signals and pairings once each."""

    def __init__(self, model: Model, q: Questionnaire, result: ScoreResult,
                 answers: Mapping[str, int | None], segments: frozenset[str]) -> None:
        self.model, self.q, self.result = model, q, result
        self.used: set[tuple[str, str | None, int]] = set()
        low, high = q.scale.min, q.scale.max
        #: Per topic, the answered items that apply to the respondent: (keyed value, place, item).
        self.by_topic: dict[str, list[tuple[int, int, Item]]] = {}
        for n, item in enumerate(q.items):
            value = scale_answer(answers, item)
            if item.topic and value is not None and item.applies_to(segments):
                self.by_topic.setdefault(item.topic, []).append((keyed_value(item, value, low, high), n, item))
        self.middle = (low + high) / 2
        #: A keyed answer at least this high says the matter is in place (mirrors ``signal_at``).
        self.settled_at = low + high - q.scoring.signal_at

    def _on_topics(self, iv: Intervention) -> list[tuple[int, int, Item]]:
        return sorted(entry for topic in iv.topics for entry in self.by_topic.get(topic, ()))

    def low_answers(self, iv: Intervention) -> list[Item]:
        """The respondent's answers on ``iv``'s topics on the low side, lowest first. A neutral "niet
        eens, niet oneens" is no "je gaf aan dat ..."."""
        return [item for keyed, _, item in self._on_topics(iv) if keyed < self.middle]

    def settled(self, iv: Intervention) -> bool:
        """Whether the respondent answered on ``iv``'s topics, and every such answer says the matter is
        in place: the step would fix what is there already (a budget the organisation gives)."""
        entries = self._on_topics(iv)
        return bool(entries) and all(keyed >= self.settled_at for keyed, _, _ in entries)

    def _step_reasons(self, iv: Intervention, factor: str) -> Iterator[Reason]:
        s = self.result.factors.get(factor)
        band, score = (s.band, s.score) if s is not None else (None, None)
        if band == "high":
            yield Reason(STRENGTH, factor, band, score)
            return
        for item in self.low_answers(iv):
            if item.reason is not None:
                yield Reason(ANSWER, factor, band, score, item=item.id)
        kind = BAND if band is not None else UNSCORED
        sentences = self.model.factor_map[factor].reasons.get(self.result.audience, {}).get(band or UNSCORED, ())
        for index in range(len(sentences)):
            yield Reason(kind, factor, band, score, index=index)

    def for_step(self, iv: Intervention, factor: str) -> Reason | None:
        """The next unused reason for step ``iv`` that ``factor`` triggered."""
        return next((r for r in self._step_reasons(iv, factor) if r.key not in self.used), None)

    def for_signal(self, signal: str, item: str | None, factor: str) -> Reason | None:
        s = self.result.factors.get(factor)
        reason = Reason(SIGNAL, factor, s.band if s else None, s.score if s else None, signal=signal, item=item)
        return reason if reason.key not in self.used else None

    def paired(self, factor: str, budget_step: str) -> Reason | None:
        s = self.result.factors.get(factor)
        reason = Reason(PAIRED, factor, s.band if s else None, s.score if s else None, pairs_with=budget_step)
        return reason if reason.key not in self.used else None

    def take(self, reason: Reason) -> None:
        self.used.add(reason.key)


class _Knob:
    """The steps chosen for one knob, within the cap and the longer-route limit."""

    def __init__(self, per_knob: int, longer_routes: int, reasons: _Reasons, segments: frozenset[str]) -> None:
        self.picks: list[Recommendation] = []
        self.per_knob, self.longer_routes = per_knob, longer_routes
        self.reasons, self.segments = reasons, segments

    def has_room_for(self, iv: Intervention) -> bool:
        if len(self.picks) >= self.per_knob or any(p.intervention.id == iv.id for p in self.picks):
            return False
        longer = sum(p.intervention.effort != "small_step" for p in self.picks)
        return iv.effort == "small_step" or longer < self.longer_routes

    def adds_a_topic(self, iv: Intervention) -> bool:
        """Whether ``iv`` works on something the knob's steps do not yet (a second budget step does not)."""
        covered = {topic for p in self.picks for topic in p.intervention.topics}
        return not iv.topics or not covered.issuperset(iv.topics)

    def pick(self, iv: Intervention, reason: Reason | None) -> bool:
        """Add ``iv`` with ``reason``, when there is a reason and room; whether it was added."""
        if reason is None or not self.has_room_for(iv):
            return False
        self.reasons.take(reason)
        self.picks.append(Recommendation(iv, _with_segments(reason, iv, self.segments)))
        return True

    def first(self, candidates: Iterable[tuple[Intervention, Reason | None]]) -> bool:
        """Add the first of ``candidates`` (each with its reason) that has a reason and room; whether one was."""
        return any(self.pick(iv, reason) for iv, reason in candidates)


def advise(model: Model, catalog: Catalog, q: Questionnaire, result: ScoreResult,
           segments: frozenset[str] = frozenset(), answers: Mapping[str, int | None] | None = None) -> Advice:
    """Recommend 1-3 interventions per knob for ``result`` of questionnaire ``q`` (see the module
    docstring); without ``answers`` (a team's mean scores) only the knob-band signals can be raised."""
    answers = answers or {}
    rules = model.advice
    factors = result.factors
    ranking = factor_ranking(model, factors, q.scoring.high)
    rank = {fid: i for i, fid in enumerate(ranking)}
    needed = frozenset(f for f in ranking if (s := factors.get(f)) is None or s.band != "high")
    signals = raised_signals(model, q, result, answers, segments)
    raised = {signal for signal, _ in signals}
    raised_by = dict(signals)
    reasons = _Reasons(model, q, result, answers, segments)
    unranked = len(rank)

    def factor_for(iv: Intervention) -> str:
        return min(iv.addresses, key=lambda f: (rank.get(f, unranked), f))

    def order(iv: Intervention) -> tuple[int, int, bool, int, int]:
        return (rank.get(factor_for(iv), unranked), -len(raised.intersection(iv.answers)),
                not reasons.low_answers(iv), -len(segments.intersection(iv.segments)), iv.effort != "small_step")

    def candidate(iv: Intervention) -> bool:
        return iv.eligible(segments) and (not iv.only_for_signals or bool(raised.intersection(iv.only_for_signals)))

    # sorted() is stable, so catalog order settles the remaining ties. Steps whose topics the answers
    # say are in place wait apart: only a knob with nothing else can build on one of them.
    eligible = {knob: sorted(filter(candidate, catalog.for_knob(result.audience, knob)), key=order)
                for knob in model.knob_ids}
    ranked = {knob: [iv for iv in steps if not reasons.settled(iv)] for knob, steps in eligible.items()}
    # Each raised signal goes to the knob of its best-ranked answering step (over all knobs).
    # A step written for the respondent's own group answers a signal before a general one (the group
    # priority, rule 3): "Scholing als uitzendkracht" for an agency worker short of money.
    def for_group_first(iv: Intervention) -> tuple[bool, tuple[int, int, bool, int, int]]:
        return (not iv.for_segments, order(iv))

    signal_knob: dict[str, str] = {}
    for signal, _ in signals:
        answering = [iv for knob in model.knob_ids for iv in ranked[knob] if signal in iv.answers]
        if answering:
            signal_knob[signal] = min(answering, key=for_group_first).knob

    chosen: dict[str, list[Recommendation]] = {}

    def answered(signal: str) -> bool:
        """Whether a step already chosen (on any knob) carries ``signal`` as its reason."""
        return any(r.reason.signal == signal for recs in chosen.values() for r in recs)

    def reason_for(iv: Intervention, factor: str | None = None) -> Reason | None:
        """A raised signal the step answers that no step carries yet, else its factor's next reason."""
        return signal_reason(iv) or reasons.for_step(iv, factor or factor_for(iv))

    def signal_reason(iv: Intervention) -> Reason | None:
        """The reason of a raised signal that ``iv`` answers and no chosen step carries yet, if any."""
        for signal in iv.answers:
            if signal in raised and not answered(signal):
                found = reasons.for_signal(signal, raised_by[signal], factor_for(iv))
                if found is not None:
                    return found
        return None

    budget_steps: list[Intervention] = []
    # Backing comes last, so that it can take the guidance step each chosen budget step pairs with.
    for knob in sorted(model.knob_ids, key=lambda k: k == "backing"):
        steps = _Knob(rules.per_knob, rules.longer_routes_per_knob, reasons, segments)
        chosen[knob] = steps.picks
        lead = rules.leads.get(knob)
        if lead in needed:
            steps.first((iv, reason_for(iv, lead)) for iv in ranked[knob] if lead in iv.addresses)
        if knob == "backing":
            for budget in budget_steps:
                if not any(p.intervention.id in budget.pairs_with for p in steps.picks):
                    # A guidance step that also answers a raised signal says so: that is the more specific reason.
                    # In the order the budget step lists them: the data's authors put the best fit first.
                    guides = sorted((iv for iv in ranked[knob] if iv.id in budget.pairs_with),
                                    key=lambda iv: budget.pairs_with.index(iv.id))
                    steps.first((iv, signal_reason(iv) or reasons.paired(factor_for(iv), budget.id))
                                for iv in guides)
        for signal, item in signals:
            if signal_knob.get(signal) == knob and not answered(signal):
                steps.first((iv, reasons.for_signal(signal, item, factor_for(iv)))
                            for iv in sorted(ranked[knob], key=for_group_first) if signal in iv.answers)
        # Of the rest, only steps for needed factors that add a topic the knob does not cover yet.
        rest = [iv for iv in ranked[knob] if factor_for(iv) in needed]
        for _ in range(rules.group_steps_per_knob):
            steps.first((iv, reason_for(iv)) for iv in rest if iv.for_segments and steps.adds_a_topic(iv))
        for iv in rest:
            if steps.adds_a_topic(iv):
                steps.pick(iv, reason_for(iv))
        if not steps.picks and eligible[knob]:  # everything it could help with is high: build on a strength
            builders = ranked[knob] or eligible[knob]
            strengths_left = steps.first(
                (iv, next((r for f in iv.addresses if (r := reasons.for_step(iv, f)) is not None), None))
                for iv in builders)
            if not strengths_left:  # every such strength has its step already: the knob's own sentence
                best = builders[0]
                steps.pick(best, Reason(BUILD, factor_for(best), None, None, knob=knob))
        budget_steps += [p.intervention for p in steps.picks if p.intervention.pairs_with]

    # A budget step whose guidance step found no place (backing full) goes: money alone is not enough.
    # A guidance step the answers say is in place already (a coach people can call on) counts as found.
    guidance = {r.intervention.id for r in chosen.get("backing", [])}
    guidance |= {iv.id for iv in eligible.get("backing", []) if reasons.settled(iv)}
    for knob, picks in chosen.items():
        kept = [r for r in picks if not r.intervention.pairs_with or guidance.intersection(r.intervention.pairs_with)]
        chosen[knob] = kept or picks
    strengths = tuple(f.id for f in model.factors if f.id not in needed)
    return Advice({k: tuple(chosen[k]) for k in model.knob_ids}, strengths, signals)


def _with_segments(reason: Reason, iv: Intervention, segments: frozenset[str]) -> Reason:
    matching = tuple(seg for seg in iv.segments if seg in segments)
    if not matching:
        return reason
    return Reason(reason.kind, reason.factor, reason.band, reason.score, reason.signal, reason.item,
                  reason.index, reason.pairs_with, matching, reason.knob)
