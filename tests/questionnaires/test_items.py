"""The items of the shipped questionnaires (version 2.0.0): length of the check-up, plain language,
"leidinggevende" for a boss, and "niet van toepassing" on exactly the items that presume a manager or
a workplace, for the self-employed and agency workers.

The sentence splitter and word counter are this file's own (a general readability check of every
text lives elsewhere): a sentence ends at . ! ? or ; followed by a space, or at the end of the text;
a word is a run of letters (a hyphen or apostrophe inside keeps it one word; numbers do not count).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring import load_definitions, score
from scoring.definitions import NOT_APPLICABLE

ROOT = Path(__file__).resolve().parents[2]
WORKER, EMPLOYER = "loopbaan-apk", "leercultuur"
MAX_WORKER_ITEMS = 32  # the check-up stays within about 10 minutes
MAX_WORDS = {WORKER: 15, EMPLOYER: 20}
#: The items that presume a manager or the workplace of an employer (issue 16, each checked): what the
#: employer tells (mot_6, bew_6, mid_7, kan_4), whose business learning is (bew_7), time from the work
#: (mid_1), being allowed to try (kan_1), a manager's help and talk (kan_9, kan_7). kan_6 ("in mijn werk")
#: and kan_8 (valued by employers, by clients for the self-employed) apply to everyone.
BOSS_OR_WORKPLACE = {"mot_6", "bew_6", "bew_7", "mid_1", "mid_7", "kan_1", "kan_4", "kan_9", "kan_7"}
PROFILE = {"sector": "bouw", "age_band": "35_44", "education": "mbo34", "org_size": "1_9"}

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if WORD.search(s)]


def words(text: str) -> list[str]:
    return WORD.findall(text)


def test_sentence_splitter_and_word_counter():
    assert sentences("Een twee. Drie vier! Vijf? Zes; zeven") == ["Een twee.", "Drie vier!", "Vijf?", "Zes;", "zeven"]
    assert sentences("Werk en leren, ook zonder diploma.") == ["Werk en leren, ook zonder diploma."]
    assert words("Ik heb 2 e-mails van m'n leidinggevende.") == ["Ik", "heb", "e-mails", "van", "m'n", "leidinggevende"]


@pytest.fixture(scope="module")
def defs():
    return load_definitions(ROOT / "questionnaires")


def texts_of(q):
    """Every text a respondent reads of an item: its text (and per-segment texts) and its reason."""
    for item in q.items:
        for text in (item.text, *item.text_for.values(), *([item.reason] if item.reason else [])):
            yield item.id, text


def test_the_check_up_has_at_most_32_items(defs):
    assert len(defs.questionnaires[WORKER].items) <= MAX_WORKER_ITEMS


@pytest.mark.parametrize("slug", [WORKER, EMPLOYER])
def test_no_item_sentence_is_too_long(defs, slug):
    """At most 15 words a sentence in the worker's texts, 20 in the employer's, in both languages."""
    limit = MAX_WORDS[slug]
    long = [(item_id, lang, sentence) for item_id, text in texts_of(defs.questionnaires[slug])
            for lang in ("nl", "en") for sentence in sentences(text(lang)) if len(words(sentence)) > limit]
    assert long == []


@pytest.mark.parametrize("slug", [WORKER, EMPLOYER])
def test_no_item_says_baas_or_uses_jargon(defs, slug):
    jargon = re.compile(r"\b(baas|bazen|toegerust|faciliteren|faciliteert|zij-instromers)\b", re.I)
    found = [(item_id, text.nl) for item_id, text in texts_of(defs.questionnaires[slug]) if jargon.search(text.nl)]
    assert found == []
    assert not [(i, t.en) for i, t in texts_of(defs.questionnaires[slug]) if re.search(r"\bboss", t.en, re.I)]


@pytest.mark.parametrize("contract", ["self_employed", "flex"])
def test_the_self_employed_and_agency_workers_may_say_does_not_apply_on_exactly_the_boss_items(defs, contract):
    q = defs.questionnaires[WORKER]
    segments = q.segments_for({**PROFILE, "contract": contract})
    assert {i.id for i in q.items if i.may_not_apply(segments)} == BOSS_OR_WORKPLACE
    assert q.scale.not_applicable.nl == "Niet van toepassing" and q.scale.not_applicable.en == "Does not apply"
    assert q.scale.not_applicable != q.scale.unknown


@pytest.mark.parametrize("contract", ["permanent", "temporary"])
def test_others_are_never_offered_does_not_apply(defs, contract):
    q = defs.questionnaires[WORKER]
    segments = q.segments_for({**PROFILE, "contract": contract})
    assert [i.id for i in q.items if i.may_not_apply(segments)] == []
    assert not any(i.not_applicable_for for i in defs.questionnaires[EMPLOYER].items)


def test_agency_workers_read_their_workplace_or_agency(defs):
    q = defs.questionnaires[WORKER]
    flex = q.segments_for({**PROFILE, "contract": "flex"})
    permanent = q.segments_for({**PROFILE, "contract": "permanent"})
    worded = {i.id for i in q.items if "uitzendbureau" in i.text_in(flex).nl}
    assert worded == {"mot_6", "bew_6", "bew_7", "mid_1", "mid_7", "kan_4", "kan_9", "kan_7"}
    assert not [i.id for i in q.items if "uitzendbureau" in i.text_in(permanent).nl]
    assert q.item_map["kan_8"].text_in(q.segments_for({**PROFILE, "contract": "self_employed"})).nl.startswith(
        "Opdrachtgevers")


def test_reverse_items_are_plain_negatives_without_a_double_negation(defs):
    """A reverse-keyed item has at most one negation, a positive one none (a "not little" is hard to read)."""
    negations = re.compile(r"\b(niet|geen|weinig|nooit|zelden|nauwelijks)\b", re.I)
    for q in defs.questionnaires.values():
        for item in q.items:
            for text in (item.text, *item.text_for.values()):
                found = negations.findall(text.nl)
                assert len(found) <= (1 if item.reverse else 0), (item.id, text.nl)


def test_new_and_split_items_have_new_ids(defs):
    """An id never gets a new meaning: the items split or reworded in 2.0.0 are gone, their parts new."""
    ids = {q.slug: set(q.item_map) for q in defs.questionnaires.values()}
    assert not ids[WORKER] & {"mot_5", "kan_3", "kan_5"}
    assert ids[WORKER] >= {"mot_8", "mot_9", "mot_10", "bew_8", "kan_8", "kan_9"}
    assert not ids[EMPLOYER] & {"ric_1", "ric_5", "rui_3", "rug_2", "rug_5", "rug_6"}
    assert ids[EMPLOYER] >= {"ric_7", "ric_8", "ric_9", "ric_10", "rui_7", "rui_8", "rui_10",
                             "rug_7", "rug_8", "rug_9", "rug_10", "rug_11"}
    assert {q.version for q in defs.questionnaires.values()} == {"2.0.0"}
    q = defs.questionnaires[WORKER]
    assert q.item_map["mot_9"].text.nl == "Ik durf een opleiding te beginnen."
    assert {q.item_map[i].topic for i in ("mot_9", "mot_10")} == {"confidence"}
    assert {q.item_map[i].factor for i in ("mot_9", "mot_10")} == {"motivation"}


def test_does_not_apply_leaves_the_item_out_and_dont_know_counts_as_missing(defs):
    """Opportunities has 7 items. A self-employed worker who answers 5 on kan_2, kan_6 (reverse: 1) and
    kan_8 and "does not apply" on the other four scores 100 on 3 of 3; "don't know" on those four
    instead leaves 3 of 7 answered, below half: no score."""
    q = defs.questionnaires[WORKER]
    segments = q.segments_for({**PROFILE, "contract": "self_employed"})
    answered = {"kan_2": 5, "kan_6": 1, "kan_8": 5}
    gone = {"kan_1", "kan_4", "kan_9", "kan_7"}
    na = score(q, {**answered, **dict.fromkeys(gone, NOT_APPLICABLE)}, ["opportunities"], segments)
    dont_know = score(q, {**answered, **dict.fromkeys(gone)}, ["opportunities"], segments)
    assert na.factors["opportunities"] == type(na.factors["opportunities"])(100.0, "high", 3, 3)
    assert (dont_know.factors["opportunities"].score, dont_know.factors["opportunities"].answered,
            dont_know.factors["opportunities"].items) == (None, 3, 7)
    # A 0 from someone who is not offered "does not apply" is no answer at all (and never a scale point).
    permanent = q.segments_for({**PROFILE, "contract": "permanent"})
    stray = score(q, {**answered, **dict.fromkeys(gone, NOT_APPLICABLE)}, ["opportunities"], permanent)
    assert (stray.factors["opportunities"].answered, stray.factors["opportunities"].items) == (3, 7)
