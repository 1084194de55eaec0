"""Forms and labels of the letters pages: uploading and choosing a template version, field names."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from mla.domain.enums import LetterKind
from mla.i18n import FREE_TEXT_LABELS, lazy_label
from mla.services.letters.templates import MAX_NOTE
from mla.web.forms import AppForm

FIELD_LABELS = FREE_TEXT_LABELS


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
