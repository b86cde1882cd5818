"""The five-factor variant in questionnaires/five-factor/ (weten, willen, kunnen, mogen, durven) loads and
follows the content rules; that it works in the app end to end is tested by the ``both_models`` tests
(tests/conftest.py). The model's code is the default's: nothing here is special to five factors."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from scoring import evaluate, load_definitions

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "questionnaires" / "five-factor"
WORKER, EMPLOYER = "loopbaan-apk", "leercultuur"
FACTORS = {"knowing": "Weten", "wanting": "Willen", "able": "Kunnen", "allowed": "Mogen", "daring": "Durven"}
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@pytest.fixture(scope="module")
def defs():
    return load_definitions(FOLDER)  # a DefinitionError would list every problem


@pytest.fixture(scope="module")
def default():
    return load_definitions(ROOT / "questionnaires")


def test_the_folder_loads_with_five_factors_and_the_default_knobs_and_slugs(defs, default):
    assert {f.id: f.label.nl for f in defs.model.factors} == FACTORS
    assert [k.id for k in defs.model.knobs] == [k.id for k in default.model.knobs]
    assert set(defs.questionnaires) == set(default.questionnaires) == {WORKER, EMPLOYER}
    assert {s.id for s in defs.model.segments} == {s.id for s in default.model.segments}
    assert defs.model.advice.leads == {"direction": "knowing"}  # change starts with knowing


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.yaml")), ids=lambda p: p.name)
def test_every_file_has_its_own_version_and_says_what_the_folder_is(path):
    text = path.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["version"] == "1.0.0"
    assert text.startswith("#") and "five-factor" in text.split("\n\n")[0]


@pytest.mark.parametrize("slug", [WORKER, EMPLOYER])
def test_every_factor_has_at_least_four_items_and_a_reverse_one_for_workers(defs, slug):
    q = defs.questionnaires[slug]
    per_factor = {f: [i for i in q.items if i.factor == f] for f in FACTORS}
    assert {f: len(items) for f, items in per_factor.items() if len(items) < 4} == {}
    if q.audience == "worker":
        assert len(q.items) <= 32  # the check-up stays within 10 minutes
        assert [f for f, items in per_factor.items() if not any(i.reverse for i in items)] == []
    else:
        assert all(i.knob for i in q.items)
        assert {k: sum(i.knob == k for i in q.items) for k in ("direction", "room", "backing")} == {
            "direction": 7, "room": 7, "backing": 8}


def test_durven_asks_about_starting_and_speaking_up(defs):
    texts = {i.text.nl for i in defs.questionnaires[WORKER].items if i.factor == "daring"}
    assert {"Ik durf een opleiding te beginnen.", "Ik durf te zeggen wat ik wil leren."} <= texts


def sentences(text: str) -> list[list[str]]:
    return [found for part in re.split(r"(?<=[.!?])\s+", text) if (found := WORD.findall(part))]


def worker_texts(defs):
    """The variant's own worker texts: items and their reasons, and every factor text for workers."""
    for i in defs.questionnaires[WORKER].items:
        yield i.id, i.text.nl
        if i.reason:
            yield f"{i.id}.reason", i.reason.nl
    for f in defs.model.factors:
        yield f"{f.id}.description", f.description.nl
        yield f"{f.id}.strength", f.strength.nl
        yield from ((f"{f.id}.bands.{b}", t.nl) for b, t in f.bands.items())
        yield from ((f"{f.id}.reasons.{b}", t.nl) for b, ts in f.reasons["worker"].items() for t in ts)
        yield from ((f"{f.id}.worker_questions", t.nl) for t in f.worker_questions)
    yield from catalog_texts(defs, "worker")


def catalog_texts(defs, audience):
    for iv in defs.catalog.interventions:
        if iv.audience == audience:
            yield f"{iv.id}.title", iv.title.nl
            yield f"{iv.id}.text", iv.text.nl


def employer_texts(defs):
    for i in defs.questionnaires[EMPLOYER].items:
        yield i.id, i.text.nl
    yield from catalog_texts(defs, "employer")
    for f in defs.model.factors:
        yield f"{f.id}.employer_strength", f.employer_strength.nl
        yield from ((f"{f.id}.employer_bands.{b}", t.nl) for b, t in f.employer_bands.items())
        yield from ((f"{f.id}.reasons.{b}", t.nl) for b, ts in f.reasons["employer"].items() for t in ts)


@pytest.mark.parametrize(("texts", "most"), [(worker_texts, 15), (employer_texts, 20)], ids=["worker", "employer"])
def test_sentences_are_short(defs, texts, most):
    """At most 15 words a sentence for workers, 20 for employers: items, factor texts and the catalog."""
    long = {where: len(s) for where, text in texts(defs) for s in sentences(text.replace("{score}", "50"))
            if len(s) > most}
    assert long == {}


JARGON = ("intercedent", "ervaringscertificaat", "intervisie", "toegerust", "faciliteren", "zij-instromer")


def test_worker_texts_use_no_jargon(defs):
    found = {where: word for where, text in worker_texts(defs) for word in JARGON if word in text.lower()}
    assert found == {}


def test_the_catalog_keeps_the_default_catalogs_groups_and_links(defs, default):
    """A step of both catalogs is for the same audience, knob and groups (``for``/``not_for``) and keeps
    its topics, signals and pairings: only the factors it addresses are the variant's."""
    keep = ("audience", "knob", "for_segments", "not_for", "segments", "topics", "answers", "pairs_with",
            "only_for_signals", "effort")
    ours = defs.catalog.intervention_map
    shared = [iv for iv in default.catalog.interventions if iv.id in ours]
    assert len(shared) >= 40
    assert [iv.id for iv in shared if any(getattr(iv, a) != getattr(ours[iv.id], a) for a in keep)] == []
    assert all(set(iv.addresses) <= set(FACTORS) for iv in ours.values())
    daring = [iv for iv in ours.values() if "daring" in iv.addresses and iv.for_segments is None]
    assert {(iv.audience, iv.knob) for iv in daring} == set(itertools.product(
        ("worker", "employer"), ("direction", "room", "backing")))


def profiles(q):
    """A profile of plain first options, and one more per option that puts a respondent in a group."""
    base = {p.id: p.options[0].value for p in q.profile}
    yield base
    for p in q.profile:
        for option in p.options:
            if option.segments:
                yield base | {p.id: option.value}


@pytest.mark.parametrize("slug", [WORKER, EMPLOYER])
@pytest.mark.parametrize("keyed", [1, 2, 3, 4, 5], ids=lambda v: f"keyed-{v}")
def test_every_knob_has_advice_in_every_band_for_every_group(defs, slug, keyed):
    q = defs.questionnaires[slug]
    answers = {i.id: q.scale.min + q.scale.max - keyed if i.reverse else keyed for i in q.items}
    for profile in profiles(q):
        evaluation = evaluate(defs, slug, answers, profile)
        empty = [k for k, recs in evaluation.advice.recommendations.items() if not recs]
        assert empty == [], (profile, empty)
        assert set(evaluation.advice.recommendations) == {k.id for k in defs.model.knobs}
