"""Six realistic respondents (four workers, two employers) to read the advice with: different contracts,
ages, education, sectors and organisations. docs/advice.md shows their first step per knob, and
tests/questionnaires/test_people.py checks that every step fits them.

Answers are given per factor (the keyed value, 1-5, that every item of the factor gets) with a few
single answers on top (raw values, as the person would tick them; 0 is "niet van toepassing").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.definitions import NOT_APPLICABLE


@dataclass(frozen=True)
class Person:
    name: str
    who: str
    slug: str
    profile: dict[str, str]
    keyed: dict[str, int]
    raw: dict[str, int] = field(default_factory=dict)


PEOPLE = (
    Person("Fatima", "52, verpleegkundige in een groot ziekenhuis, vast contract, mbo 4, 25 jaar in het vak",
           "loopbaan-apk",
           {"sector": "zorg", "age_band": "45_54", "education": "mbo34", "contract": "permanent",
            "experience": "10plus", "org_size": "250plus"},
           {"motivation": 3, "awareness": 2, "means": 3, "opportunities": 3},
           {"mid_2": 5}),  # "naast werk en thuis heb ik te weinig tijd om te leren": helemaal eens
    Person("Kevin", "19, orderpicker via een uitzendbureau, praktijkopleiding, een half jaar in dit werk",
           "loopbaan-apk",
           {"sector": "logistiek", "age_band": "lt25", "education": "practical", "contract": "flex",
            "experience": "lt2", "org_size": "250plus"},
           {"motivation": 2, "awareness": 2, "means": 2, "opportunities": 2},
           {"mot_8": 5}),  # bad experiences with learning at school
    Person("Joost", "47, zelfstandig timmerman (zzp), mbo 3, 20 jaar in het vak",
           "loopbaan-apk",
           {"sector": "bouw", "age_band": "45_54", "education": "mbo34", "contract": "self_employed",
            "experience": "10plus", "org_size": "1_9"},
           {"motivation": 4, "awareness": 3, "means": 3, "opportunities": 3},
           {"mid_3": 1,  # no money for a course
            # no manager, no workplace of an employer: "niet van toepassing"
            **dict.fromkeys(("mot_6", "bew_6", "bew_7", "mid_1", "mid_7", "kan_1", "kan_4", "kan_9", "kan_7"),
                            NOT_APPLICABLE)}),
    Person("Sanne", "31, consultant met een tijdelijk contract, hbo, 6 jaar werkervaring",
           "loopbaan-apk",
           {"sector": "zakelijk", "age_band": "25_34", "education": "hbo_wo", "contract": "temporary",
            "experience": "2_10", "org_size": "50_249"},
           {"motivation": 5, "awareness": 4, "means": 4, "opportunities": 2},
           {"mid_5": 4}),  # finds computers and apps hard
    Person("Zorggroep", "zorgorganisatie, 300 medewerkers, eigen HR-afdeling, veel flex en 45-plussers",
           "leercultuur",
           {"sector": "zorg", "org_size": "250plus", "hr_function": "yes", "flex_share": "quarter_plus",
            "practical_share": "few", "older_share": "quarter_plus"},
           {"motivation": 3, "awareness": 3, "means": 4, "opportunities": 3},
           {"rug_1": 1, "rug_9": 2, "rug_3": 1, "rug_4": 2, "rug_7": 1, "rug_8": 1, "rug_10": 5}),  # little backing
    Person("Metaalbedrijf", "metaalbedrijf, 12 medewerkers, geen HR, vooral praktisch opgeleid",
           "leercultuur",
           {"sector": "techniek", "org_size": "10_49", "hr_function": "no", "flex_share": "few",
            "practical_share": "quarter_plus", "older_share": "few"},
           {"motivation": 2, "awareness": 2, "means": 2, "opportunities": 3}),
)


def answers_of(person: Person, q) -> dict[str, int]:
    """The person's raw answers to every item of ``q``; a knob item without a factor gets the keyed value
    of the factor of the other items on its knob that the person answers lowest (the employer's side)."""
    low, high = q.scale.min, q.scale.max
    answers = {}
    for item in q.items:
        keyed = (person.keyed[item.factor] if item.factor else
                 min(person.keyed[i.factor] for i in q.items_by_knob[item.knob or ""] if i.factor))
        answers[item.id] = low + high - keyed if item.reverse else keyed
    return {**answers, **person.raw}
