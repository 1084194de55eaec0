"""The base of every form: WTForms' own messages ("This field is required.") come from the app's
catalogs, because WTForms ships no Tajik, Uzbek or Dari translations and its Russian ones use other terms;
the one date field every form uses, with the bounds suited to its kind of date; and the error summary
a refused form shows at the top of its page."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date, get_translations, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from jinja2 import pass_context
from jinja2.runtime import Context
from wtforms import DateField, Field, HiddenField
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import ListWidget

from mla.domain.errors import N_
from mla.web.helpers import now_utc


class CatalogTranslations:
    """The gettext interface WTForms calls, answered from the interface language's catalog.
    ngettext goes to the catalog directly: Flask-Babel's ngettext would format the text with
    `num`, while WTForms formats it itself with its own names (%(min)d, %(max)d)."""

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


CATALOG_TRANSLATIONS = CatalogTranslations()


class AppForm(FlaskForm):
    # The heading of the error summary when the form is refused (base.html).
    refused_heading = _l("Not saved")

    class Meta:
        def get_translations(self, form: FlaskForm) -> CatalogTranslations:
            return CATALOG_TRANSLATIONS


@dataclass(frozen=True)
class FieldError:
    """One line of the error summary: the field's label and message, and the id of the control the
    line's link moves to (None, and no label, for a field the user cannot see: a hidden one, the
    CSRF token)."""

    label: str
    message: str
    target: str | None


@dataclass(frozen=True)
class ErrorSummary:
    heading: str
    errors: tuple[FieldError, ...]


def _target(field: Field) -> str | None:
    if isinstance(field, HiddenField) or field.type == "CSRFTokenField":
        return None
    if isinstance(field, SelectFieldBase) and isinstance(field.widget, ListWidget):  # the first box
        first = next(iter(field), None)
        return first.id if first is not None else field.id
    return field.id


def form_errors(form: FlaskForm) -> tuple[FieldError, ...]:
    """The messages of a refused form, field by field in the form's order, then its own."""
    found = [FieldError(str(field.label.text) if target else "", str(message), target)
             for field in form if field.errors for target in [_target(field)] for message in field.errors]
    return (*found, *(FieldError("", str(message), None) for message in form.form_errors))


def summary_of(values: Mapping[str, object]) -> ErrorSummary | None:
    """The error summary of every form among `values` that holds an error; None when none does."""
    made = [value for value in values.values() if isinstance(value, ErrorSummary) and value.errors]
    if made:  # a page whose boxes are not a WTForms form builds its summary itself
        return made[0]
    forms: list[FlaskForm] = []
    for value in values.values():
        if isinstance(value, FlaskForm) and all(value is not seen for seen in forms):
            forms.append(value)
    refused = [(form, form_errors(form)) for form in forms]
    refused = [(form, errors) for form, errors in refused if errors]
    if not refused:
        return None
    heading = getattr(refused[0][0], "refused_heading", AppForm.refused_heading)
    return ErrorSummary(str(heading), tuple(error for _form, errors in refused for error in errors))


@pass_context
def error_summary(context: Context) -> ErrorSummary | None:
    """The summary base.html puts at the top of a page whose forms were refused: every form the view
    handed the template counts (or the summary it made), so no page has to ask for it."""
    return summary_of(context.get_all())


def required_text(field: Field) -> str:
    """The text of a field that validated with DataRequired. WTForms types a text field's data as
    `str | None`; None (a field the request did not send) never passes DataRequired, so a view reads
    this only after the form validated."""
    if not isinstance(field.data, str):
        raise TypeError(f"{field.name} was read before its form validated")
    return field.data


@dataclass(frozen=True)
class DateRange:
    """The dates a kind of date field accepts: from `first` to `days_ahead` days after today."""

    first: date
    days_ahead: int

    def last(self, today: date) -> date:
        return today + timedelta(days=self.days_ahead)


# Something that has happened (a receipt, a transmission, an acknowledgement): not before the
# oldest case anyone still tracks, and at most tomorrow, as today is already tomorrow further east.
EVENT_DATES = DateRange(date(1950, 1, 1), days_ahead=1)
BIRTH_DATES = DateRange(date(1900, 1, 1), days_ahead=0)
DEADLINES = DateRange(date(1950, 1, 1), days_ahead=5 * 366)
# The ends of a period to search: any date a record could carry.
SEARCH_DATES = DateRange(date(1900, 1, 1), days_ahead=5 * 366)


class DateWithin:
    """Refuse a date outside `dates` with a message that names the bounds; the typed text stays."""

    def __init__(self, dates: DateRange) -> None:
        self.dates = dates

    def __call__(self, form: FlaskForm, field: Field) -> None:
        last = self.dates.last(now_utc().date())
        if field.data is not None and not self.dates.first <= field.data <= last:
            raise ValidationError(gettext("Enter a date from %(first)s to %(last)s.",
                                          first=format_date(self.dates.first), last=format_date(last)))


def date_field(label: str, dates: DateRange) -> DateField:
    """An optional date of the kind `dates` describes."""
    return DateField(label, validators=[Optional(), DateWithin(dates)])


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message for extraction (mla.catalogs.KEYWORDS) without translating it here."""
    return singular, plural


# The WTForms messages our fields and validators can show, so that extraction puts them in the catalogs.
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Not a valid time value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_plural("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long."),
    N_plural("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters."),
    N_plural("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Field must be equal to %(other_name)s."),
    N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
)
