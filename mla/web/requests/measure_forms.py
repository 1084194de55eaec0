"""The forms for a requested measure and for what came of it."""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from mla.domain.enums import MeasureStatus
from mla.i18n import lazy_label
from mla.models import AssistanceType
from mla.services.requests.measures import MAX_TEXT, MeasureInput
from mla.web.forms import EVENT_DATES, AppForm, date_field


def type_label(assistance_type: AssistanceType) -> str:
    """The type's label in the interface language, else in English."""
    labels = assistance_type.labels
    return labels.get(str(get_locale())) or labels.get("en") or assistance_type.code


def type_choices(types: Iterable[AssistanceType]) -> list[tuple[str, str]]:
    return [("", _("— choose —"))] + [(t.code, type_label(t)) for t in types]


class MeasureForm(AppForm):
    version = HiddenField()  # of the measure the edit form was opened on
    assistance_type_code = SelectField(_l("Type of assistance"), validators=[DataRequired()])
    details = TextAreaField(
        _l("What is asked"), validators=[Length(max=MAX_TEXT)],
        description=_l("Bank records: the bank, the account, the period and the kinds of documents. "
                       "Electronic evidence: the identifiers and the date and time ranges with their "
                       "time zone; consider asking for preservation first."))
    procedure = TextAreaField(_l("Procedures and formalities to follow"), validators=[Length(max=MAX_TEXT)],
                              description=_l("For example a sworn statement, the presence of our "
                                             "officers, a list of questions, certified copies."))


def measure_input(form: MeasureForm) -> MeasureInput:
    return MeasureInput(assistance_type_code=form.assistance_type_code.data or "",
                        details=form.details.data or "", procedure=form.procedure.data or "")


class MeasureResultForm(AppForm):
    version = HiddenField()
    status = SelectField(_l("Result"), validators=[DataRequired()], choices=[
        (status.value, lazy_label(status)) for status in MeasureStatus])
    result_note = TextAreaField(_l("Note on the result"), validators=[Length(max=MAX_TEXT)])
    evidence_received_on = date_field(_l("Evidence received on"), EVENT_DATES)
