"""The likely duplicates offered on the person form before a new person is saved, the form part where
the user chooses among them, and why each was offered (also on the search pages)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, IntegerField
from wtforms.validators import NumberRange, Optional

from mla.db import db_session
from mla.domain.names import person_names
from mla.models import AssistanceRequest
from mla.services.persons.editing import PersonInput
from mla.services.persons.identities import Duplicate, likely_duplicates
from mla.web.forms import AppForm
from mla.web.helpers import MAX_ID

DUPLICATE_REASONS = {
    "same_birth_date": _l("same date of birth"),
    "close_birth_date": _l("close date of birth"),
    "no_birth_date": _l("date of birth not recorded on one side"),
}


class DuplicateChoiceForm(AppForm):
    """Part of the person form: the likely duplicates were shown (`duplicates_checked`), and which one,
    if any, the user says is the same person (`same_as`)."""

    class Meta:
        csrf = False  # the person form around it carries the token

    duplicates_checked = HiddenField()
    same_as = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])

    @property
    def was_shown(self) -> bool:
        return self.duplicates_checked.data == "1"

    @property
    def chosen(self) -> int | None:
        return self.same_as.data if self.validate() else None


def duplicate_reason(reason: str) -> str:
    return str(DUPLICATE_REASONS.get(reason, ""))


def offered_duplicates(choice: DuplicateChoiceForm, item: AssistanceRequest,
                       data: PersonInput) -> list[Duplicate]:
    """Records in other requests that are likely the person about to be added; none once the user has
    seen them and chosen (the form then carries duplicates_checked=1)."""
    if choice.was_shown:
        return []
    names = person_names(data.name_original, data.name_cyrillic, data.name_latin, data.aliases)
    return likely_duplicates(db_session(), actor=current_user, names=names, birth_date=data.birth_date,
                             exclude_request_id=item.id)
