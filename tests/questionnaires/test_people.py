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
    for name in ("Zorggroep", "Metaalbedrijf"):
        out = advice_of(defs, name)
        assert out["advice"]["backing"][0]["id"] == "koppel-budget-aan-begeleiding"
