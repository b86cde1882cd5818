"""help.yaml and scoring/help.py: who can help a worker (by contract and situation), and the questions
for the talk (from the weakest factors); loaded and validated like the other definitions."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from scoring import DimensionScore, load_definitions
from scoring.help import MAX_QUESTIONS, MIN_QUESTIONS, help_routes, worker_questions
from tests.support.definitions import FIXTURES, problem_lines

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture(scope="module")
def shipped():
    return load_definitions(SHIPPED)


def ids(routes) -> list[str]:
    return [r.id for r in routes]


def test_the_routes_that_exist_for_everyone_are_there(shipped):
    everyone = ids(help_routes(shipped.help, frozenset()))
    assert {"leerwerkloket", "union", "sector_fund"} <= set(everyone)
    assert "intercedent" not in everyone and "career_adviser" not in everyone
    fund = shipped.help.routes[[r.id for r in shipped.help.routes].index("sector_fund")]
    assert "O&O-fonds" in fund.text.nl and fund.otherwise is not None  # a sector without a fund


def test_a_self_employed_worker_never_sees_the_agency_route(shipped):
    routes = ids(help_routes(shipped.help, frozenset({"self_employed"}), ["no_money", "no_one_to_talk_to"]))
    assert "intercedent" not in routes and "manager" not in routes and "sector_fund" not in routes
    assert routes[0] == "career_adviser" and "sector_fund_self_employed" in routes


def test_an_agency_worker_sees_the_intercedent_first(shipped):
    routes = ids(help_routes(shipped.help, frozenset({"flex", "practical"})))
    assert routes[0] == "intercedent"
    assert "career_adviser" not in routes and "sector_fund_self_employed" not in routes


@pytest.mark.parametrize("segments", [frozenset(), frozenset({"flex"}), frozenset({"self_employed"}),
                                      frozenset({"young", "small_org"})])
def test_a_route_written_for_a_group_is_shown_only_inside_it(shipped, segments):
    for route in help_routes(shipped.help, segments):
        assert route.for_segments is None or segments & set(route.for_segments)
        assert not segments & set(route.not_for)


def test_a_raised_signal_brings_its_routes_forward(shipped):
    plain = ids(help_routes(shipped.help, frozenset()))
    money = ids(help_routes(shipped.help, frozenset(), ["no_money"]))
    assert money.index("sector_fund") < plain.index("sector_fund")


def scores(**bands) -> dict[str, DimensionScore]:
    values = {"low": 25.0, "medium": 60.0, "high": 90.0}
    return {f: DimensionScore(values[b], b, 4, 4) for f, b in bands.items()}


def test_questions_come_from_the_weakest_factors(shipped):
    model = shipped.model
    one_weak = worker_questions(model, scores(motivation="high", awareness="high", means="low",
                                              opportunities="high"), 75)
    assert list(one_weak) == list(model.factor_map["means"].worker_questions)
    two = worker_questions(model, scores(motivation="medium", awareness="high", means="low",
                                         opportunities="high"), 75)
    means, motivation = model.factor_map["means"].worker_questions, model.factor_map["motivation"].worker_questions
    assert two[0] == means[0] and two[1] == motivation[0] and set(two) <= set(means) | set(motivation)


@pytest.mark.parametrize("bands", [("low",) * 4, ("high",) * 4, ("medium", "high", "high", "high"),
                                   ("low", "medium", "low", "high")])
def test_three_to_five_questions_always(shipped, bands):
    found = worker_questions(shipped.model, scores(**dict(zip(shipped.model.factor_ids, bands, strict=True))), 75)
    assert MIN_QUESTIONS <= len(found) <= MAX_QUESTIONS
    assert len(set(found)) == len(found)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def test_worker_texts_are_short_sentences(shipped):
    """B1: every sentence a worker reads here has at most 15 words, in Dutch and in English."""
    texts = [t for r in shipped.help.routes for t in (r.title, r.text, r.how, r.otherwise) if t is not None]
    texts += [q for f in shipped.model.factors for q in f.worker_questions]
    texts += [k.worker_description for k in shipped.model.knobs if k.worker_description is not None]
    assert len(texts) > 30
    for text in texts:
        for lang in ("nl", "en"):
            for sentence in sentences(text(lang)):
                assert len(sentence.split()) <= 15, sentence


def test_every_factor_has_worker_questions_and_every_knob_worker_words(shipped):
    for factor in shipped.model.factors:
        assert 3 <= len(factor.worker_questions) <= 5
        assert all(q.nl.endswith("?") and q.en.endswith("?") for q in factor.worker_questions)
    for knob in shipped.model.knobs:
        assert knob.describe("worker") != knob.description  # not the employer's words
        assert knob.describe("employer") == knob.description


def with_help(tmp_path, text: str) -> Path:
    folder = tmp_path / "defs"
    shutil.copytree(FIXTURES / "defs", folder)
    (folder / "help.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_folder_without_help_yaml_loads_without_routes():
    assert load_definitions(FIXTURES / "defs").help.routes == ()


def test_help_yaml_is_not_read_as_a_questionnaire(shipped):
    assert "help" not in shipped.questionnaires


ROUTE = """
  - id: {id}
    {for_line}
    title: {{nl: "Titel", en: "Title"}}
    text: {{nl: "Tekst.", en: "Text."}}
    how: {{nl: "Zo.", en: "Like this."}}
"""


def test_broken_help_yaml_names_every_problem(tmp_path):
    text = "version: '1'\nroutes:" + ROUTE.format(id="a", for_line="for: [nobody]") + """
  - id: b
    title: {nl: "Titel"}
    text: {nl: "Tekst.", en: "Text."}
    how: {nl: "Zo.", en: "Like this."}
    answers: [no_such_signal]
    link: "http://example.org"
"""
    lines = problem_lines(with_help(tmp_path, text))
    assert lines == [
        "defs/help.yaml: routes[0].for[0]: unknown segment 'nobody'",
        "defs/help.yaml: routes[1].answers[0]: unknown signal 'no_such_signal'",
        "defs/help.yaml: routes[1].link: must be an https:// address",
        "defs/help.yaml: routes[1].title.en: is required (a non-empty text)",
        "defs/help.yaml: routes[1].for: is required: 'all', or the list of segments the text is written for",
    ]


def test_help_yaml_needs_a_route_for_everyone(tmp_path):
    text = "version: '1'\nroutes:" + ROUTE.format(id="a", for_line="for: [flex]")
    assert problem_lines(with_help(tmp_path, text)) == [
        "defs/help.yaml: routes: needs at least one route for everyone (for: all, no not_for)"]


def test_a_valid_help_yaml_loads(tmp_path):
    text = "version: '1'\nroutes:" + ROUTE.format(id="a", for_line="for: all")
    guide = load_definitions(with_help(tmp_path, text)).help
    assert ids(guide.routes) == ["a"] and guide.routes[0].how.en == "Like this."


def test_a_self_employed_worker_gets_questions_without_an_employer(shipped):
    """No "here", no working hours, no employer's money for someone who works for clients."""
    bands = dict(zip(shipped.model.factor_ids, ["low"] * len(shipped.model.factor_ids), strict=True))
    general = worker_questions(shipped.model, scores(**bands), 75)
    own = worker_questions(shipped.model, scores(**bands), 75, frozenset({"self_employed"}))
    employer_words = ("hier", "werktijd", "geld voor een cursus")
    assert any(word in q.nl for q in general for word in employer_words)  # what the variant is for
    assert not any(word in q.nl for q in own for word in employer_words)
    assert MIN_QUESTIONS <= len(own) <= MAX_QUESTIONS
    assert all(len(q.nl.split()) <= 15 and q.nl.endswith("?") for f in shipped.model.factors
               for qs in f.worker_questions_for.values() for q in qs)


def test_worker_questions_for_an_unknown_segment_are_refused(tmp_path):
    from tests.support.definitions import edited_copy

    folder = edited_copy(tmp_path, [("model.yaml", "  - id: motivation\n", """  - id: motivation
    worker_questions_for:
      nobody:
        - {nl: "Vraag?", en: "Question?"}
""")])
    assert "defs/model.yaml: factors[0].worker_questions_for.nobody: unknown segment 'nobody'" in problem_lines(folder)
