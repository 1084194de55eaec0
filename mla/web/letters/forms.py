"""Forms and labels of the letters pages: uploading and choosing a template version, field names."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from mla.domain.enums import LetterKind
from mla.i18n import lazy_label
from mla.services.letter_templates import MAX_NOTE
from mla.web.forms import AppForm

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


class TemplateUploadForm(AppForm):
    kind = SelectField(_l("Letter"), validators=[DataRequired()],
                       choices=[(kind.value, lazy_label(kind)) for kind in LetterKind])
    language = SelectField(_l("Language"), validators=[DataRequired()])
    file = FileField(_l("Template (.docx)"), validators=[FileRequired(_l("Choose a .docx file."))])
    note = StringField(_l("What changed"), validators=[Length(max=MAX_NOTE)])


class TemplateChoiceForm(AppForm):
    kind = HiddenField(validators=[DataRequired()])
    language = HiddenField(validators=[DataRequired()])
    version = HiddenField(validators=[DataRequired()])
