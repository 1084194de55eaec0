"""The admin's calendar page: a country's public holidays, and the days an admin adds or removes."""
from __future__ import annotations

from babel.dates import get_day_names
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.enums import Role
from mla.i18n import country_name
from mla.models import CalendarDay, CountryProfile
from mla.reference.loader import load_reference
from mla.services.clocks.calendars import (
    FIRST_YEAR,
    LAST_YEAR,
    add_calendar_day,
    admin_days,
    calendar_for,
    public_holidays,
    remove_calendar_day,
)
from mla.services.reference_lists import list_country_codes
from mla.web.clocks.forms import WORKING_DAY, ActionForm, CalendarDayForm
from mla.web.helpers import commit_or_show, now_utc, role_required, transaction

# Nested in the clocks blueprint: endpoints clocks.calendars.calendars|remove_day.
bp = Blueprint("calendars", __name__)


def _countries() -> list[tuple[str, str]]:
    codes = list_country_codes(db_session())
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


def _chosen(countries: list[tuple[str, str]], wanted: str, *, warn: bool) -> str:
    """The country asked for; an unknown one shows the home country (with a message when it came
    from the URL; a posted form says it beside its field)."""
    codes = {code for code, _name in countries}
    if warn and wanted and wanted.upper() not in codes:
        flash(gettext("Choose a country from the list."), "danger")
    return wanted.upper() if wanted.upper() in codes else load_reference().home_iso2


def _page(form: CalendarDayForm, iso2: str, year: int, status: int = 200) -> tuple[str, int]:
    db = db_session()
    # get_one: iso2 is one of the profiles listed for the form, or the home country's, and reloading
    # the reference data updates profiles but never deletes one
    profile = db.get_one(CountryProfile, iso2)
    calendar = calendar_for(db, iso2)
    holidays = public_holidays(profile, year, str(get_locale()))
    decreed = sorted(calendar.public_days(year).working_days)
    day_names = get_day_names("wide", locale=get_locale())
    weekend = [day_names[iso - 1] for iso in sorted(profile.weekend_days)]
    return render_template("clocks/calendars.html", form=form, countries=form.country.choices,
                           profile=profile, year=year, holidays=sorted(holidays.items()), weekend=weekend,
                           decreed=decreed, days=admin_days(db, iso2), action_form=ActionForm(),
                           first_year=FIRST_YEAR, last_year=LAST_YEAR), status


@bp.route("/admin/calendars", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def calendars() -> Response | tuple[str, int]:
    form = CalendarDayForm()
    form.country.choices = _countries()
    year = request.args.get("year", type=int) or now_utc().year
    year = min(max(year, FIRST_YEAR), LAST_YEAR)
    wanted = form.country.data if form.is_submitted() else request.args.get("country", "")
    iso2 = _chosen(form.country.choices, wanted or "", warn=not form.is_submitted())
    if not form.is_submitted():
        form.country.data = iso2
        return _page(form, iso2, year)
    if not form.validate():
        return _page(form, iso2, year, 400)
    with transaction(form) as work:
        added = add_calendar_day(db_session(), actor=current_user, now=now_utc(), iso2=form.country.data,
                                 day=form.day.data, is_working_day=form.kind.data == WORKING_DAY,
                                 note=form.note.data or "")
    if work.failed:
        return _page(form, iso2, year, 400)
    flash(gettext("The day was added to the calendar."), "success")
    return redirect(url_for("clocks.calendars.calendars", country=iso2, year=added.day.year))


@bp.route("/admin/calendars/days/<int:day_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def remove_day(day_id: int) -> Response:
    db = db_session()
    row = db.get(CalendarDay, day_id)
    if row is None or not ActionForm().validate_on_submit():
        flash(gettext("This day is no longer on the calendar."), "warning")
        return redirect(url_for("clocks.calendars.calendars"))
    iso2 = row.country_iso2
    year = row.day.year
    commit_or_show(lambda: remove_calendar_day(db, actor=current_user, now=now_utc(), row=row),
                   gettext("The day was removed from the calendar."))
    return redirect(url_for("clocks.calendars.calendars", country=iso2, year=year))

