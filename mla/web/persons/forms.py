"""The form for a person named in a request."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from mla.domain.enums import PersonRole
from mla.i18n import lazy_label
from mla.services.persons.editing import PersonInput
from mla.web.forms import BIRTH_DATES, AppForm, date_field


class PersonForm(AppForm):
    version = HiddenField()  # of the person the edit form was opened on
    role = SelectField(_l("Role"), choices=[(role.value, lazy_label(role)) for role in PersonRole],
                       validators=[DataRequired()])
    name_original = StringField(_l("Name in the original script"),
                                validators=[DataRequired(), Length(max=300)])
    name_latin = StringField(_l("Name in Latin script"), validators=[Length(max=300)])
    name_cyrillic = StringField(_l("Name in Cyrillic script"), validators=[Length(max=300)])
    patronymic = StringField(_l("Patronymic"), validators=[Length(max=200)])
    parents_names = StringField(_l("Parents' names"), validators=[Length(max=300)])
    aliases = TextAreaField(_l("Other names and spellings"), validators=[Length(max=5000)])
    birth_date = date_field(_l("Date of birth"), BIRTH_DATES)
    birth_place = StringField(_l("Place of birth"), validators=[Length(max=200)])
    nationality = StringField(_l("Nationality"), validators=[Length(max=100)])
    gender = SelectField(_l("Gender"), validators=[Optional()], choices=[
        ("", _l("— not stated —")), ("female", _l("Female")), ("male", _l("Male"))])
    id_documents = TextAreaField(_l("Identity documents (type, number, issuer)"),
                                 validators=[Length(max=5000)])
    address = TextAreaField(_l("Address"), validators=[Length(max=5000)])
    is_child = BooleanField(_l("Child (under 18)"))
    victim_language = StringField(_l("Language the person understands"), validators=[Length(max=16)],
                                  description=_l("A language code such as uz, ru or fa_AF."))
    is_protected = BooleanField(_l("Protected person: keep the identity out of the letter"))
    pseudonym = StringField(_l("Pseudonym"), validators=[Length(max=100)],
                            description=_l("Left empty, a protected person is called P-1, P-2 and so on."))
    disclose_identity = BooleanField(_l("Disclose the identity to the partner authority"))
    disclosure_reason = TextAreaField(_l("Reason for disclosing the identity"),
                                      validators=[Length(max=5000)])


def person_input(form: PersonForm) -> PersonInput:
    """What the user typed, as the service takes it."""
    texts = {name: getattr(form, name).data or "" for name in (
        "name_original", "name_latin", "name_cyrillic", "patronymic", "parents_names", "birth_place",
        "nationality", "id_documents", "address", "gender", "pseudonym", "disclosure_reason",
        "victim_language", "aliases")}
    return PersonInput(role=PersonRole(form.role.data), birth_date=form.birth_date.data,
                       is_protected=form.is_protected.data, disclose_identity=form.disclose_identity.data,
                       is_child=form.is_child.data, **texts)
