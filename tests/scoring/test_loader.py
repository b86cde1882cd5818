"""The loader: the fixture loads as written, and every broken copy yields exactly its error lines.

A problem prints as ``<folder name>/<file name>: <field path>: <message>`` (``Problem.__str__``).
The broken folders in ``tests/fixtures/broken/<case>/`` are full copies of ``tests/fixtures/defs``
with deliberate errors; each case asserts the complete list of problems, so an unrelated error
that creeps into a copy fails the test too.
"""

from __future__ import annotations

import pytest

from scoring import DefinitionError, Problem, load_definitions
from scoring.result import REQUIRED_TEXTS
from tests.support.definitions import FIXTURES, edited_copy, problem_lines

BROKEN = FIXTURES / "broken"


# --- the valid fixture ---------------------------------------------------------------------------

def test_fixture_model_loads_as_written(defs):
    model = defs.model
    assert model.version == "1.0.0"
    assert [f.id for f in model.factors] == ["motivation", "awareness", "means", "opportunities"]
    assert [k.id for k in model.knobs] == ["direction", "room", "backing"]
    assert [s.id for s in model.segments] == ["flex", "small_org", "older"]
    assert set(model.texts) == set(REQUIRED_TEXTS)
    assert model.factor_map["means"].label("nl") == "Middelen"
    assert model.factor_map["means"].label("en") == "Means"
    assert model.factor_map["means"].meaning("low", "worker").nl == "Je mist tijd of geld."
    assert model.factor_map["means"].meaning("low", "employer").nl == (
        "Uw mensen missen tijd of geld.")


def test_text_falls_back_to_dutch(defs):
    label = defs.model.factor_map["awareness"].label
    assert (label("nl"), label("en"), label("de")) == ("Bewustzijn", "Awareness", "Bewustzijn")


def test_fixture_questionnaires_load_with_defaults(mini, scan):
    assert (mini.slug, mini.version, mini.audience, mini.minutes) == ("mini", "0.3.0", "worker", 2)
    assert (scan.slug, scan.version, scan.audience) == ("scan", "2.1.0", "employer")
    # items come in section order, across sections
    assert [i.id for i in mini.items] == [
        "mot_1", "mot_2", "bew_1", "bew_2", "mid_1", "mid_2", "mid_3", "mid_4",
        "kan_1", "kan_2", "kan_3", "mot_3",
    ]
    assert {i.id for i in mini.items if i.reverse} == {"mot_2", "bew_2", "mid_2", "kan_3"}
    assert {i.id for i in mini.items if i.allow_unknown} == {"bew_2", "mid_3", "mot_3"}
    assert all(i.knob is None for i in mini.items)
    assert [i.knob for i in scan.items] == ["direction"] * 3 + ["room"] * 3 + ["backing"] * 3
    assert (mini.scale.min, mini.scale.max, scan.scale.min, scan.scale.max) == (1, 5, 1, 4)
    assert mini.scale.unknown.en == "Don't know" and scan.scale.unknown is None
    assert (mini.scoring.min_answered, mini.scoring.medium, mini.scoring.high) == (0.5, 50, 75)
    assert (scan.scoring.medium, scan.scoring.high) == (50, 80)
    # `required` defaults to true
    assert {q.id: q.required for q in mini.profile} == {
        "sector": True, "contract": True, "age_band": True, "org_size": False}
    assert mini.sections[0].intro.nl == "Over zin in leren." and mini.sections[1].intro is None


def test_profile_options_put_respondents_in_segments(mini):
    assert mini.segments_for({}) == frozenset()
    assert mini.segments_for({"contract": "flex", "age_band": "55plus", "org_size": "small"}) == {
        "flex", "older", "small_org"}
    assert mini.segments_for({"contract": "vast", "org_size": "nonsense"}) == frozenset()


def test_fixture_catalog_loads(defs):
    catalog = defs.catalog
    assert catalog.version == "1.1.0"
    assert len(catalog.interventions) == 25
    budget = catalog.intervention_map["w-room-budget"]
    assert (budget.knob, budget.addresses, budget.pairs_with) == (
        "room", ("means",), ("w-back-coach",))
    assert budget.segments == () and budget.effort == "small_step" and budget.source == "fixture"
    assert catalog.intervention_map["w-room-small-flex"].segments == ("small_org", "flex")


# --- broken copies: exact error lines ------------------------------------------------------------

BROKEN_CASES = {
    "unknown_factor": [
        "unknown_factor/mini.yaml: sections[0].items[1].factor: unknown factor 'motivatoin'",
        "unknown_factor/interventions.yaml: interventions[9].addresses[1]: "
        "unknown factor 'motivaton'",
    ],
    "unknown_knob": [
        "unknown_knob/scan.yaml: sections[0].items[1].knob: unknown knob 'richting'",
        "unknown_knob/interventions.yaml: interventions[6].knob: unknown knob 'rooms'",
    ],
    "duplicate_item_id": [
        "duplicate_item_id/mini.yaml: sections[1].items[0].id: duplicate item id 'mot_1'",
        "duplicate_item_id/scan.yaml: sections[2].items[2].id: duplicate item id 'sc_4'",
    ],
    "missing_text": [
        "missing_text/model.yaml: factors[1].label.nl: is required (a non-empty text)",
        "missing_text/mini.yaml: sections[0].items[0].text.en: is required (a non-empty text)",
        # a text of only spaces counts as missing
        "missing_text/interventions.yaml: interventions[9].title.nl: "
        "is required (a non-empty text)",
    ],
    "scale_labels": [
        "scale_labels/mini.yaml: scale.labels: must give one label for every value 1..5, "
        "got [1, 2, 4, 5]",
        "scale_labels/scan.yaml: scale.labels: must give one label for every value 1..4, "
        "got [1, 2, 3, 4, 5]",
    ],
    "bad_bands": [
        "bad_bands/mini.yaml: scoring.bands: cut-offs must satisfy 0 < medium < high <= 100, "
        "got 80 and 70",
        "bad_bands/scan.yaml: scoring.bands: cut-offs must satisfy 0 < medium < high <= 100, "
        "got 50 and 120",
    ],
    "employer_item_without_knob": [
        "employer_item_without_knob/scan.yaml: sections[1].items[1].knob: is required",
    ],
    "pairs_with_not_backing": [
        "pairs_with_not_backing/interventions.yaml: interventions[5].pairs_with[0]: "
        "'w-room-jobcraft' must be a backing intervention for the worker audience",
        # a backing intervention of the other audience does not count either
        "pairs_with_not_backing/interventions.yaml: interventions[15].pairs_with[0]: "
        "'w-back-coach' must be a backing intervention for the employer audience",
    ],
    "unknown_segment": [
        "unknown_segment/mini.yaml: profile[1].options[1].segments[0]: unknown segment 'flexx'",
        "unknown_segment/interventions.yaml: interventions[13].segments[0]: "
        "unknown segment 'senior'",
    ],
    # a file that does not parse is not validated further; the other files are fine
    "invalid_yaml": [
        "invalid_yaml/scan.yaml: line 13: is not valid YAML (mapping values are not allowed here)",
    ],
    # several problems in all four files, reported together in file order
    "several": [
        "several/model.yaml: knobs[1].label.en: is required (a non-empty text)",
        "several/model.yaml: texts.reason_paired_worker: "
        "is required (a sentence template used by the advice)",
        "several/model.yaml: texts.reason_paired_employer: "
        "is required (a sentence template used by the advice)",
        "several/mini.yaml: sections[0].items[1].factor: unknown factor 'motivatoin'",
        "several/mini.yaml: slug: 'mini2' must match the file name 'mini'",
        "several/scan.yaml: sections[1].items[1].knob: is required",
        "several/scan.yaml: scoring.min_answered: must be above 0 and at most 1, not 1.5",
        "several/interventions.yaml: interventions[16].addresses: "
        "must name 1 or 2 different factors",
        "several/interventions.yaml: interventions[11].id: duplicate intervention 'w-back-talk'",
        "several/interventions.yaml: interventions[15].pairs_with[0]: "
        "unknown intervention 'e-back-coaching'",
    ],
}


def test_every_broken_folder_has_a_case():
    folders = {p.name for p in BROKEN.iterdir() if p.is_dir()}
    assert folders == set(BROKEN_CASES)


@pytest.mark.parametrize(("case", "expected"), list(BROKEN_CASES.items()), ids=list(BROKEN_CASES))
def test_broken_definitions_report_exact_lines(case, expected):
    assert problem_lines(BROKEN / case) == expected


def test_all_problems_travel_in_one_error():
    with pytest.raises(DefinitionError) as info:
        load_definitions(BROKEN / "several")
    error = info.value
    assert str(error) == "\n".join(BROKEN_CASES["several"])
    assert {p.file for p in error.problems} == {
        "several/model.yaml", "several/mini.yaml", "several/scan.yaml",
        "several/interventions.yaml"}
    assert error.problems[0] == Problem("several/model.yaml", "knobs[1].label.en",
                                        "is required (a non-empty text)")


def test_unreadable_model_is_the_only_problem(tmp_path):
    folder = edited_copy(tmp_path, [])
    (folder / "model.yaml").write_text("factors: [\n", encoding="utf-8")
    assert problem_lines(folder) == [
        "defs/model.yaml: line 2: is not valid YAML (expected the node content, but found "
        "'<stream end>')"]


# --- more rules, on edited copies in tmp_path (file part "defs/<file>") --------------------------

EDIT_CASES = {
    "bool_is_not_a_number": (
        [("mini.yaml", "  min: 1\n", "  min: true\n")],
        ["defs/mini.yaml: scale.min: must be a whole number, not bool"],
    ),
    "text_for_a_number": (
        [("mini.yaml", "minutes: 2\n", "minutes: twee\n")],
        ["defs/mini.yaml: minutes: must be a whole number, not str"],
    ),
    "invalid_id": (
        [("mini.yaml", "      - id: mid_4\n", "      - id: Mid 4\n")],
        ["defs/mini.yaml: sections[2].items[3].id: 'Mid 4' is not a valid id "
         "(lowercase letters, digits, - and _)"],
    ),
    "missing_version": (
        [("interventions.yaml", 'version: "1.1.0"\n', "")],
        ["defs/interventions.yaml: version: is required"],
    ),
    "scale_max_not_above_min": (
        [("scan.yaml", "  max: 4\n", "  max: 1\n")],
        ["defs/scan.yaml: scale.max: must be greater than min (1)",
         "defs/scan.yaml: scale.labels: must give one label for every value 1..1, "
         "got [1, 2, 3, 4]"],
    ),
    "threshold_zero": (
        [("mini.yaml", "  min_answered: 0.5\n", "  min_answered: 0\n")],
        ["defs/mini.yaml: scoring.min_answered: must be above 0 and at most 1, not 0"],
    ),
    "equal_cut_offs": (
        [("mini.yaml", "{medium: 50, high: 75}", "{medium: 60, high: 60}")],
        ["defs/mini.yaml: scoring.bands: cut-offs must satisfy 0 < medium < high <= 100, "
         "got 60 and 60"],
    ),
    "factor_without_items": (
        [("mini.yaml", "        factor: awareness\n        reverse: true\n",
          "        factor: means\n        reverse: true\n"),
         ("mini.yaml", "how your work changes.\"}\n        factor: awareness\n",
          "how your work changes.\"}\n        factor: means\n")],
        ["defs/mini.yaml: sections: no item measures factor 'awareness'"],
    ),
    "bad_audience_and_effort": (
        [("interventions.yaml",
          "    audience: employer\n    for: all\n    effort: small_step\n    source: fixture\n  # 1\n",
          "    audience: boss\n    for: all\n    effort: tiny\n    source: fixture\n  # 1\n")],
        ["defs/interventions.yaml: interventions[0].audience: "
         "must be one of worker, employer, not 'boss'",
         "defs/interventions.yaml: interventions[0].effort: "
         "must be one of small_step, longer_route, not 'tiny'"],
    ),
    "no_addresses": (
        [("interventions.yaml", "    addresses: [means, opportunities]\n", "    addresses: []\n")],
        ["defs/interventions.yaml: interventions[16].addresses: "
         "must name 1 or 2 different factors"],
    ),
    "duplicate_profile_option": (
        [("mini.yaml", "      - value: techniek\n", "      - value: zorg\n")],
        ["defs/mini.yaml: profile[0].options[1].value: duplicate option 'zorg'"],
    ),
    "missing_file": (
        [],
        ["defs/interventions.yaml: file is missing"],
    ),
}


@pytest.mark.parametrize("case", list(EDIT_CASES))
def test_edited_definitions_report_exact_lines(tmp_path, case):
    edits, expected = EDIT_CASES[case]
    folder = edited_copy(tmp_path, edits)
    if case == "missing_file":
        (folder / "interventions.yaml").unlink()
    assert problem_lines(folder) == expected


def test_problem_without_path_prints_file_and_message():
    missing = Problem("defs/model.yaml", "", "file is missing")
    assert str(missing) == "defs/model.yaml: file is missing"
    assert str(Problem("defs/a.yaml", "x.y", "bad")) == "defs/a.yaml: x.y: bad"


@pytest.mark.parametrize("content", ["- slug: scan\n- version: '1'\n", "just a sentence\n", ""])
def test_top_level_must_be_a_mapping(tmp_path, content):
    folder = edited_copy(tmp_path, [])
    (folder / "scan.yaml").write_text(content, encoding="utf-8")
    assert problem_lines(folder) == ["defs/scan.yaml: must contain a mapping at the top level"]


def test_empty_texts_mapping_is_rejected(tmp_path):
    # an empty mapping must not pass for "no templates needed": the advice needs every one
    model = (FIXTURES / "defs" / "model.yaml").read_text(encoding="utf-8")
    folder = edited_copy(tmp_path, [("model.yaml", model[model.index("texts:"):], "texts: {}\n")])
    assert problem_lines(folder) == [
        f"defs/model.yaml: texts.{key}: is required (a sentence template used by the advice)"
        for key in REQUIRED_TEXTS]


def test_missing_texts_section_is_one_problem(tmp_path):
    model = (FIXTURES / "defs" / "model.yaml").read_text(encoding="utf-8")
    folder = edited_copy(tmp_path, [("model.yaml", model[model.index("texts:"):], "")])
    assert problem_lines(folder) == ["defs/model.yaml: texts: is required"]


def test_non_text_entries_in_id_lists_are_problems_not_crashes(tmp_path):
    folder = edited_copy(tmp_path, [
        ("mini.yaml", "        segments: [older]\n", "        segments: [[older]]\n"),
        ("interventions.yaml", "    segments: [older]\n", "    segments: [{older: 1}]\n"),
        ("interventions.yaml", "    pairs_with: [e-back-coach]\n", "    pairs_with: [19]\n"),
        ("interventions.yaml", "    addresses: [means, opportunities]\n",
         "    addresses: [means, {opportunities: 1}]\n"),
    ])
    assert problem_lines(folder) == [
        "defs/mini.yaml: profile[2].options[1].segments[0]: must be an id (a text), not list",
        "defs/interventions.yaml: interventions[13].segments[0]: must be an id (a text), not dict",
        "defs/interventions.yaml: interventions[15].pairs_with[0]: must be an id (a text), not int",
        "defs/interventions.yaml: interventions[16].addresses[1]: must be an id (a text), not dict",
    ]


def test_topics_must_be_declared_in_the_model(tmp_path):
    folder = edited_copy(tmp_path, [
        ("mini.yaml", "        topic: new_tasks\n", "        topic: new_task\n"),
        ("interventions.yaml", "    topics: [budget]\n", "    topics: [budget, money]\n"),
        ("model.yaml", '  budget: "a training budget"\n', '  budget: ""\n'),
    ])
    assert problem_lines(folder) == [
        "defs/model.yaml: topics.budget: must say in a sentence what the topic is about",
        "defs/mini.yaml: sections[3].items[0].topic: unknown topic 'new_task'",
        "defs/interventions.yaml: interventions[5].topics[1]: unknown topic 'money'",
    ]


# --- "does not apply", per-segment texts, knob items without a factor ----------------------------

MOT_1 = "      - id: mot_1\n        text: {nl: Ik leer graag., en: I like to learn.}\n        factor: motivation\n"


def test_does_not_apply_and_segment_texts_load(tmp_path):
    folder = edited_copy(tmp_path, [
        ("mini.yaml", "  unknown: {nl: Weet ik niet, en: Don't know}\n",
         "  unknown: {nl: Weet ik niet, en: Don't know}\n"
         "  not_applicable: {nl: Niet van toepassing, en: Does not apply}\n"),
        ("mini.yaml", MOT_1, MOT_1 + "        not_applicable_for: [flex]\n"
                                     "        text_for:\n"
                                     "          flex: {nl: Ik leer bij het bureau., en: I learn at the agency.}\n"),
    ])
    q = load_definitions(folder).questionnaires["mini"]
    item = q.item_map["mot_1"]
    assert item.not_applicable_for == ("flex",) and q.scale.not_applicable.nl == "Niet van toepassing"
    assert item.may_not_apply(frozenset({"flex"})) and not item.may_not_apply(frozenset())
    assert item.text_in(frozenset({"flex"})).en == "I learn at the agency."
    assert item.text_in(frozenset({"small_org"})) == item.text


def test_does_not_apply_needs_its_label_and_known_segments(tmp_path):
    folder = edited_copy(tmp_path, [
        ("mini.yaml", MOT_1, MOT_1 + "        not_applicable_for: [freelance]\n"
                                     "        text_for:\n          nobody: {nl: Tekst., en: Text.}\n"),
    ])
    assert problem_lines(folder) == [
        "defs/mini.yaml: sections[0].items[0].not_applicable_for[0]: unknown segment 'freelance'",
        "defs/mini.yaml: sections[0].items[0].text_for.nobody: unknown segment 'nobody'",
        "defs/mini.yaml: scale.not_applicable: is required when an item has not_applicable_for (its label)",
    ]


def test_a_worker_item_may_leave_out_its_factor_only_when_it_names_a_knob(tmp_path):
    knob_only = "      - id: mot_1\n        text: {nl: Ik leer graag., en: I like to learn.}\n        knob: direction\n"
    no_factor = "      - id: mot_1\n        text: {nl: Ik leer graag., en: I like to learn.}\n"
    q = load_definitions(edited_copy(tmp_path / "a", [("mini.yaml", MOT_1, knob_only)])).questionnaires["mini"]
    assert (q.item_map["mot_1"].factor, q.item_map["mot_1"].knob) == (None, "direction")
    assert "mot_1" not in {i.id for i in q.items_by_factor["motivation"]}
    assert problem_lines(edited_copy(tmp_path / "b", [("mini.yaml", MOT_1, no_factor)])) == [
        "defs/mini.yaml: sections[0].items[0].factor: is required"]
