"""The likely duplicates offered on the person form before a new person is saved."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mla.db import db_session
from mla.domain.names import person_names
from mla.models import AssistanceRequest
from mla.services.identities import Duplicate, likely_duplicates
from mla.services.persons import PersonInput
from mla.web.search.forms import DuplicateChoiceForm

DUPLICATE_REASONS = {
    "same_birth_date": _l("same date of birth"),
    "close_birth_date": _l("close date of birth"),
    "no_birth_date": _l("date of birth not recorded on one side"),
}


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
