"""Forms of the request register: the request in its sections, a stage move, a link."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from mla.web.forms import DEADLINES, EVENT_DATES, AppForm, date_field

LONG_TEXT = 20_000


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text(label: str, max_length: int = LONG_TEXT) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=max_length)])


def _line(label: str, max_length: int = 300) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=max_length)])


class RequestForm(AppForm):
    """The request in the sections a prosecutor recognises (DOMAIN.md §1.6)."""

    version = HiddenField()
    # parties and legal basis
    country_iso2 = SelectField(_l("Partner country"), validators=[DataRequired()])
    office = SelectField(_l("Office"), validators=[Optional()])
    requesting_authority = _text(_l("Requesting authority (name, address, officer, contacts)"), 2000)
    conducting_authority = _text(_l("Authority conducting the proceedings, and its functions"), 2000)
    addressee = _text(_l("Addressee (central or competent authority)"), 2000)
    channel_code = SelectField(_l("Channel"), validators=[Optional()])
    legal_bases = MultiCheckboxField(_l("Legal basis"), validators=[Optional()])
    request_language = SelectField(_l("Language of the request"), validators=[Optional()])
    drafting_language = SelectField(_l("Language the text is written in"), validators=[Optional()])
    # national case and facts
    case_number = _line(_l("National case number"), 60)
    case_stage = SelectField(_l("Stage of the proceedings"), validators=[DataRequired()])
    offence_category = SelectField(_l("Offence category"), validators=[Optional()])
    subject_matter = _text(_l("Subject matter and nature of the proceedings"), 5000)
    facts_summary = _text(_l("Summary of the facts"))
    offences = _text(_l("Offences: legal qualification and applicable provisions"), 5000)
    law_text_annexed = BooleanField(_l("The text of the applicable provisions is annexed"))
    dual_criminality_note = _text(_l("Equivalent offence in the requested State"), 2000)
    purpose = _text(_l("Purpose of the request and its link to the case"), 5000)
    evidence_location_reason = _text(_l("Why the evidence or person is believed to be there"), 5000)
    # urgency and deadline
    urgency = SelectField(_l("Urgency"), validators=[DataRequired()])
    deadline_on = date_field(_l("Deadline"), DEADLINES)
    deadline_reason = _text(_l("Reason for the deadline"), 2000)
    # confidentiality, use, protection
    is_confidential = BooleanField(_l("Keep the request and its contents confidential"))
    confidentiality_reason = _text(_l("Reason for confidentiality"), 2000)
    use_restrictions = _text(_l("Use restrictions accepted or requested"), 2000)
    victim_protection = _text(_l("Victim and witness protection measures requested"), 5000)
    handling_code = SelectField(_l("Handling code"), validators=[Optional()])
    # related requests and contacts
    prior_informal_contact = _text(_l("Prior informal or police contact"), 2000)
    contact_person = _text(_l("Contact person for clarifications"), 1000)
    costs_note = _text(_l("Costs"), 1000)
    # incoming requests
    partner_reference = _line(_l("Partner's reference"), 100)
    received_on = date_field(_l("Date of receipt"), EVENT_DATES)


class MoveForm(AppForm):
    """The data a stage move may need; which fields show depends on the move."""

    version = HiddenField(validators=[InputRequired()])
    note = _text(_l("Note"), 5000)
    transmitted_on = date_field(_l("Date of transmission"), EVENT_DATES)
    channel = SelectField(_l("Channel"), validators=[Optional()])
    outgoing_number = _line(_l("Outgoing number"), 100)
    acknowledged_on = date_field(_l("Date of the acknowledgement"), EVENT_DATES)
    partner_reference = _line(_l("Partner's reference"), 100)
    received_on = date_field(_l("Date of receipt"), EVENT_DATES)
    info_requested = _text(_l("What the partner asks for"), 5000)
    refusal_ground = SelectField(_l("Ground for refusal"), validators=[Optional()])
    reason = _text(_l("Reason"), 5000)
    assignee = SelectField(_l("Executing prosecutor or officer"), validators=[Optional()])
    execute_by = date_field(_l("Execute by"), DEADLINES)
    returned_on = date_field(_l("Date the results were returned"), EVENT_DATES)
    answered_on = date_field(_l("Date of the answer"), EVENT_DATES)
    pending_accepted = BooleanField(_l("Some measures are still pending: record the request as executed "
                                       "all the same"))


class StatusEnquiryForm(AppForm):
    """That a status enquiry was sent: when, under which outgoing number."""

    version = HiddenField(validators=[InputRequired()])
    sent_on = date_field(_l("Date the status enquiry was sent"), EVENT_DATES)
    outgoing_number = _line(_l("Outgoing number"), 100)


class LinkForm(AppForm):
    reference = StringField(_l("Reference of the other request"),
                            validators=[DataRequired(), Length(max=40)])
    kind = SelectField(_l("Kind of link"), validators=[DataRequired()])
