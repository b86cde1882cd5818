"""Properties of score and advise that must hold for any answers (hypothesis).

Each property runs on the fixture definitions and, when they load, on the shipped ones in
questionnaires/ (skipped otherwise; tests/questionnaires reports why they do not load).
"""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import DefinitionError, evaluate, load_definitions, score
from scoring.definitions import NOT_APPLICABLE
from scoring.score import keyed_value

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"fixture": ROOT / "tests" / "fixtures" / "defs", "shipped": ROOT / "questionnaires"}

PROPERTY = settings(deadline=None, max_examples=60,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="session", params=list(SOURCES))
def definitions(request):
    try:
        return load_definitions(SOURCES[request.param])
    except (DefinitionError, OSError) as exc:
        if request.param == "fixture":
            raise
        pytest.skip(f"shipped definitions do not load: {str(exc).splitlines()[0]}")


def questionnaires(definitions):
    return [definitions.questionnaires[slug] for slug in sorted(definitions.questionnaires)]


def factor_ids(definitions) -> list[str]:
    return [f.id for f in definitions.model.factors]


def answers_strategy(q, items=None):
    """Answers to a random subset of ``items`` (default all): a scale value or None."""
    ids = [i.id for i in (q.items if items is None else items)]
    values = st.one_of(st.none(), st.integers(q.scale.min, q.scale.max))
    return st.dictionaries(st.sampled_from(ids), values) if ids else st.just({})


def profile_strategy(q):
    """A valid profile: every required question answered, optional ones sometimes."""
    parts = {}
    for question in q.profile:
        choice = st.sampled_from([o.value for o in question.options])
        parts[question.id] = choice if question.required else st.one_of(st.none(), choice)
    return st.fixed_dictionaries(parts)


def draw_questionnaire(data, definitions):
    return data.draw(st.sampled_from(questionnaires(definitions)), label="questionnaire")


def drawn_evaluation(definitions, data):
    """A drawn questionnaire, answers to it and a profile, and their evaluation: ``(q, answers, profile, ev)``."""
    q = draw_questionnaire(data, definitions)
    answers, profile = data.draw(answers_strategy(q)), data.draw(profile_strategy(q))
    return q, answers, profile, evaluate(definitions, q.slug, answers, profile)


# --- scores --------------------------------------------------------------------------------------

@PROPERTY
@given(data=st.data())
def test_scores_are_within_0_100_or_none(definitions, data):
    q = draw_questionnaire(data, definitions)
    result = score(q, data.draw(answers_strategy(q)), factor_ids(definitions))
    for s in [*result.factors.values(), *result.knobs.values()]:
        if s.score is None:
            assert s.band is None
        else:
            assert 0 <= s.score <= 100
            assert s.band in ("low", "medium", "high")
        assert 0 <= s.answered <= s.items


@PROPERTY
@given(data=st.data())
def test_score_is_the_mean_of_keyed_answers(definitions, data):
    q = draw_questionnaire(data, definitions)
    answers = data.draw(answers_strategy(q))
    low, high = q.scale.min, q.scale.max
    result = score(q, answers, factor_ids(definitions))
    for fid, s in result.factors.items():
        items = [i for i in q.items if i.factor == fid]
        keyed = [(high + low - answers[i.id]) if i.reverse else answers[i.id]
                 for i in items if answers.get(i.id) is not None]
        assert (s.answered, s.items) == (len(keyed), len(items))
        if keyed and len(keyed) >= q.scoring.min_answered * len(items):
            assert s.score == pytest.approx((statistics.fmean(keyed) - low) / (high - low) * 100)
        else:
            assert s.score is None


@PROPERTY
@given(data=st.data())
def test_raising_an_answer_moves_its_scores_in_its_keying_direction(definitions, data):
    q = draw_questionnaire(data, definitions)
    item = data.draw(st.sampled_from([i for i in q.items]), label="item")
    answers = data.draw(answers_strategy(q))
    before = data.draw(st.integers(q.scale.min, q.scale.max - 1), label="before")
    after = data.draw(st.integers(before + 1, q.scale.max), label="after")
    old = score(q, {**answers, item.id: before}, factor_ids(definitions))
    new = score(q, {**answers, item.id: after}, factor_ids(definitions))
    pairs = [] if item.factor is None else [(old.factors[item.factor], new.factors[item.factor])]
    if item.knob is not None:  # a knob item without a factor (what the employer tells) moves only its knob
        pairs.append((old.knobs[item.knob], new.knobs[item.knob]))
    for a, b in pairs:
        assert (a.score is None) == (b.score is None)  # same number answered
        if a.score is not None:
            if item.reverse:
                assert b.score <= a.score + 1e-9
            else:
                assert b.score >= a.score - 1e-9


@PROPERTY
@given(data=st.data())
def test_mirroring_a_factors_answers_mirrors_its_score(definitions, data):
    q = draw_questionnaire(data, definitions)
    fid = data.draw(st.sampled_from(sorted({i.factor for i in q.items if i.factor})), label="factor")
    own = [i for i in q.items if i.factor == fid]
    answers = data.draw(answers_strategy(q))
    mirrored = {k: (q.scale.min + q.scale.max - v
                    if v is not None and q.item_map[k].factor == fid else v)
                for k, v in answers.items()}
    s = score(q, answers, [fid]).factors[fid]
    m = score(q, mirrored, [fid]).factors[fid]
    assert (m.answered, m.items) == (s.answered, s.items) == (m.answered, len(own))
    if s.score is None:
        assert m.score is None
    else:
        assert m.score == pytest.approx(100 - s.score, abs=1e-9)


@PROPERTY
@given(data=st.data())
def test_item_order_in_the_definition_does_not_matter(definitions, data):
    q = draw_questionnaire(data, definitions)
    items = data.draw(st.permutations(q.items), label="order")
    # Rebuild the questionnaire (a new instance, so its item lists are derived from the new sections).
    cut = data.draw(st.integers(0, len(items)), label="cut")
    sections = (dataclasses.replace(q.sections[0], items=tuple(items[:cut])),
                dataclasses.replace(q.sections[-1], id="rest", items=tuple(items[cut:])))
    shuffled = dataclasses.replace(q, sections=sections)
    assert [i.id for i in shuffled.items] == [i.id for i in items]
    answers = data.draw(answers_strategy(q))
    fids = factor_ids(definitions)
    assert score(shuffled, answers, fids) == score(q, answers, fids)


@PROPERTY
@given(data=st.data())
def test_answer_order_does_not_matter(definitions, data):
    q = draw_questionnaire(data, definitions)
    answers = data.draw(answers_strategy(q))
    order = data.draw(st.permutations(list(answers)), label="order")
    reordered = {k: answers[k] for k in order}
    profile = data.draw(profile_strategy(q))
    one = evaluate(definitions, q.slug, answers, profile)
    two = evaluate(definitions, q.slug, reordered, profile)
    assert one == two
    assert one.to_dict(definitions, "nl") == two.to_dict(definitions, "nl")


@PROPERTY
@given(data=st.data())
def test_same_input_same_output(definitions, data):
    q = draw_questionnaire(data, definitions)
    answers = data.draw(answers_strategy(q))
    profile = data.draw(profile_strategy(q))
    lang = data.draw(st.sampled_from(["nl", "en"]))
    first = evaluate(definitions, q.slug, dict(answers), dict(profile)).to_dict(definitions, lang)
    second = evaluate(definitions, q.slug, dict(answers), dict(profile)).to_dict(definitions, lang)
    assert first == second


# --- advice --------------------------------------------------------------------------------------

@PROPERTY
@given(data=st.data())
def test_every_knob_gets_one_to_three_recommendations(definitions, data):
    q, answers, profile, ev = drawn_evaluation(definitions, data)
    assert list(ev.advice.recommendations) == [k.id for k in definitions.model.knobs]
    for knob, recs in ev.advice.recommendations.items():
        assert 1 <= len(recs) <= 3
        ids = [r.intervention.id for r in recs]
        assert len(set(ids)) == len(ids)
        assert all(r.intervention.knob == knob for r in recs)
        assert all(r.intervention.audience == q.audience for r in recs)
    high = [f for f, s in ev.result.factors.items() if s.band == "high"]
    assert sorted(ev.advice.strengths) == sorted(high)


@PROPERTY
@given(data=st.data())
def test_no_recommendation_is_ever_ineligible_for_the_respondent(definitions, data):
    """A step written for a group (``for``) is shown only inside it, never to a ``not_for`` segment."""
    q, answers, profile, ev = drawn_evaluation(definitions, data)
    segments = q.segments_for(profile)
    for recs in ev.advice.recommendations.values():
        for rec in recs:
            iv = rec.intervention
            assert not segments.intersection(iv.not_for), (iv.id, segments)
            assert iv.for_segments is None or segments.intersection(iv.for_segments), (iv.id, segments)


@PROPERTY
@given(data=st.data())
def test_no_two_recommendations_share_a_reason_sentence(definitions, data):
    """Each reason is its own sentence, in both languages, and never the step's title pasted in."""
    q, answers, profile, ev = drawn_evaluation(definitions, data)
    for lang in ("nl", "en"):
        recs = [rec for recs in ev.to_dict(definitions, lang)["advice"].values() for rec in recs]
        reasons = [rec["reason"] for rec in recs]
        assert len(set(reasons)) == len(reasons), reasons
        assert all(rec["title"] not in rec["reason"] for rec in recs)


@PROPERTY
@given(data=st.data())
def test_a_knob_holds_at_most_one_longer_route(definitions, data):
    q, answers, profile, ev = drawn_evaluation(definitions, data)
    limit = definitions.model.advice.longer_routes_per_knob
    for recs in ev.advice.recommendations.values():
        assert sum(r.intervention.effort != "small_step" for r in recs) <= limit


@PROPERTY
@given(data=st.data())
def test_direction_starts_with_awareness_when_awareness_is_not_high(definitions, data):
    q, answers, profile, ev = drawn_evaluation(definitions, data)
    for knob, factor in definitions.model.advice.leads.items():
        figure = ev.result.factors[factor]
        eligible = [iv for iv in definitions.catalog.for_knob(q.audience, knob)
                    if factor in iv.addresses and iv.eligible(q.segments_for(profile))]
        if figure.band != "high" and eligible:
            assert factor in ev.advice.recommendations[knob][0].intervention.addresses


@PROPERTY
@given(data=st.data())
def test_a_budget_step_comes_with_a_guidance_step(definitions, data):
    q, answers, profile, ev = drawn_evaluation(definitions, data)
    chosen = {r.intervention.id for recs in ev.advice.recommendations.values() for r in recs}
    catalog = definitions.catalog.intervention_map
    for recs in ev.advice.recommendations.values():
        for rec in recs:
            if rec.intervention.pairs_with:
                assert chosen.intersection(rec.intervention.pairs_with) or any(
                    in_place(q, answers, ev.segments, catalog[g]) for g in rec.intervention.pairs_with
                ), rec.intervention.id


def in_place(q, answers, segments, iv) -> bool:
    """Whether the answers say ``iv`` is in place: answered on its topics, every answer on the high side."""
    low, high = q.scale.min, q.scale.max
    keyed = [keyed_value(item, answers[item.id], low, high) for item in q.items
             if item.topic in iv.topics and answers.get(item.id) is not None and item.applies_to(segments)]
    return bool(keyed) and min(keyed) >= low + high - q.scoring.signal_at


@PROPERTY
@given(data=st.data())
def test_an_answer_is_only_the_reason_of_a_step_on_its_topic(definitions, data):
    q, answers, profile, ev = drawn_evaluation(definitions, data)
    for recs in ev.advice.recommendations.values():
        for rec in recs:
            if rec.reason.kind == "answer":
                assert q.item_map[rec.reason.item].topic in rec.intervention.topics, rec


@PROPERTY
@given(data=st.data())
def test_no_step_is_recommended_that_the_answers_say_is_in_place(definitions, data):
    q, answers, profile, ev = drawn_evaluation(definitions, data)
    for knob, recs in ev.advice.recommendations.items():
        raised = {signal for signal, _ in ev.advice.signals}
        eligible = [iv for iv in definitions.catalog.for_knob(q.audience, knob) if iv.eligible(ev.segments)
                    and (not iv.only_for_signals or raised.intersection(iv.only_for_signals))]
        if all(in_place(q, answers, ev.segments, iv) for iv in eligible):
            continue  # a knob whose every step is in place still builds on one
        assert not [r.intervention.id for r in recs if in_place(q, answers, ev.segments, r.intervention)]


def _answers_for_keyed(q, keyed: dict[str, int]) -> dict[str, int]:
    """Raw answers that give the wanted keyed value per item (undoing reverse keying)."""
    low, high = q.scale.min, q.scale.max
    return {iid: keyed_value(q.item_map[iid], v, low, high) for iid, v in keyed.items()}


@PROPERTY
@given(data=st.data())
def test_one_weak_factor_is_addressed_first_on_most_knobs(definitions, data):
    q = draw_questionnaire(data, definitions)
    weak = data.draw(st.sampled_from(factor_ids(definitions)), label="weak factor")
    low, high = q.scale.min, q.scale.max
    # the largest keyed value whose score stays below the high cut-off
    below_high = max(v for v in range(low, high + 1)
                     if (v - low) / (high - low) * 100 < q.scoring.high)
    keyed = {}
    for item in q.items:
        if item.factor == weak:
            keyed[item.id] = data.draw(st.integers(low, below_high), label=item.id)
        else:
            keyed[item.id] = high
    profile = data.draw(profile_strategy(q))
    ev = evaluate(definitions, q.slug, _answers_for_keyed(q, keyed), profile)
    assert [f for f, s in ev.result.factors.items() if s.band != "high"] == [weak]
    first_addresses = [recs[0].intervention.addresses
                       for recs in ev.advice.recommendations.values()]
    assert sum(weak in a for a in first_addresses) >= 2, first_addresses


@PROPERTY
@given(data=st.data())
def test_answer_check_flags_exactly_the_bad_answers(definitions, data):
    """check_answers flags each answer that is not a known item's whole number on the scale or
    None, and nothing else."""
    from scoring import check_answers

    q = data.draw(st.sampled_from(questionnaires(definitions)))
    ids = st.sampled_from([i.id for i in q.items]) | st.sampled_from(["no_such_item", "", "mot"])
    values = (st.none() | st.integers(q.scale.min - 2, q.scale.max + 2) | st.booleans()
              | st.floats(allow_nan=False) | st.text(max_size=2) | st.lists(st.integers(), max_size=1))
    answers = data.draw(st.dictionaries(ids, values))
    flagged = {p.field for p in check_answers(q, answers)}

    def bad(item_id, value):
        if item_id not in q.item_map:
            return True
        if value is None:
            return False
        if type(value) is int and value == NOT_APPLICABLE and q.item_map[item_id].not_applicable_for:
            return False  # "does not apply", on an item that offers it (to some segment: none given here)
        return type(value) is not int or not q.scale.min <= value <= q.scale.max

    assert flagged == {f"answers.{item_id}" for item_id, value in answers.items() if bad(item_id, value)}


@PROPERTY
@given(data=st.data())
def test_does_not_apply_scores_as_if_the_item_did_not_apply(definitions, data):
    """Answering "does not apply" (0) on items that offer it to the respondent gives the scores of the
    same answers without those items, the items marked ``not_for`` the respondent: left out of the score
    and of the count; never a scale point, never a missing answer."""
    offering = [(q, i) for q in questionnaires(definitions) for i in q.items if i.not_applicable_for]
    if not offering:
        return  # the fixture's questionnaires offer it nowhere
    q = offering[0][0]
    candidates = [i for i in q.items if i.not_applicable_for]
    chosen = data.draw(st.lists(st.sampled_from(candidates), unique_by=lambda i: i.id), label="does not apply")
    segment = data.draw(st.sampled_from(sorted({s for i in candidates for s in i.not_applicable_for})))
    segments = frozenset({segment})
    chosen = [i for i in chosen if i.may_not_apply(segments)]
    answers = data.draw(answers_strategy(q))
    with_na = {**answers, **dict.fromkeys((i.id for i in chosen), NOT_APPLICABLE)}
    without = {k: v for k, v in answers.items() if k not in {i.id for i in chosen}}
    left_out = dataclasses.replace(q, sections=tuple(
        dataclasses.replace(s, items=tuple(dataclasses.replace(i, not_for=(segment,)) if i in chosen else i
                                           for i in s.items)) for s in q.sections))
    fids = factor_ids(definitions)
    assert score(q, with_na, fids, segments) == score(left_out, without, fids, segments)
