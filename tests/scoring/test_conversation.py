"""Conversation questions per factor and knob in model.yaml: optional, 1-4 translated texts each."""

from __future__ import annotations

from scoring import load_definitions
from tests.support.definitions import FIXTURES, edited_copy, problem_lines

BACKING_HIGH = "      high: {nl: Veel steun., en: Much backing.}\n"
MEANS_STRENGTH = "    employer_strength: {nl: Houd het budget vast., en: Keep the budget.}\n"


def test_questions_are_optional_and_load_in_order(tmp_path):
    assert load_definitions(FIXTURES / "defs").model.factor_map["means"].conversation == ()
    folder = edited_copy(tmp_path, [("model.yaml", BACKING_HIGH, BACKING_HIGH + (
        "    conversation:\n"
        "      - {nl: 'Wie helpt je?', en: 'Who helps you?'}\n"
        "      - {nl: 'Wanneer praten we?', en: 'When do we talk?'}\n"))])
    knob = load_definitions(folder).model.knob_map["backing"]
    assert [(t.nl, t.en) for t in knob.conversation] == [
        ('Wie helpt je?', 'Who helps you?'), ('Wanneer praten we?', 'When do we talk?')]


def test_broken_questions_are_reported_with_their_path(tmp_path):
    folder = edited_copy(tmp_path, [
        ("model.yaml", MEANS_STRENGTH, MEANS_STRENGTH + (
            "    conversation:\n"
            "      - {nl: 'Is er tijd?'}\n"
            "      - 'Is er geld?'\n")),
        ("model.yaml", BACKING_HIGH, BACKING_HIGH + "    conversation: []\n"),
    ])
    assert problem_lines(folder) == [
        "defs/model.yaml: factors[2].conversation[0].en: is required (a non-empty text)",
        "defs/model.yaml: factors[2].conversation[1]: must be a mapping, not str",
        "defs/model.yaml: knobs[2].conversation: must not be empty (leave it out instead)",
    ]


def test_at_most_four_questions(tmp_path):
    five = "".join(f"      - {{nl: 'Vraag {i}?', en: 'Question {i}?'}}\n" for i in range(5))
    folder = edited_copy(tmp_path, [("model.yaml", BACKING_HIGH, BACKING_HIGH + "    conversation:\n" + five)])
    assert problem_lines(folder) == ["defs/model.yaml: knobs[2].conversation: must hold at most 4 texts, not 5"]


def test_shipped_model_has_questions_for_every_factor_and_knob():
    model = load_definitions(FIXTURES.parents[1] / "questionnaires").model
    for dim in (*model.factors, *model.knobs):
        assert 2 <= len(dim.conversation) <= 3, dim.id
        assert all("?" in t.nl and "?" in t.en for t in dim.conversation), dim.id
