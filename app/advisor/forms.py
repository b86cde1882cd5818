"""Forms of the advisor workspace (Flask-WTF, so every POST carries a CSRF token)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs lag
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..campaigns.codes import MAX_BATCH
from ..campaigns.service import MAX_DEPARTMENT, parse_departments
from ..forms import DayField, required
from ..models import ORG_SIZES

SIZE_LABELS = {"1_9": _l("1 tot en met 9 mensen"), "10_49": _l("10 tot en met 49 mensen"),
               "50_249": _l("50 tot en met 249 mensen"), "250plus": _l("250 mensen of meer")}


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (rendered as a fieldset, like a radio group)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(message=_l("Vul je e-mailadres in."))])
    password = PasswordField(_l("Wachtwoord"), validators=[InputRequired(message=_l("Vul je wachtwoord in."))])


class OrganisationForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[InputRequired(message=_l("Vul de naam in.")),
                                                Length(max=200, message=_l("Maximaal 200 tekens."))])
    sector = StringField(_l("Sector (mag leeg blijven)"),
                         validators=[Optional(), Length(max=100, message=_l("Maximaal 100 tekens."))])
    size = RadioField(_l("Hoeveel mensen werken er?"), choices=[SelectChoice(s, SIZE_LABELS[s]) for s in ORG_SIZES],
                      validators=[InputRequired(message=_l("Maak een keuze."))])
    advisors = CheckboxesField(_l("Adviseurs van deze organisatie"), coerce=int, choices=[],
                               validate_choice=True)


class CampaignForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[InputRequired(message=_l("Vul een titel in.")),
                                                  Length(max=200, message=_l("Maximaal 200 tekens."))])
    slugs = CheckboxesField(_l("Vragenlijsten"), choices=[])
    opens_on = DayField(_l("Open vanaf"), validators=[InputRequired(message=_l("Vul een geldige datum in."))])
    closes_on = DayField(_l("Open tot en met"),
                          validators=[InputRequired(message=_l("Vul een geldige datum in."))])
    departments = TextAreaField(_l("Afdelingen (mag leeg blijven, één per regel)"),
                                validators=[Length(max=5000, message=_l("Te veel tekst."))])
    uses_codes = BooleanField(_l("Persoonlijke codes gebruiken (elke code werkt één keer)"))

    def validate_slugs(self, field):
        if not field.data:
            raise ValidationError(_l("Kies minstens één vragenlijst."))

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("De einddatum moet op of na de begindatum liggen."))

    def validate_departments(self, field):
        names, error = parse_departments(field.data or "")
        if error and error.startswith("reserved:"):
            raise ValidationError(_l("Een afdeling mag niet '%(name)s' heten: zo heet in de download de groep van "
                                     "alle afdelingen die we niet apart tonen. Kies een andere naam.",
                                     name=error.partition(":")[2]))
        if error:
            raise ValidationError(_l("Een afdelingsnaam mag maximaal %(n)s tekens hebben.", n=MAX_DEPARTMENT))
        self.department_names = names

    def values(self) -> tuple[str, list[str], date, date]:
        """Title, questionnaires, opening and closing day of a validated form (its validators require each)."""
        return (required(self.title.data), required(self.slugs.data), required(self.opens_on.data),
                required(self.closes_on.data))


class EditCampaignForm(CampaignForm):
    """The campaign form for a campaign that may already have responses: what they use must stay."""

    def __init__(self, *args, answered: dict[str, str], used_departments: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.answered = answered  # slug -> title of each questionnaire that has responses
        self.used_departments = used_departments

    def validate_slugs(self, field):
        super().validate_slugs(field)
        kept = [title for slug, title in self.answered.items() if slug not in (field.data or [])]
        if kept:
            raise ValidationError(_l("Deze vragenlijst is al ingevuld en blijft in de campagne: %(names)s.",
                                     names=", ".join(kept)))

    def validate_departments(self, field):
        super().validate_departments(field)
        listed = {name.casefold() for name in self.department_names}
        missing = sorted(name for name in self.used_departments if name.casefold() not in listed)
        if missing:
            raise ValidationError(_l("Deze afdelingen zijn al gekozen door deelnemers en blijven staan: %(names)s.",
                                     names=", ".join(missing)))


class PersonalCodesForm(FlaskForm):
    """How many personal codes to generate at once (a whole number from 1 to ``MAX_BATCH``)."""

    count = StringField(_l("Hoeveel codes wilt u maken?"),
                        validators=[InputRequired(message=_l("Vul een aantal in, van 1 tot en met %(n)s.",
                                                             n=MAX_BATCH)),
                                    Length(max=10, message=_l("Vul een aantal in, van 1 tot en met %(n)s.",
                                                              n=MAX_BATCH))])

    def validate_count(self, field):
        text = (field.data or "").strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_BATCH:
            raise ValidationError(_l("Vul een aantal in, van 1 tot en met %(n)s.", n=MAX_BATCH))
        self.number = int(text)


class ConfirmDeleteForm(FlaskForm):
    """Confirms a deletion; ``confirm`` must be ticked when answers would go with it."""

    confirm = BooleanField(_l("Ja, verwijder ook de ingevulde vragenlijsten"))

    def confirmed(self, answers: int) -> bool:
        """True for a valid POST that may go ahead: ticked when ``answers`` responses would go too."""
        if not self.validate_on_submit():
            return False
        if answers and not self.confirm.data:
            self.confirm.errors = [_l("Zet een vinkje om te bevestigen dat de ingevulde vragenlijsten mee weg gaan.")]
            return False
        return True


class AdvisorForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(message=_l("Vul het e-mailadres in."))])


class ShareForm(FlaskForm):
    code = StringField(_l("Code of link van de uitslag"),
                       validators=[InputRequired(message=_l("Vul de code of de link in.")),
                                   Length(max=300, message=_l("Dit is geen geldige code."))])
