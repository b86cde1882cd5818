"""Load and validate the definition files of a ``questionnaires/`` folder.

Every problem is collected with its file and field path, so that a person editing the YAML sees
all of them in one run, e.g.
``questionnaires/loopbaan-apk.yaml: sections[2].items[4].factor: unknown factor 'motivatoin'``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .definitions import (
    AUDIENCES,
    BANDS,
    EFFORTS,
    LANGUAGES,
    NOT_APPLICABLE,
    AdviceRules,
    Catalog,
    Definitions,
    Factor,
    HelpGuide,
    HelpRoute,
    Intervention,
    Item,
    Knob,
    Model,
    Option,
    ProfileQuestion,
    Questionnaire,
    Scale,
    ScaleLabel,
    ScoringRules,
    Section,
    Segment,
    Signal,
    Text,
)
from .errors import DefinitionError, Problem
from .result import REQUIRED_TEXTS

MODEL_FILE = "model.yaml"
CATALOG_FILE = "interventions.yaml"
#: Optional: who can help a worker further. A folder without it shows no such routes.
HELP_FILE = "help.yaml"
MAX_WORKER_QUESTIONS = 5
REASON_BANDS = ("low", "medium", "unscored")
MAX_QUESTIONS = 4  # conversation questions per factor or knob: a few, to open a conversation
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_MISSING = object()
T = TypeVar("T")


class _Reader:
    """Typed access to a parsed YAML tree that records problems instead of raising."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, path, message))

    def get(self, node: Any, key: str, path: str, kind: type | tuple[type, ...], *,
            required: bool = True, default: Any = None) -> Any:
        where = f"{path}.{key}" if path else key
        value = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
        if value is _MISSING or value is None:
            if required:
                self.problem(where, "is required")
            return default
        # bool is an int in Python; a YAML `yes` must not pass for a number.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
            self.problem(where, f"must be {_kind_name(kind)}, not {type(value).__name__}")
            return default
        return value

    def ident(self, node: Any, key: str, path: str) -> str:
        value: str = self.get(node, key, path, str, default="")
        if value and not _ID.match(value):
            self.problem(f"{path}.{key}", f"'{value}' is not a valid id (lowercase letters, digits, - and _)")
        return value

    def text(self, node: Any, key: str, path: str) -> Text:
        """A required translated text; an empty one (with the problem recorded) when it is missing."""
        where = f"{path}.{key}" if path else key
        value = self.get(node, key, path, dict)
        return Text("", "") if value is None else self.translated(value, where)

    def optional_text(self, node: Any, key: str, path: str) -> Text | None:
        """A translated text that may be left out: ``None`` then."""
        where = f"{path}.{key}" if path else key
        value = self.get(node, key, path, dict, required=False)
        return None if value is None else self.translated(value, where)

    def translated(self, value: dict[str, Any], where: str) -> Text:
        """A mapping ``{nl: ..., en: ...}`` as a :class:`Text`; each missing or empty language is a problem."""
        parts = {}
        for lang in LANGUAGES:
            part = value.get(lang)
            if not isinstance(part, str) or not part.strip():
                self.problem(f"{where}.{lang}", "is required (a non-empty text)")
                part = ""
            parts[lang] = part.strip()
        return Text(**parts)

    def texts(self, node: Any, key: str, path: str, *, most: int) -> tuple[Text, ...]:
        """An optional list of 1..``most`` translated texts (e.g. conversation questions)."""
        where = f"{path}.{key}" if path else key
        value = self.get(node, key, path, list, required=False, default=[])
        if isinstance(node, dict) and node.get(key) == []:
            self.problem(where, "must not be empty (leave it out instead)")
        if len(value) > most:
            self.problem(where, f"must hold at most {most} texts, not {len(value)}")
        found = []
        for i, entry in enumerate(value or []):
            if isinstance(entry, dict):
                found.append(self.translated(entry, f"{where}[{i}]"))
            else:
                self.problem(f"{where}[{i}]", f"must be a mapping, not {type(entry).__name__}")
        return tuple(found)

    def items(self, node: Any, key: str, path: str, build: Callable[[Any, str], T]) -> tuple[T, ...]:
        where = f"{path}.{key}" if path else key
        value = self.get(node, key, path, list)
        if value is None:
            return ()
        if not value:
            self.problem(where, "must not be empty")
        return tuple(build(entry, f"{where}[{i}]") for i, entry in enumerate(value))

    def id_list(self, node: Any, key: str, path: str, *, required: bool = False) -> tuple[str, ...]:
        """A list of ids; entries that are not texts are reported and left out."""
        value = self.get(node, key, path, list, required=required, default=[])
        ids = []
        for i, entry in enumerate(value or []):
            if isinstance(entry, str):
                ids.append(entry)
            else:
                self.problem(f"{path}.{key}[{i}]", f"must be an id (a text), not {type(entry).__name__}")
        return tuple(ids)

    def unique(self, objects: tuple[Any, ...], attr: str, path: str, what: str) -> None:
        seen: set[str] = set()
        for i, obj in enumerate(objects):
            value = getattr(obj, attr)
            if value and value in seen:
                self.problem(f"{path}[{i}].{attr}", f"duplicate {what} '{value}'")
            seen.add(value)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a text", int: "a whole number", float: "a number", bool: "true or false",
             dict: "a mapping", list: "a list"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def _read_yaml(path: Path, reader: _Reader) -> dict[str, Any] | None:
    """The file's top-level mapping, or ``None`` (with the problem recorded) when there is none."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        reader.problem("", "file is missing")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        reader.problem(where, f"is not valid YAML ({getattr(exc, 'problem', exc)})")
        return None
    if not isinstance(data, dict):
        reader.problem("", "must contain a mapping at the top level")
        return None
    return data


def _bands(r: _Reader, node: Any, key: str, path: str) -> dict[str, Text]:
    value = r.get(node, key, path, dict)
    where = f"{path}.{key}"
    if value is None:
        return {}
    return {band: r.text(value, band, where) for band in BANDS}


def _model(r: _Reader, data: dict[str, Any]) -> Model:
    def factor(node: Any, path: str) -> Factor:
        return Factor(
            id=r.ident(node, "id", path), label=r.text(node, "label", path),
            description=r.text(node, "description", path),
            bands=_bands(r, node, "bands", path), employer_bands=_bands(r, node, "employer_bands", path),
            strength=r.text(node, "strength", path), employer_strength=r.text(node, "employer_strength", path),
            conversation=r.texts(node, "conversation", path, most=MAX_QUESTIONS),
            reasons=_factor_reasons(r, node, path),
            worker_questions=r.texts(node, "worker_questions", path, most=MAX_WORKER_QUESTIONS),
            worker_questions_for={
                str(seg): r.texts(per, seg, f"{path}.worker_questions_for", most=MAX_WORKER_QUESTIONS)
                for per in [r.get(node, "worker_questions_for", path, dict, required=False, default={}) or {}]
                for seg in per},
        )

    def knob(node: Any, path: str) -> Knob:
        return Knob(id=r.ident(node, "id", path), label=r.text(node, "label", path),
                    description=r.text(node, "description", path),
                    employer_bands=_bands(r, node, "employer_bands", path),
                    conversation=r.texts(node, "conversation", path, most=MAX_QUESTIONS),
                    build=_per_audience(r, node, "build", path),
                    worker_description=r.optional_text(node, "worker_description", path))

    def segment(node: Any, path: str) -> Segment:
        return Segment(id=r.ident(node, "id", path), label=r.text(node, "label", path))

    factors = r.items(data, "factors", "", factor)
    knobs = r.items(data, "knobs", "", knob)
    segments = r.items(data, "segments", "", segment)
    for objects, key in ((factors, "factors"), (knobs, "knobs"), (segments, "segments")):
        r.unique(objects, "id", key, key[:-1])
    segment_ids = {s.id for s in segments}
    for i, f in enumerate(factors):
        for seg in f.worker_questions_for:
            if seg not in segment_ids:
                r.problem(f"factors[{i}].worker_questions_for.{seg}", f"unknown segment '{seg}'")
    knob_ids = {k.id for k in knobs}

    def signal(node: Any, path: str) -> Signal:
        reasons = _per_audience(r, node, "reasons", path, required=False)
        if not reasons:
            r.problem(f"{path}.reasons", "must give the reason for at least one audience (worker, employer)")
        when: dict[str, tuple[str, ...]] = {}
        for knob_id, bands in (r.get(node, "when", path, dict, required=False, default={}) or {}).items():
            where = f"{path}.when.{knob_id}"
            if knob_id not in knob_ids:
                r.problem(where, f"unknown knob '{knob_id}'")
            if not isinstance(bands, list) or not bands or any(b not in BANDS for b in bands):
                r.problem(where, f"must be a list of bands ({', '.join(BANDS)})")
                continue
            when[knob_id] = tuple(bands)
        return Signal(id=r.ident(node, "id", path), label=r.text(node, "label", path), reasons=reasons, when=when)

    signals = r.items(data, "signals", "", signal) if "signals" in data else ()
    r.unique(signals, "id", "signals", "signal")
    advice = _advice_rules(r, data.get("advice"), {f.id for f in factors}, knob_ids)
    topics = r.get(data, "topics", "", dict, required=False, default={}) or {}
    for topic_id, about in topics.items():
        if not isinstance(about, str) or not about.strip():
            r.problem(f"topics.{topic_id}", "must say in a sentence what the topic is about")
    raw_texts = r.get(data, "texts", "", dict)
    texts = {key: r.text(raw_texts, key, "texts") for key in raw_texts or {}}
    if raw_texts is not None:
        for key in REQUIRED_TEXTS:
            if key not in raw_texts:
                r.problem(f"texts.{key}", "is required (a sentence template used by the advice)")
    return Model(version=str(r.get(data, "version", "", (str, int, float), default="")),
                 factors=factors, knobs=knobs, segments=segments, texts=texts, signals=signals, advice=advice,
                 topics={str(k): str(v) for k, v in topics.items()})


def _per_audience(r: _Reader, node: Any, key: str, path: str, *, required: bool = True) -> dict[str, Text]:
    """A mapping ``{worker: {nl, en}, employer: {nl, en}}``: both audiences when ``required``."""
    value = r.get(node, key, path, dict, required=required, default={})
    where = f"{path}.{key}"
    found = {}
    for audience in AUDIENCES:
        if audience in (value or {}):
            found[audience] = r.text(value, audience, where)
        elif required and value is not None:
            r.problem(f"{where}.{audience}", "is required")
    for other in set(value or {}) - set(AUDIENCES):
        r.problem(f"{where}.{other}", f"unknown audience '{other}'")
    return found


def _factor_reasons(r: _Reader, node: Any, path: str) -> dict[str, dict[str, tuple[Text, ...]]]:
    """A factor's reason sentences: per audience, per ``low``/``medium``/``unscored``, a list of 1-6."""
    value = r.get(node, "reasons", path, dict, default={}) or {}
    where = f"{path}.reasons"
    found: dict[str, dict[str, tuple[Text, ...]]] = {}
    for audience in AUDIENCES:
        per_band = r.get(value, audience, where, dict, default={}) or {}
        found[audience] = {}
        for band in REASON_BANDS:
            texts = r.texts(per_band, band, f"{where}.{audience}", most=6)
            if not texts:
                r.problem(f"{where}.{audience}.{band}", "is required (1 to 6 reason sentences)")
            found[audience][band] = texts
    return found


def _advice_rules(r: _Reader, node: Any, factor_ids: set[str], knob_ids: set[str]) -> AdviceRules:
    if node is None:
        return AdviceRules()
    per_knob = r.get(node, "per_knob", "advice", int, required=False, default=3)
    longer = r.get(node, "longer_routes_per_knob", "advice", int, required=False, default=1)
    if not 1 <= per_knob <= 5:
        r.problem("advice.per_knob", f"must be 1 to 5, not {per_knob}")
    if not 0 <= longer <= per_knob:
        r.problem("advice.longer_routes_per_knob", f"must be 0 to per_knob, not {longer}")
    group = r.get(node, "group_steps_per_knob", "advice", int, required=False, default=1)
    if not 0 <= group <= per_knob:
        r.problem("advice.group_steps_per_knob", f"must be 0 to per_knob, not {group}")
    leads = r.get(node, "leads", "advice", dict, required=False, default={}) or {}
    for knob_id, factor_id in leads.items():
        if knob_id not in knob_ids:
            r.problem(f"advice.leads.{knob_id}", f"unknown knob '{knob_id}'")
        if factor_id not in factor_ids:
            r.problem(f"advice.leads.{knob_id}", f"unknown factor '{factor_id}'")
    return AdviceRules(per_knob=per_knob, longer_routes_per_knob=longer, leads=dict(leads),
                       group_steps_per_knob=group)


def _scale(r: _Reader, node: Any, path: str) -> Scale:
    low = r.get(node, "min", path, int, default=1)
    high = r.get(node, "max", path, int, default=5)
    if low >= high:
        r.problem(f"{path}.max", f"must be greater than min ({low})")

    def label(entry: Any, where: str) -> ScaleLabel:
        return ScaleLabel(value=r.get(entry, "value", where, int, default=0), label=r.text(entry, "label", where))

    labels = r.items(node, "labels", path, label)
    values = sorted(lbl.value for lbl in labels)
    if labels and values != list(range(low, high + 1)):
        r.problem(f"{path}.labels", f"must give one label for every value {low}..{high}, got {values}")
    return Scale(min=low, max=high, labels=labels, unknown=r.optional_text(node, "unknown", path),
                 not_applicable=r.optional_text(node, "not_applicable", path))


def _scoring_rules(r: _Reader, node: Any, path: str) -> ScoringRules:
    fraction = r.get(node, "min_answered", path, (int, float), default=0.5)
    if not 0 < fraction <= 1:
        r.problem(f"{path}.min_answered", f"must be above 0 and at most 1, not {fraction}")
    bands = r.get(node, "bands", path, dict, default={})
    medium = r.get(bands, "medium", f"{path}.bands", (int, float), default=50)
    high = r.get(bands, "high", f"{path}.bands", (int, float), default=75)
    if not 0 < medium < high <= 100:
        r.problem(f"{path}.bands", f"cut-offs must satisfy 0 < medium < high <= 100, got {medium} and {high}")
    signal_at = r.get(node, "signal_at", path, int, required=False, default=2)
    return ScoringRules(min_answered=float(fraction), medium=float(medium), high=float(high), signal_at=signal_at)


def _questionnaire(r: _Reader, data: dict[str, Any], model: Model) -> Questionnaire:
    audience = r.get(data, "audience", "", str, default="worker")
    if audience not in AUDIENCES:
        r.problem("audience", f"must be one of {', '.join(AUDIENCES)}, not '{audience}'")

    def option(node: Any, path: str) -> Option:
        segments = r.id_list(node, "segments", path)
        for i, seg in enumerate(segments):
            if seg not in model.segment_map:
                r.problem(f"{path}.segments[{i}]", f"unknown segment '{seg}'")
        return Option(value=r.ident(node, "value", path), label=r.text(node, "label", path), segments=segments)

    def profile_question(node: Any, path: str) -> ProfileQuestion:
        options = r.items(node, "options", path, option)
        r.unique(options, "value", f"{path}.options", "option")
        return ProfileQuestion(id=r.ident(node, "id", path), label=r.text(node, "label", path),
                               required=r.get(node, "required", path, bool, required=False, default=True),
                               options=options)

    def item(node: Any, path: str) -> Item:
        knob = r.get(node, "knob", path, str, required=audience == "employer")
        if knob and knob not in model.knob_map:
            r.problem(f"{path}.knob", f"unknown knob '{knob}'")
        # A worker item may leave the factor out when it names a knob (what the employer tells).
        factor = r.get(node, "factor", path, str, required=audience == "employer" or not knob, default="")
        if factor and factor not in model.factor_map:
            r.problem(f"{path}.factor", f"unknown factor '{factor}'")
        signal = r.get(node, "signal", path, str, required=False)
        if signal and signal not in model.signal_map:
            r.problem(f"{path}.signal", f"unknown signal '{signal}'")
        topic = r.get(node, "topic", path, str, required=False)
        if topic and topic not in model.topics:
            r.problem(f"{path}.topic", f"unknown topic '{topic}'")
        return Item(id=r.ident(node, "id", path), text=r.text(node, "text", path),
                    factor=factor or (None if knob else ""), knob=knob,
                    reverse=r.get(node, "reverse", path, bool, required=False, default=False),
                    allow_unknown=r.get(node, "allow_unknown", path, bool, required=False, default=False),
                    signal=signal, reason=r.optional_text(node, "reason", path),
                    not_for=_segment_list(r, node, "not_for", path, model), topic=topic or None,
                    not_applicable_for=_segment_list(r, node, "not_applicable_for", path, model),
                    text_for=_texts_for(r, node, path, model))

    def section(node: Any, path: str) -> Section:
        items = r.items(node, "items", path, item)
        return Section(id=r.ident(node, "id", path), title=r.text(node, "title", path), items=items,
                       intro=r.optional_text(node, "intro", path))

    sections = r.items(data, "sections", "", section)
    profile = r.items(data, "profile", "", profile_question)
    r.unique(sections, "id", "sections", "section")
    r.unique(profile, "id", "profile", "profile question")
    _unique_items(r, sections)
    questionnaire = Questionnaire(
        slug=r.ident(data, "slug", ""), version=str(r.get(data, "version", "", (str, int, float), default="")),
        audience=audience, title=r.text(data, "title", ""), summary=r.text(data, "summary", ""),
        intro=r.text(data, "intro", ""), minutes=r.get(data, "minutes", "", int, default=10),
        scale=_scale(r, r.get(data, "scale", "", dict, default={}), "scale"),
        scoring=_scoring_rules(r, r.get(data, "scoring", "", dict, default={}), "scoring"),
        profile=profile, sections=sections,
    )
    _check_not_applicable(r, questionnaire)
    used = {i.factor for i in questionnaire.items}
    for f in model.factors:
        if f.id not in used:
            r.problem("sections", f"no item measures factor '{f.id}'")
    return questionnaire


def _texts_for(r: _Reader, node: Any, path: str, model: Model) -> dict[str, Text]:
    """An item's ``text_for``: per segment id, the text respondents in it read instead."""
    value = r.get(node, "text_for", path, dict, required=False, default={}) or {}
    for seg in value:
        if seg not in model.segment_map:
            r.problem(f"{path}.text_for.{seg}", f"unknown segment '{seg}'")
    return {str(seg): r.text(value, seg, f"{path}.text_for") for seg in value}


def _check_not_applicable(r: _Reader, q: Questionnaire) -> None:
    """"Does not apply" needs its label, and a scale from 1 up (its stored value 0 is off the scale)."""
    if not any(item.not_applicable_for for item in q.items):
        return
    if q.scale.not_applicable is None:
        r.problem("scale.not_applicable", "is required when an item has not_applicable_for (its label)")
    if q.scale.min <= NOT_APPLICABLE:
        r.problem("scale.min", f"must be above {NOT_APPLICABLE} (the value of 'does not apply')")


def _unique_items(r: _Reader, sections: tuple[Section, ...]) -> None:
    seen: set[str] = set()
    for s, section in enumerate(sections):
        for i, item in enumerate(section.items):
            if item.id and item.id in seen:
                r.problem(f"sections[{s}].items[{i}].id", f"duplicate item id '{item.id}'")
            seen.add(item.id)


def _catalog(r: _Reader, data: dict[str, Any], model: Model) -> Catalog:
    def intervention(node: Any, path: str) -> Intervention:
        knob = r.get(node, "knob", path, str, default="")
        if knob and knob not in model.knob_map:
            r.problem(f"{path}.knob", f"unknown knob '{knob}'")
        addresses = r.id_list(node, "addresses", path, required=True)
        if not 1 <= len(addresses) <= 2 or len(set(addresses)) != len(addresses):
            r.problem(f"{path}.addresses", "must name 1 or 2 different factors")
        for i, f in enumerate(addresses):
            if f not in model.factor_map:
                r.problem(f"{path}.addresses[{i}]", f"unknown factor '{f}'")
        audience = r.get(node, "audience", path, str, default="")
        if audience not in AUDIENCES:
            r.problem(f"{path}.audience", f"must be one of {', '.join(AUDIENCES)}, not '{audience}'")
        effort = r.get(node, "effort", path, str, default="")
        if effort not in EFFORTS:
            r.problem(f"{path}.effort", f"must be one of {', '.join(EFFORTS)}, not '{effort}'")
        segments = _segment_list(r, node, "segments", path, model)
        answers = r.id_list(node, "answers", path)
        only = r.id_list(node, "only_for_signals", path)
        for key, signals in (("answers", answers), ("only_for_signals", only)):
            for i, signal in enumerate(signals):
                if signal not in model.signal_map:
                    r.problem(f"{path}.{key}[{i}]", f"unknown signal '{signal}'")
        topics = r.id_list(node, "topics", path)
        for i, topic in enumerate(topics):
            if topic not in model.topics:
                r.problem(f"{path}.topics[{i}]", f"unknown topic '{topic}'")
        return Intervention(
            id=r.ident(node, "id", path), title=r.text(node, "title", path), text=r.text(node, "text", path),
            knob=knob, addresses=addresses, audience=audience, effort=effort,
            source=r.get(node, "source", path, str, default=""),
            for_segments=_eligibility(r, node, path, model), not_for=_segment_list(r, node, "not_for", path, model),
            segments=segments, pairs_with=r.id_list(node, "pairs_with", path), answers=answers,
            only_for_signals=only, topics=topics,
        )

    interventions = r.items(data, "interventions", "", intervention)
    r.unique(interventions, "id", "interventions", "intervention")
    catalog = Catalog(version=str(r.get(data, "version", "", (str, int, float), default="")),
                      interventions=interventions)
    index = catalog.intervention_map
    for i, iv in enumerate(interventions):
        for j, other_id in enumerate(iv.pairs_with):
            other = index.get(other_id)
            where = f"interventions[{i}].pairs_with[{j}]"
            if other is None:
                r.problem(where, f"unknown intervention '{other_id}'")
            elif other.knob != "backing" or other.audience != iv.audience:
                r.problem(where, f"'{other_id}' must be a backing intervention for the {iv.audience} audience")
        targets = [index[other_id] for other_id in iv.pairs_with if other_id in index]
        if targets and not any(t.for_segments is None and not t.not_for and not t.only_for_signals
                               for t in targets):
            r.problem(f"interventions[{i}].pairs_with",
                      "must name at least one guidance step for everyone (for: all, no not_for)")
    for audience in AUDIENCES:
        for knob_id in model.knob_ids:
            if not any(iv.for_segments is None and not iv.not_for and not iv.only_for_signals
                       for iv in catalog.for_knob(audience, knob_id)):
                r.problem("interventions", f"the {audience} audience needs an intervention for everyone "
                                           f"(for: all, no not_for) on knob '{knob_id}'")
    return catalog


def _segment_list(r: _Reader, node: Any, key: str, path: str, model: Model) -> tuple[str, ...]:
    segments = r.id_list(node, key, path)
    for i, seg in enumerate(segments):
        if seg not in model.segment_map:
            r.problem(f"{path}.{key}[{i}]", f"unknown segment '{seg}'")
    return segments


def _eligibility(r: _Reader, node: Any, path: str, model: Model) -> tuple[str, ...] | None:
    """``for``: ``all`` (``None``: everyone) or a non-empty list of segments; required on every entry."""
    value = node.get("for") if isinstance(node, dict) else None
    if value == "all":
        return None
    if isinstance(value, list) and value:
        return _segment_list(r, node, "for", path, model)
    r.problem(f"{path}.for", "is required: 'all', or the list of segments the text is written for")
    return None


def load_definitions(folder: str | Path) -> Definitions:
    """Load the model, every questionnaire and the catalog from ``folder``.

    Raises :class:`DefinitionError` listing every problem in every file when anything is wrong.
    """
    folder = Path(folder)
    problems: list[Problem] = []

    def reader(name: str) -> _Reader:
        return _Reader(f"{folder.name}/{name}")

    r = reader(MODEL_FILE)
    data = _read_yaml(folder / MODEL_FILE, r)
    if data is None:
        # Every other file refers to the model: without it, its problems would only be noise.
        raise DefinitionError(r.problems)
    model = _model(r, data)
    problems += r.problems
    questionnaires: dict[str, Questionnaire] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name in (MODEL_FILE, CATALOG_FILE, HELP_FILE):
            continue
        r = reader(path.name)
        data = _read_yaml(path, r)
        if data is None:
            problems += r.problems
            continue
        q = _questionnaire(r, data, model)
        if q.slug and q.slug != path.stem:
            r.problem("slug", f"'{q.slug}' must match the file name '{path.stem}'")
        problems += r.problems
        questionnaires[q.slug or path.stem] = q
    r = reader(CATALOG_FILE)
    data = _read_yaml(folder / CATALOG_FILE, r)
    catalog = _catalog(r, data, model) if data is not None else Catalog("", ())
    problems += r.problems
    guide = HelpGuide()
    if (folder / HELP_FILE).exists():
        r = reader(HELP_FILE)
        data = _read_yaml(folder / HELP_FILE, r)
        guide = _help(r, data, model) if data is not None else guide
        problems += r.problems
    if problems:
        raise DefinitionError(problems)
    return Definitions(model=model, catalog=catalog, questionnaires=questionnaires, help=guide)


def _help(r: _Reader, data: dict[str, Any], model: Model) -> HelpGuide:
    """``help.yaml``: routes with ``for`` (required, as in the catalog), ``not_for``, ``answers``."""
    def route(node: Any, path: str) -> HelpRoute:
        answers = r.id_list(node, "answers", path)
        for i, signal in enumerate(answers):
            if signal not in model.signal_map:
                r.problem(f"{path}.answers[{i}]", f"unknown signal '{signal}'")
        link = r.get(node, "link", path, str, required=False)
        if link is not None and not link.startswith("https://"):
            r.problem(f"{path}.link", "must be an https:// address")
        return HelpRoute(id=r.ident(node, "id", path), title=r.text(node, "title", path),
                         text=r.text(node, "text", path), how=r.text(node, "how", path),
                         for_segments=_eligibility(r, node, path, model),
                         not_for=_segment_list(r, node, "not_for", path, model), answers=answers,
                         otherwise=r.optional_text(node, "otherwise", path), link=link)

    routes = r.items(data, "routes", "", route)
    r.unique(routes, "id", "routes", "route")
    if routes and not any(x.for_segments is None and not x.not_for for x in routes):
        r.problem("routes", "needs at least one route for everyone (for: all, no not_for)")
    return HelpGuide(version=str(r.get(data, "version", "", (str, int, float), default="")), routes=routes)
