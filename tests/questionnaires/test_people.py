"""The six people of tests/support/people.py get advice that fits them (the shipped definitions)."""

from __future__ import annotations

import re

import pytest

from scoring import evaluate
from tests.support.people import PEOPLE, answers_of

BY_NAME = {p.name: p for p in PEOPLE}


def advice_of(defs, name: str) -> dict:
    person = BY_NAME[name]
    q = defs.questionnaires[person.slug]
    return evaluate(defs, person.slug, answers_of(person, q), person.profile).to_dict(defs, "nl")


def texts(out: dict) -> list[str]:
    return [f"{r['title']} {r['text']}" for recs in out["advice"].values() for r in recs]


@pytest.mark.parametrize("name", list(BY_NAME))
def test_every_person_gets_one_to_three_steps_per_knob_with_their_own_reasons(defs, name):
    out = advice_of(defs, name)
    reasons = [r["reason"] for recs in out["advice"].values() for r in recs]
    assert all(1 <= len(recs) <= 3 for recs in out["advice"].values())
    assert len(reasons) == len(set(reasons))


def test_the_self_employed_carpenter_is_not_sent_to_an_employer(defs):
    out = advice_of(defs, "Joost")
    for text in texts(out):
        assert not re.search(r"\b(je werkgever|je leidinggevende|uitzendbureau|intercedent)\b", text), text
    assert "leren-als-zelfstandige" in {r["id"] for r in out["advice"]["room"]}


def test_the_nineteen_year_old_agency_worker_gets_no_master_title(defs):
    ids = {r["id"] for recs in advice_of(defs, "Kevin")["advice"].values() for r in recs}
    assert "word-meester-in-je-vak" not in ids
    assert not any("zzp" in text for text in texts(advice_of(defs, "Kevin")))


def test_a_permanent_worker_hears_nothing_for_freelancers_or_agency_workers(defs):
    for text in texts(advice_of(defs, "Fatima")) + texts(advice_of(defs, "Sanne")):
        assert not re.search(r"zzp|zelfstandige|uitzendkracht|intercedent", text), text


def test_a_worker_short_of_time_gets_a_time_step(defs):
    room = advice_of(defs, "Fatima")["advice"]["room"]
    assert room[0]["id"] == "vast-leermoment"
    assert room[0]["reason"] == "Je gaf aan dat je te weinig tijd hebt om te leren."


def test_a_large_care_organisation_with_hr_is_not_treated_as_a_small_firm(defs):
    for text in texts(advice_of(defs, "Zorggroep")):
        assert "Zonder HR" not in text and "kleine organisaties" not in text, text


def test_a_small_firm_without_hr_is_pointed_to_its_fund(defs):
    direction = {r["id"] for r in advice_of(defs, "Metaalbedrijf")["advice"]["direction"]}
    assert "informatie-van-uw-o-en-o-fonds" in direction


def test_a_budget_comes_with_guidance_for_the_employers(defs):
    zorggroep = advice_of(defs, "Zorggroep")["advice"]
    # budget present, backing low: the step that ties them comes first on backing
    assert zorggroep["backing"][0]["id"] == "koppel-budget-aan-begeleiding"
    metaal = advice_of(defs, "Metaalbedrijf")["advice"]
    budget = [r for r in metaal["room"] if r["id"] == "regelingen-van-uw-sectorfonds"]
    assert budget and {r["id"] for r in metaal["backing"]} & {"bied-een-loopbaancoach-aan",
                                                              "koppel-budget-aan-begeleiding"}


def test_an_organisation_that_gives_budgets_is_not_told_to_set_one_up(defs):
    ids = {r["id"] for recs in advice_of(defs, "Zorggroep")["advice"].values() for r in recs}
    assert not ids & {"persoonlijk-opleidingsbudget", "regelingen-van-uw-sectorfonds", "leertijd-onder-werktijd"}


def test_the_agency_worker_gets_a_step_written_for_agency_workers(defs):
    room = advice_of(defs, "Kevin")["advice"]["room"]
    assert room[1]["id"] == "scholing-als-uitzendkracht"
    assert room[1]["reason"] == "Je gaf aan dat er geen geld voor je is om een opleiding te doen."


def test_a_small_firm_gets_one_budget_step_not_two(defs):
    room = {r["id"] for r in advice_of(defs, "Metaalbedrijf")["advice"]["room"]}
    assert len(room & {"persoonlijk-opleidingsbudget", "regelingen-van-uw-sectorfonds"}) == 1


@pytest.mark.parametrize("name", list(BY_NAME))
def test_every_answer_given_as_a_reason_is_about_the_step(defs, name):
    person = BY_NAME[name]
    q = defs.questionnaires[person.slug]
    ev = evaluate(defs, person.slug, answers_of(person, q), person.profile)
    for recs in ev.advice.recommendations.values():
        for rec in recs:
            if rec.reason.item is not None and rec.reason.kind == "answer":
                assert q.item_map[rec.reason.item].topic in rec.intervention.topics
