"""Forms and labels of the letters pages: generating a letter, uploading and choosing a template version."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from mla.domain.enums import LetterKind
from mla.i18n import language_name
from mla.services.letter_templates import MAX_NOTE
from mla.web.forms import AppForm

LETTER_KIND_LABELS = {
    LetterKind.MLA_REQUEST: _l("Request for mutual legal assistance"),
    LetterKind.POLICE_REQUEST: _l("Police-to-police request"),
    LetterKind.SUPPLEMENTARY_REQUEST: _l("Supplementary request (more information)"),
    LetterKind.STATUS_ENQUIRY: _l("Status enquiry"),
    LetterKind.ACKNOWLEDGEMENT: _l("Acknowledgement of receipt"),
    LetterKind.EXECUTION_COVER: _l("Cover letter with the results of execution"),
}
FIELD_LABELS = {
    "requesting_authority": _l("Requesting authority"),
    "conducting_authority": _l("Conducting authority"),
    "addressee": _l("Addressee"),
    "subject_matter": _l("Subject matter"),
    "facts_summary": _l("Summary of the facts"),
    "offences": _l("Offences"),
    "dual_criminality_note": _l("Corresponding offence in the requested State"),
    "purpose": _l("Purpose"),
    "evidence_location_reason": _l("Why the evidence is in the requested State"),
    "deadline_reason": _l("Reason for the deadline"),
    "confidentiality_reason": _l("Reason for confidentiality"),
    "use_restrictions": _l("Limits on use"),
    "victim_protection": _l("Victim protection"),
    "contact_person": _l("Contact person"),
    "details": _l("What is asked"),
    "procedure": _l("Procedures and formalities"),
    "result_note": _l("Result of execution"),
    "signatory_name": _l("Signatory's name"),
    "signatory_position": _l("Signatory's position"),
}
LAYOUT_CHOICES = [("columns", _l("Side by side, in two columns")), ("separate", _l("As two documents"))]


def language_choices(codes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in codes]


class LetterForm(AppForm):
    kind = SelectField(_l("Letter"), validators=[DataRequired()])
    language = SelectField(_l("Language of the letter"), validators=[DataRequired()])
    second_language = SelectField(_l("Second language, for a bilingual letter"), validators=[Optional()])
    layout = SelectField(_l("Bilingual letter"), choices=LAYOUT_CHOICES, default="columns")


class TemplateUploadForm(AppForm):
    kind = SelectField(_l("Letter"), validators=[DataRequired()],
                       choices=[(kind.value, label) for kind, label in LETTER_KIND_LABELS.items()])
    language = SelectField(_l("Language"), validators=[DataRequired()])
    file = FileField(_l("Template (.docx)"), validators=[FileRequired(_l("Choose a .docx file."))])
    note = StringField(_l("What changed"), validators=[Length(max=MAX_NOTE)])


class TemplateChoiceForm(AppForm):
    kind = HiddenField(validators=[DataRequired()])
    language = HiddenField(validators=[DataRequired()])
    version = HiddenField(validators=[DataRequired()])
