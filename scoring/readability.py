"""Readability of the shipped texts: sentences, words per sentence and Flesch-Douma (docs/readability.md).

Words are runs of letters; a hyphen or apostrophe inside a word keeps it one word, numbers do not
count. A sentence ends at ``.``, ``!`` or ``?`` followed by a space and a capital or digit, so that an
abbreviation inside a sentence ("bijv. een") does not split it. Syllables are Dutch vowel groups: every
run of vowels (a e i o u y, with accents) is one syllable, so ij, ie, oe, ou, au, ei, eu, ui, aa, ee,
oo and uu count once ("ij" is read as a vowel); a vowel with a trema (ë, ï ...) starts a new one
(geïnteresseerd: ge-ïn-te-res-seerd). Flesch-Douma reading ease is
``206.835 - 0.93 * words/sentences - 77 * syllables/words``: above 60 reads easily, 45 is fairly hard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .definitions import Definitions, Text

VOWELS = frozenset("aeiouyáàâäéèêëíìîïóòôöúùûü")
TREMA = frozenset("äëïöü")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9À-Ý])")
#: The most words in one sentence: B1 for workers, a little more for employers and HR.
LIMITS = {"worker": 15, "employer": 20}


def syllables(word: str) -> int:
    """The Dutch syllables of ``word`` (at least one), counted by vowel groups."""
    count, in_vowels = 0, False
    for ch in word.lower().replace("ij", "y"):
        if ch in VOWELS:
            if not in_vowels or ch in TREMA:
                count += 1
            in_vowels = True
        else:
            in_vowels = False
    return max(1, count)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, each with at least one word."""
    return [s for s in SENTENCE_END.split(text.strip()) if words(s)]


def flesch_douma(text: str) -> float:
    """Flesch-Douma reading ease of ``text`` (which must hold a word)."""
    found = words(text)
    count = max(1, len(sentences(text)))
    return 206.835 - 0.93 * len(found) / count - 77 * sum(syllables(w) for w in found) / len(found)


@dataclass(frozen=True)
class Measure:
    """The readability of one group of texts."""

    texts: int
    sentences: int
    mean_words: float
    over_limit: float  # the share of sentences with more words than the limit, in percent
    longest: int
    flesch_douma: float


def measure(texts: Iterable[str], limit: int) -> Measure:
    """Measure ``texts`` (one group) against ``limit`` words per sentence; Flesch-Douma over them all."""
    texts = [t for t in texts if words(t)]
    lengths = [len(words(s)) for t in texts for s in sentences(t)]
    if not lengths:
        return Measure(0, 0, 0.0, 0.0, 0, 0.0)
    found = [w for t in texts for w in words(t)]
    ease = 206.835 - 0.93 * len(found) / len(lengths) - 77 * sum(map(syllables, found)) / len(found)
    return Measure(len(texts), len(lengths), sum(lengths) / len(lengths),
                   100 * sum(n > limit for n in lengths) / len(lengths), max(lengths), ease)


def long_sentences(texts: Iterable[str], limit: int) -> list[str]:
    """The sentences of ``texts`` with more than ``limit`` words."""
    return [s for t in texts for s in sentences(t) if len(words(s)) > limit]


@dataclass(frozen=True)
class Group:
    """A group of texts that one audience reads, measured against that audience's limit."""

    name: str
    audience: str
    texts: tuple[Text, ...]

    @property
    def limit(self) -> int:
        return LIMITS[self.audience]


def text_groups(defs: Definitions, items: bool = True) -> list[Group]:
    """Every group of texts a respondent reads, per audience (items only with ``items``)."""
    model, steps = defs.model, defs.catalog.interventions
    groups: list[Group] = []
    if items:
        for q in defs.questionnaires.values():
            texts = [i.text for i in q.items] + [i.reason for i in q.items if i.reason is not None]
            groups.append(Group(f"{q.audience} items", q.audience, tuple(texts)))
    for audience in ("worker", "employer"):
        groups.append(Group(f"{audience} steps", audience,
                            tuple(iv.text for iv in steps if iv.audience == audience)))
    groups.append(Group("worker bands", "worker", tuple(
        t for f in model.factors for t in (f.description, f.strength, *f.bands.values()))))
    groups.append(Group("employer bands", "employer", tuple(
        [t for f in model.factors for t in (f.employer_strength, *f.employer_bands.values())]
        + [t for k in model.knobs for t in k.employer_bands.values()])))
    groups.append(Group("worker knob texts", "worker", tuple(
        k.worker_description for k in model.knobs if k.worker_description is not None)))
    groups.append(Group("employer knob texts", "employer", tuple(k.description for k in model.knobs)))
    for audience in ("worker", "employer"):
        reasons = [t for f in model.factors for band in f.reasons.get(audience, {}).values() for t in band]
        reasons += [s.reasons[audience] for s in model.signals if audience in s.reasons]
        reasons += [k.build[audience] for k in model.knobs if audience in k.build]
        reasons += [t for key, t in model.texts.items() if key.startswith("reason_") and key.endswith(audience)]
        groups.append(Group(f"{audience} reasons", audience, tuple(reasons)))
    routes = [t for r in defs.help.routes for t in (r.text, r.how, r.otherwise) if t is not None]
    routes += [q for f in model.factors for q in f.worker_questions]
    routes += [q for f in model.factors for qs in f.worker_questions_for.values() for q in qs]
    groups.append(Group("help routes", "worker", tuple(routes)))
    return groups

