"""The panels of a request's page that belong to other features: its attachments (with the upload form)
and its letters (with the form that generates one). The request page and the feature's own pages both
show them."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from mla.db import db_session
from mla.documents.catalog import kinds_for, load_catalog
from mla.documents.pdf import soffice_path
from mla.domain.access import may_ask_for_translation
from mla.domain.enums import Role
from mla.domain.filetypes import EXTENSIONS
from mla.i18n import label, language_name, message_text
from mla.models import AssistanceRequest
from mla.services.letters.drafting import list_letters
from mla.services.letters.translations import TRANSLATOR_ROLES
from mla.services.requests.attachments import MAX_DESCRIPTION_LENGTH, list_attachments, megabytes
from mla.web.forms import AppForm

UPLOAD_ROLES = (Role.DRAFTER, Role.DESK, Role.MANAGER)
LETTER_EDITORS = (Role.DRAFTER, Role.DESK, Role.MANAGER)
LAYOUT_CHOICES = [("columns", _l("Side by side, in two columns")), ("separate", _l("As two documents"))]


def language_choices(codes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in codes]


class LetterForm(AppForm):
    kind = SelectField(_l("Letter"), validators=[DataRequired()])
    language = SelectField(_l("Language of the letter"), validators=[DataRequired()])
    second_language = SelectField(_l("Second language, for a bilingual letter"), validators=[Optional()])
    layout = SelectField(_l("Bilingual letter"), choices=LAYOUT_CHOICES, default="columns")


class AttachmentForm(AppForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])
    description = StringField(_l("Description"), validators=[Length(max=MAX_DESCRIPTION_LENGTH)])


def attachment_panel(item: AssistanceRequest) -> dict[str, Any]:
    """What templates/requests/_attachments.html needs, for the request page to pass on."""
    may_upload = current_user.role in UPLOAD_ROLES
    form = AttachmentForm() if may_upload else None
    if form is not None:
        allowed = current_app.config["UPLOAD_ALLOWED_TYPES"]
        form.file.render_kw = {"accept": ",".join(f".{ext}" for code in allowed
                                                  for ext in EXTENSIONS.get(code, ()))}
        form.file.description = _("At most %(limit)s MB: %(types)s.",
                                  limit=megabytes(current_app.config["UPLOAD_MAX_BYTES"]),
                                  types=", ".join(code.upper() for code in allowed))
    return {"attachments": list_attachments(db_session(), item.id), "upload_form": form,
            "may_upload": may_upload}


def letter_form(item: AssistanceRequest) -> LetterForm:
    """The form with the kinds that apply to `item` and the languages of the templates."""
    form = LetterForm()
    kinds = kinds_for(item.direction, item.kind)
    form.kind.choices = [(kind.value, label(kind)) for kind in kinds]
    languages = load_catalog().languages()
    form.language.choices = language_choices(languages)
    form.second_language.choices = [("", _("— one language only —")), *language_choices(languages)]
    if not form.is_submitted():
        form.language.data = item.request_language if item.request_language in languages else (
            item.drafting_language)
    return form


def letter_panel(item: AssistanceRequest, form: LetterForm | None = None) -> dict[str, Any]:
    """What templates/requests/_letters.html needs, for the request page to pass on."""
    may_generate = current_user.role in LETTER_EDITORS
    return {
        "letters": list_letters(db_session(), item) if may_generate else [],
        "letter_form": form or (letter_form(item) if may_generate else None),
        "may_translate": current_user.role in TRANSLATOR_ROLES,
        "may_ask_translation": may_ask_for_translation(current_user, item.stage),
        "pdf_available": soffice_path() is not None,
        "language_label": language_name,
        "warning_text": lambda warning: message_text(warning["message"], warning["params"]),
    }
