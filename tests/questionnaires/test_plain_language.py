"""Plain language and the catalog's reach, over the shipped texts (docs/readability.md).

The rules: no sentence over 15 words in what workers read, none over 20 in what employers read (both
languages); the O&O fund is explained where it is named, never promised, and has one English name
("sector training fund"); jargon is explained in the same text or replaced; "manager" in English; every
knob has a small step for every person the questionnaires can describe, and the groups with steps of
their own (self-employed, agency workers; small firms, firms without HR, firms with many flex workers)
have a small step written for them on every knob; a step written for a group is never shown outside it.

The model, the catalog, help.yaml and the items (loopbaan-apk.yaml, leercultuur.yaml) are checked here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring import evaluate, load_definitions
from scoring.readability import LIMITS, Group, long_sentences, measure, sentences, text_groups, words

LANGS = ("nl", "en")
#: Words that are replaced everywhere (Dutch, English).
REPLACED = {
    "nl": r"\b(intervisie|toegerust|toerusten|faciliteren|faciliteert|zij-instromers?|baas)\b",
    "en": r"\b(boss(es)?|supervisors?|facilitate)\b",
}
#: Jargon that may stay when the same text explains it (word, what the explanation contains).
EXPLAINED = {
    "nl": [(r"\bintercedent", r"contactpersoon|contact bij"),
           (r"ervaringscertificaat", r"\bbewijs\b"),
           (r"Leerwerkloket", r"gratis advies"),
           (r"O&O-fonds", r"opleidingsfonds")],
    "en": [(r"\bintercedent", r"$^"),  # never in English: "agency consultant"
           (r"certificate of experience", r"\bproof\b"),
           (r"Leerwerkloket", r"free advice")],
}
#: Phrases that promise a fund or scheme the person's sector may not have (or that no longer exists).
PROMISES = {
    "nl": r"\b(je|jouw|uw) (O&O-fonds|opleidingsfonds|sectorfonds)|(fonds|O&O-fonds) van (je|jouw|uw) sector"
          r"|\bSTAP\b|STAP-budget",
    "en": r"\b(your|the) (sector )?training fund\b|\bSTAP\b",
}
#: The English names of the O&O fund that are not the one term.
OTHER_FUND_NAMES = r"(?<!sector )training funds?|O&O[ -]funds?|sector fund|sector's training fund|education fund"


SHIPPED = load_definitions(Path(__file__).resolve().parents[2] / "questionnaires")


def groups(items: bool = False) -> list[Group]:
    return text_groups(SHIPPED, items=items)


def units(defs) -> Iterator[tuple[str, str, str]]:
    """(where, lang, text) for every text a respondent reads from the files checked here; a step's or a
    route's texts together, since they are read together."""
    model = defs.model
    for lang in LANGS:
        for iv in defs.catalog.interventions:
            yield iv.id, lang, f"{iv.title(lang)}. {iv.text(lang)}"
        for r in defs.help.routes:
            parts = (r.title, r.text, r.how, r.otherwise)
            yield f"help:{r.id}", lang, " ".join(t(lang) for t in parts if t is not None)
        for group in text_groups(defs, items=False):
            if group.name.endswith("steps") or group.name == "help routes":
                continue
            for n, text in enumerate(group.texts):
                yield f"{group.name}[{n}]", lang, text(lang)
        for thing in (*model.factors, *model.knobs, *model.segments, *model.signals):
            yield f"label:{thing.id}", lang, thing.label(lang)


def item_units(defs) -> Iterator[tuple[str, str, str]]:
    for q in defs.questionnaires.values():
        for item in q.items:
            for lang in LANGS:
                yield item.id, lang, " ".join(t(lang) for t in (item.text, item.reason) if t is not None)


# --- the measures ----------------------------------------------------------------------------------

def test_measure_counts_sentences_words_and_the_share_over_the_limit():
    m = measure(["Een twee drie. Een twee drie vier vijf.", "Kort."], limit=3)
    assert (m.texts, m.sentences, m.longest) == (2, 3, 5)
    assert m.mean_words == pytest.approx(3)
    assert m.over_limit == pytest.approx(100 / 3)
    assert long_sentences(["Een twee drie. Een twee drie vier vijf."], 3) == ["Een twee drie vier vijf."]


def test_every_group_is_measured_and_the_limits_follow_the_audience():
    found = {g.name: g for g in groups(items=True)}
    assert set(found) == {
        "worker items", "employer items", "worker steps", "employer steps", "worker bands", "employer bands",
        "worker knob texts", "employer knob texts", "worker reasons", "employer reasons", "help routes"}
    assert all(g.texts for g in found.values())
    assert {g.name: g.limit for g in found.values()}["help routes"] == LIMITS["worker"] == 15
    assert found["employer steps"].limit == 20


# --- sentence length -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("group", groups(), ids=lambda g: g.name)
def test_no_sentence_is_over_the_limit(group, lang):
    assert long_sentences((t(lang) for t in group.texts), group.limit) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("group", [g for g in groups(items=True) if g.name.endswith("items")],
                         ids=lambda g: g.name)
def test_no_item_sentence_is_over_the_limit(group, lang):
    assert long_sentences((t(lang) for t in group.texts), group.limit) == []


def test_a_step_keeps_its_first_step(defs):
    """Short sentences, but still a concrete first step at the end of every step."""
    for iv in defs.catalog.interventions:
        assert sentences(iv.text.nl)[-1].startswith("Eerste stap: "), iv.id
        assert sentences(iv.text.en)[-1].startswith("First step: "), iv.id


# --- words -----------------------------------------------------------------------------------------

def word_problems(found: Iterator[tuple[str, str, str]]) -> list[str]:
    problems = []
    for where, lang, text in found:
        if m := re.search(REPLACED[lang], text, re.IGNORECASE):
            problems.append(f"{where} ({lang}): replace {m.group(0)!r}")
        for word, explanation in EXPLAINED[lang]:
            if re.search(word, text, re.IGNORECASE) and not re.search(explanation, text, re.IGNORECASE):
                problems.append(f"{where} ({lang}): {word!r} without its explanation")
        if m := re.search(PROMISES[lang], text):
            problems.append(f"{where} ({lang}): promises a scheme: {m.group(0)!r}")
        if lang == "en" and (m := re.search(OTHER_FUND_NAMES, text, re.IGNORECASE)):
            problems.append(f"{where} (en): the O&O fund is a 'sector training fund', not {m.group(0)!r}")
    return problems


def test_jargon_is_explained_or_replaced_and_no_scheme_is_promised(defs):
    assert word_problems(units(defs)) == []


def test_the_items_follow_the_word_rules(defs):
    assert word_problems(item_units(defs)) == []


def test_the_word_rules_catch_what_they_are_for():
    cases = [("x", "nl", "Je baas weet het."), ("x", "nl", "Vraag je intercedent."),
             ("x", "nl", "Vraag je O&O-fonds om geld."), ("x", "en", "Ask your supervisor."),
             ("x", "en", "Ask the O&O fund."), ("x", "nl", "Vraag naar het STAP-budget.")]
    assert [c for c in cases if not word_problems(iter([c]))] == []
    fine = [("x", "nl", "Je intercedent, je contactpersoon bij het bureau, helpt."),
            ("x", "nl", "Veel sectoren hebben een opleidingsfonds: het O&O-fonds. Vraag of er een is."),
            ("x", "en", "Ask whether there is a sector training fund for your work.")]
    assert word_problems(iter(fine)) == []


def test_every_text_about_the_fund_offers_a_way_without_one(defs):
    """Where a worker reads about the O&O fund, it is something to ask about, and the help route for a
    sector without a fund is there."""
    for where, lang, text in units(defs):
        if lang == "nl" and "O&O-fonds" in text:
            assert re.search(r"\b(of er|geen fonds|heeft jouw sector er geen|veel sectoren)\b", text, re.I), where
    routes = {r.id: r for r in defs.help.routes}
    assert all(routes[r].otherwise is not None for r in ("sector_fund", "sector_fund_self_employed"))


def test_employer_bands_say_what_the_organisation_does_by_its_answers(defs):
    texts = [t.nl for f in defs.model.factors for t in f.employer_bands.values()]
    texts += [t.nl for k in defs.model.knobs for t in k.employer_bands.values()]
    assert [t for t in texts if not t.startswith("Volgens uw antwoorden")] == []
    assert not any("Dat komt vaak door" in t.nl for f in defs.model.factors for t in f.bands.values())


# --- the catalog's reach ---------------------------------------------------------------------------

#: Per audience, the groups that have steps written for them on every knob.
OWN_STEPS = {"worker": ("self_employed", "flex"), "employer": ("small_org", "no_hr", "flex")}


def everyone(q) -> set[frozenset[str]]:
    """The segment sets every combination of profile answers puts a respondent in (an optional question
    may stay unanswered)."""
    options = [[o.segments for o in p.options] + ([] if p.required else [()]) for p in q.profile]
    return {frozenset(s for segs in combo for s in segs) for combo in itertools.product(*options)}


def small_steps(defs, audience: str, knob: str, segments: frozenset[str]) -> list[str]:
    return [iv.id for iv in defs.catalog.for_knob(audience, knob)
            if iv.effort == "small_step" and not iv.only_for_signals and iv.eligible(segments)]


def test_every_knob_has_a_small_step_for_everyone(defs):
    missing = [(q.audience, knob, sorted(segs)) for q in defs.questionnaires.values() for segs in everyone(q)
               for knob in defs.model.knob_ids if not small_steps(defs, q.audience, knob, segs)]
    assert missing == []


@pytest.mark.parametrize(("audience", "segment"), [(a, s) for a, segs in OWN_STEPS.items() for s in segs])
def test_the_groups_have_a_small_step_of_their_own_on_every_knob(defs, audience, segment):
    counts = {knob: sum(iv.effort == "small_step" and segment in (iv.for_segments or ())
                        for iv in defs.catalog.for_knob(audience, knob)) for knob in defs.model.knob_ids}
    assert {k: n for k, n in counts.items() if n < 1} == {}


def test_the_works_council_step_is_not_for_small_firms(defs):
    step = defs.catalog.intervention_map["bespreek-de-uitslag-met-de-ondernemingsraad"]
    assert not step.eligible(frozenset({"small_org"})) and step.eligible(frozenset())


@pytest.mark.parametrize("slug", ["loopbaan-apk", "leercultuur"])
def test_a_step_for_a_group_is_never_shown_outside_it(defs, slug):
    """Every profile combination, with every answer low, middling and high: no step (and no help route)
    written for a group reaches anyone outside it, and no step reaches a group it is not for."""
    q = defs.questionnaires[slug]
    scale = q.scale
    seen: set[str] = set()
    for profile in profiles(q):
        for value in (scale.min, (scale.min + scale.max) // 2, scale.max):
            answers = {item.id: value for item in q.items}
            ev = evaluate(defs, slug, answers, profile)
            for recs in ev.advice.recommendations.values():
                for rec in recs:
                    iv = rec.intervention
                    assert iv.eligible(ev.segments), (iv.id, sorted(ev.segments))
                    seen.add(iv.id)
    # the group steps are really shown to their groups (the check is not empty)
    group_steps = {iv.id for iv in defs.catalog.interventions if iv.audience == q.audience and iv.for_segments}
    assert group_steps & seen


def profiles(q) -> Iterator[dict[str, str]]:
    """Every combination of the options that put a respondent in a segment (plus one without)."""
    choices = []
    for p in q.profile:
        with_segments = [o.value for o in p.options if o.segments]
        plain = next((o.value for o in p.options if not o.segments), None)
        choices.append([(p.id, v) for v in with_segments + ([plain] if plain else [])])
    for combo in itertools.product(*choices):
        yield dict(combo)


def test_words_are_counted_as_documented():
    assert words("Je intercedent (je contactpersoon) helpt zzp'ers, 3 keer.") == [
        "Je", "intercedent", "je", "contactpersoon", "helpt", "zzp'ers", "keer"]
