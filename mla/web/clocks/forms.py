"""Forms of the deadlines pages: a day on a country's calendar, and the feed-link buttons."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from mla.web.forms import AppForm

HOLIDAY = "holiday"
WORKING_DAY = "working_day"


class CalendarDayForm(AppForm):
    # the service checks the country, so that an unknown one gets the same message as elsewhere
    country = SelectField(_l("Country"), validate_choice=False)
    day = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date."))])
    kind = RadioField(_l("The day is"), default=HOLIDAY, choices=[
        (HOLIDAY, _l("a holiday (not a working day)")),
        (WORKING_DAY, _l("a working day (for example a Saturday worked by decree)")),
    ], validators=[InputRequired(message=_l("Choose whether it is a holiday or a working day."))])
    note = StringField(_l("What the day is"), validators=[Length(max=200)],
                       description=_l("The holiday's name, or the decree that moves the day off."))


class ActionForm(AppForm):
    """A button that changes something: only the CSRF token."""
