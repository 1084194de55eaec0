"""Working calendars from the database (country profile, the `holidays` package, days admins add),
and adding or removing those days, which moves the due dates of the clocks they touch."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache, partial

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.calendar import PublicDays, SpecialDay, WorkingCalendar, zone
from mla.domain.deadlines import FIXED_DATE_KINDS
from mla.domain.enums import Counting
from mla.domain.errors import N_, DomainError
from mla.models import CalendarDay, Clock, CountryProfile, User
from mla.services.audit import record_event
from mla.services.clocks.next_due import store_next_due_of

DEFAULT_HOLIDAY_LANGUAGE = "en_US"
# The span admins may add days in.
FIRST_YEAR = 2000
LAST_YEAR = 2100


@lru_cache(maxsize=1024)
def official_days(code: str, year: int, language: str = DEFAULT_HOLIDAY_LANGUAGE) -> PublicDays:
    """Public holidays and decreed working weekend days of one country and year, from the
    `holidays` package (cached: computing a year costs about a millisecond)."""
    if not code:
        return PublicDays({})
    try:
        found = holidays.country_holidays(code, years=year, language=language)
    except NotImplementedError:
        raise ValueError(f"The holidays package has no calendar {code!r}; correct holiday_calendar "
                         f"in mla/reference/countries.toml.") from None
    working: set[date] = getattr(found, "weekend_workdays", set())
    return PublicDays({day: name for day, name in found.items() if day.year == year},
                      frozenset(day for day in working if day.year == year))


def holiday_language(code: str, locale: str) -> str:
    """The `holidays` language closest to an interface locale, else English."""
    if not code:
        return DEFAULT_HOLIDAY_LANGUAGE
    supported = holidays.country_holidays(code).supported_languages
    for candidate in (locale, locale.split("_")[0], f"{locale}_{code}"):
        if candidate in supported:
            return candidate
    return DEFAULT_HOLIDAY_LANGUAGE


def _calendar(profile: CountryProfile, days: Iterable[CalendarDay]) -> WorkingCalendar:
    zone(profile.time_zone)  # a clear error now rather than when a date is first needed
    official = partial(official_days, profile.holiday_calendar)
    return WorkingCalendar(profile.iso2, profile.weekend_days, official,
                           [SpecialDay(d.day, d.is_working_day, d.note) for d in days], profile.time_zone)


def _is_code(iso2: str) -> bool:
    """Two ASCII letters: anything else is no country, and must not reach the database (PostgreSQL
    refuses NUL characters with an error)."""
    return len(iso2) == 2 and iso2.isascii() and iso2.isalpha()


def calendar_for(session: Session, iso2: str) -> WorkingCalendar:
    """The working calendar of one country."""
    profile = session.get(CountryProfile, iso2) if _is_code(iso2) else None
    if profile is None:
        raise DomainError(N_("Choose a country from the list."), field="country")
    return _calendar(profile, session.scalars(select(CalendarDay).where(CalendarDay.country_iso2 == iso2)))


def load_calendars(session: Session) -> dict[str, WorkingCalendar]:
    """Every country's calendar in two queries, for sweeps over many clocks."""
    days: dict[str, list[CalendarDay]] = {}
    for row in session.scalars(select(CalendarDay)):
        days.setdefault(row.country_iso2, []).append(row)
    return {p.iso2: _calendar(p, days.get(p.iso2, ())) for p in session.scalars(select(CountryProfile))}


def admin_days(session: Session, iso2: str) -> list[CalendarDay]:
    return list(session.scalars(select(CalendarDay).where(CalendarDay.country_iso2 == iso2)
                                .order_by(CalendarDay.day)))


def _recount(session: Session, iso2: str, day: date, before: WorkingCalendar,
             after: WorkingCalendar) -> int:
    """Move the due dates of open clocks on this calendar that the changed day falls within: a
    working-day clock keeps its number of working days from its start, a calendar-day clock due
    on a day that stopped being a working day moves to the next working day."""
    moved: list[int] = []
    rows = session.scalars(select(Clock).where(
        Clock.calendar_iso2 == iso2, Clock.stopped_on.is_(None), Clock.started_on < day,
        Clock.due_on >= day, Clock.kind.not_in(FIXED_DATE_KINDS)))
    for clock in rows:
        if clock.counting == Counting.WORKING_DAYS:
            due = after.add_working_days(clock.started_on, before.working_days_between(clock.started_on,
                                                                                       clock.due_on))
        else:
            due = after.next_working_day(clock.due_on)
        if due != clock.due_on:
            clock.due_on = due
            clock.revision += 1
            moved.append(clock.request_id)
    session.flush()
    store_next_due_of(session, moved)
    return len(moved)


def _check_day(session: Session, iso2: str, day: date | None, note: str) -> tuple[CountryProfile, date]:
    profile = session.get(CountryProfile, iso2) if _is_code(iso2) else None
    if profile is None:
        raise DomainError(N_("Choose a country from the list."), field="country")
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DomainError(N_("Enter a valid date between %(first)s and %(last)s."), field="day",
                          params={"first": FIRST_YEAR, "last": LAST_YEAR})
    if not note.strip():
        raise DomainError(N_("Say what the day is: the holiday, or the decree that moves it."), field="note")
    if "\x00" in note:
        raise DomainError(N_("The text contains a character that cannot be stored."), field="note")
    taken = session.scalar(select(CalendarDay.id).where(CalendarDay.country_iso2 == iso2,
                                                        CalendarDay.day == day))
    if taken is not None:
        raise DomainError(N_("This day is already on the calendar; remove it first to change it."),
                          field="day")
    return profile, day


def add_calendar_day(session: Session, *, actor: User, now: datetime, iso2: str, day: date | None,
                     is_working_day: bool, note: str) -> CalendarDay:
    """Add an extra holiday, or a decreed working day, to a country's calendar."""
    profile, day = _check_day(session, iso2, day, note)
    before = calendar_for(session, profile.iso2)
    row = CalendarDay(country_iso2=profile.iso2, day=day, is_working_day=is_working_day,
                      note=note.strip()[:200], created_by_id=actor.id)
    session.add(row)
    session.flush()
    moved = _recount(session, profile.iso2, day, before, calendar_for(session, profile.iso2))
    record_event(session, actor=actor, now=now, action="calendar.add_day", object_type="calendar_day",
                 object_id=row.id, changes={"country": profile.iso2, "day": day.isoformat(),
                                            "is_working_day": is_working_day, "note": row.note,
                                            "clocks_moved": moved})
    return row


def remove_calendar_day(session: Session, *, actor: User, now: datetime, row: CalendarDay) -> int:
    """Take an admin's day off the calendar again; returns how many due dates moved."""
    iso2 = row.country_iso2
    day = row.day
    before = calendar_for(session, iso2)
    changes = {"country": iso2, "day": day.isoformat(), "is_working_day": row.is_working_day,
               "note": row.note}
    session.delete(row)
    session.flush()
    moved = _recount(session, iso2, day, before, calendar_for(session, iso2))
    record_event(session, actor=actor, now=now, action="calendar.remove_day", object_type="calendar_day",
                 object_id=row.id, changes={**changes, "clocks_moved": moved})
    return moved


def public_holidays(profile: CountryProfile, year: int, locale: str) -> Mapping[date, str]:
    """The `holidays` package's days for the admin page, named in the interface language if it can."""
    language = holiday_language(profile.holiday_calendar, locale)
    return official_days(profile.holiday_calendar, year, language).holidays
