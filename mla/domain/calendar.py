"""Working calendars: which days count as working days in one country, and counting in them.

A `WorkingCalendar` is built from plain data: the weekend days of the country profile (ISO weekdays,
1 = Monday ... 7 = Sunday), its official calendar one year at a time (public holidays and decreed
working weekend days; the caller computes them, for instance with the `holidays` package) and special
days an admin adds: an extra holiday, or a decreed transfer that makes a weekend day a working day.
Precedence, strongest first: the admin's special days, decreed working days, public holidays, weekends.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mla.domain.enums import Counting
from mla.domain.errors import N_, DomainError

# A run of non-working days longer than this means the calendar data is wrong, not that the
# country takes a year off; counting stops with an error instead of looping for ever.
MAX_NON_WORKING_RUN = 370



@dataclass(frozen=True)
class PublicDays:
    """One year of a country's official calendar: public holidays by date with their names, and
    weekend days a decree turned into working days (transfers of days off)."""

    holidays: Mapping[date, str]
    working_days: frozenset[date] = frozenset()


HolidaySource = Callable[[int], PublicDays]


class UnknownTimeZone(DomainError):
    """A time-zone name that the IANA database on this machine does not know."""


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`, or a clear error naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise UnknownTimeZone(
            N_("The time zone %(name)s is unknown; use an IANA name such as Asia/Dushanbe."),
            field="time_zone", params={"name": name or "''"},
        ) from None


def local_date(moment: datetime, time_zone: str) -> date:
    """The calendar date of an aware UTC `moment` in `time_zone`."""
    return moment.astimezone(zone(time_zone)).date()


@dataclass(frozen=True)
class SpecialDay:
    """A day that is a holiday (is_working_day False) or a working day (True) whatever else says."""

    day: date
    is_working_day: bool
    note: str = ""


class WorkingCalendar:
    """The working days of one country; holidays are asked for lazily, one year at a time."""

    def __init__(self, iso2: str, weekend_days: Iterable[int], holidays: HolidaySource,
                 special_days: Iterable[SpecialDay] = (), time_zone: str = "UTC") -> None:
        weekend = frozenset(int(day) for day in weekend_days)
        if not weekend <= set(range(1, 8)) or len(weekend) == 7:
            raise ValueError(f"{iso2}: weekend days must be ISO weekdays 1-7, not all seven: {weekend}")
        self.iso2 = iso2
        self.weekend_days = weekend
        self.time_zone = time_zone
        self._source = holidays
        self._years: dict[int, PublicDays] = {}
        self.special_days: dict[date, SpecialDay] = {s.day: s for s in special_days}

    def public_days(self, year: int) -> PublicDays:
        if year not in self._years:
            self._years[year] = self._source(year)
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        special = self.special_days.get(day)
        if special is not None:
            return special.is_working_day
        public = self.public_days(day.year)
        if day in public.working_days:
            return True
        return day.isoweekday() not in self.weekend_days and day not in public.holidays

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        for offset in range(MAX_NON_WORKING_RUN):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"{self.iso2}: no working day within {MAX_NON_WORKING_RUN} days of {day}")

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (before it when `count` is negative);
        `start` itself is never counted, and a count of 0 gives `start`."""
        step = 1 if count >= 0 else -1
        day = start
        left = abs(count)
        idle = 0
        while left:
            day += timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
                idle = 0
            else:
                idle += 1
                if idle > MAX_NON_WORKING_RUN:
                    raise ValueError(f"{self.iso2}: no working day within {MAX_NON_WORKING_RUN} days")
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: what add_working_days(start, n) needs to reach `end`;
        negative when `end` is before `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for offset in range(1, (end - start).days + 1)
                   if self.is_working_day(start + timedelta(days=offset)))

    def add(self, start: date, count: int, counting: Counting) -> date:
        """The due date `count` days after `start`. In calendar days a due date that falls on a
        non-working day moves to the next working day, as most procedural codes provide."""
        if counting == Counting.WORKING_DAYS:
            return self.add_working_days(start, count)
        return self.next_working_day(start + timedelta(days=count))

    def between(self, start: date, end: date, counting: Counting) -> int:
        """Days from `start` to `end` in `counting` (negative when `end` is earlier)."""
        if counting == Counting.WORKING_DAYS:
            return self.working_days_between(start, end)
        return (end - start).days

    def today(self, now: datetime) -> date:
        """Today's date in this country."""
        return local_date(now, self.time_zone)
