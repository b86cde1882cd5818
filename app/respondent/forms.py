"""WTForms classes built from a definition: the profile, one per section, and a campaign's invite."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs lag
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from scoring import Questionnaire
from scoring.definitions import NOT_APPLICABLE, Item, ProfileQuestion, Section

from ..campaigns.codes import UNKNOWN as UNKNOWN_CODE
from ..campaigns.codes import USED as USED_CODE
from ..campaigns.codes import check as check_personal_code
from ..campaigns.codes import code_hash as personal_code_hash
from ..campaigns.codes import normalise
from ..campaigns.invites import NO_DEPARTMENT, WORKER, Invite
from ..models import Campaign

UNKNOWN = "unknown"
#: The form value of "does not apply" (stored as :data:`~scoring.definitions.NOT_APPLICABLE`).
DOES_NOT_APPLY = "not_applicable"
ANSWER_PREFIX = "a_"
PROFILE_PREFIX = "p_"
#: Up to this many options a profile question is a radio group; more become a select list.
MAX_RADIOS = 6


class PageForm(FlaskForm):
    """Base class; the fields are added per definition."""


def item_choices(q: Questionnaire, item: Item, lang: str, segments: frozenset[str] = frozenset()) -> list[SelectChoice]:
    choices = [SelectChoice(str(lbl.value), lbl.label(lang)) for lbl in q.scale.labels]
    if item.allow_unknown and q.scale.unknown is not None:
        choices.append(SelectChoice(UNKNOWN, q.scale.unknown(lang)))
    if item.may_not_apply(segments) and q.scale.not_applicable is not None:
        choices.append(SelectChoice(DOES_NOT_APPLY, q.scale.not_applicable(lang)))
    return choices


def section_form(q: Questionnaire, section: Section, lang: str,
                 segments: frozenset[str] = frozenset()) -> type[PageForm]:
    """A form with one required radio group per item of ``section``, worded for a respondent in
    ``segments`` (who may be offered "does not apply")."""
    attrs = {
        ANSWER_PREFIX + item.id: RadioField(
            item.text_in(segments)(lang), choices=item_choices(q, item, lang, segments),
            validators=[InputRequired(message=_l("Kies een antwoord bij deze vraag."))],
        )
        for item in section.items
    }
    return type("SectionForm", (PageForm,), attrs)


def _profile_field(question: ProfileQuestion, lang: str):
    choices = [SelectChoice(o.value, o.label(lang)) for o in question.options]
    validators = ([InputRequired(message=_l("Maak een keuze."))] if question.required else [Optional()])
    if len(choices) > MAX_RADIOS:
        choices = [SelectChoice("", _l("Kies…")), *choices]
        return SelectField(question.label(lang), choices=choices, validators=validators)
    return RadioField(question.label(lang), choices=choices, validators=validators)


def profile_form(q: Questionnaire, lang: str) -> type[PageForm]:
    attrs = {PROFILE_PREFIX + pq.id: _profile_field(pq, lang) for pq in q.profile}
    return type("ProfileForm", (PageForm,), attrs)


def answers_from(q: Questionnaire, section: Section, form_data: Mapping[str, str],
                 segments: frozenset[str] = frozenset()) -> dict[str, int | None]:
    """The valid answers among posted values; invalid or missing ones are left out."""
    allowed = {str(lbl.value) for lbl in q.scale.labels}
    answers: dict[str, int | None] = {}
    for item in section.items:
        raw = form_data.get(ANSWER_PREFIX + item.id)
        if raw == UNKNOWN and item.allow_unknown:
            answers[item.id] = None
        elif raw == DOES_NOT_APPLY and item.may_not_apply(segments):
            answers[item.id] = NOT_APPLICABLE
        elif raw in allowed:
            answers[item.id] = int(raw)
    return answers


def _form_value(value: int | None) -> str:
    if value is None:
        return UNKNOWN
    return DOES_NOT_APPLY if value == NOT_APPLICABLE else str(value)


def answer_defaults(section: Section, saved: Mapping[str, int | None]) -> dict[str, str]:
    """Saved answers as form data, so a page shows what was chosen before."""
    return {ANSWER_PREFIX + i.id: _form_value(saved[i.id]) for i in section.items if i.id in saved}


def page_seen(section: Section, saved: Mapping[str, int | None]) -> str:
    """A short digest of the answers ``section`` showed as saved when its page was made (posted back as
    ``seen``): when it no longer matches, another tab or device saved this page since."""
    shown = json.dumps(answer_defaults(section, saved), sort_keys=True)
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


def overwrites_other_tab(section: Section, saved: Mapping[str, int | None],
                         posted: Mapping[str, int | None], seen: str | None) -> bool:
    """Whether saving ``posted`` would silently replace answers saved elsewhere (another tab, another
    device) after this copy of the page was shown: the page changed since (``seen``) and a posted
    answer differs from the saved one. A post without ``seen`` (a page made before it existed) is not
    checked; answers to questions not saved yet never conflict."""
    if seen is None or seen == page_seen(section, saved):
        return False
    return any(item.id in saved and item.id in posted and posted[item.id] != saved[item.id]
               for item in section.items)


def profile_from(form: PageForm, q: Questionnaire) -> dict[str, str]:
    return {pq.id: value for pq in q.profile if (value := getattr(form, PROFILE_PREFIX + pq.id).data)}


class InviteForm(FlaskForm):
    """Fields are set per invite link: the worker link asks for a department (optional); the employer
    link asks nothing (one questionnaire each, so no choice of questionnaire)."""


PERSONAL_CODE_MESSAGES = {
    "format": _l("Deze code klopt niet. Een code heeft 8 tekens, zoals ABCD-EFGH."),
    UNKNOWN_CODE: _l("Deze code hoort niet bij deze vragenlijst. Kijk of je hem goed hebt overgetypt."),
    USED_CODE: _l("Deze code is al gebruikt. Elke persoonlijke code werkt maar één keer."),
}


class PersonalCodeForm(InviteForm):
    """The workers' link of a campaign with personal codes: the code, checked against the campaign."""

    campaign: Campaign
    personal_code_hash: str | None = None

    def validate_code(self, field):
        code = normalise(field.data)
        if code is None:
            raise ValidationError(PERSONAL_CODE_MESSAGES["format"])
        problem = check_personal_code(self.campaign, code)
        if problem:
            raise ValidationError(PERSONAL_CODE_MESSAGES[problem])
        self.personal_code_hash = personal_code_hash(self.campaign.id, code)


def invite_form(invite: Invite) -> InviteForm:
    attrs: dict[str, Any] = {}
    campaign = invite.campaign
    base: type[InviteForm] = InviteForm
    if invite.audience == WORKER and campaign.uses_codes:
        base = PersonalCodeForm
        attrs["campaign"] = campaign
        attrs["code"] = StringField(_l("Je persoonlijke code"), filters=[lambda v: v.strip() if v else v],
                                    validators=[InputRequired(message=_l("Vul je persoonlijke code in.")),
                                                Length(max=20, message=PERSONAL_CODE_MESSAGES["format"])])
    if invite.audience == WORKER and campaign.departments:
        choices = [SelectChoice(str(d.id), d.name) for d in campaign.departments]
        attrs["department"] = RadioField(_l("Bij welke afdeling werk je?"),
                                         choices=[*choices, SelectChoice(NO_DEPARTMENT, _l("Zeg ik liever niet"))],
                                         validators=[Optional()])
    return type("CampaignInviteForm", (base,), attrs)()
