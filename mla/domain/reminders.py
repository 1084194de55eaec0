"""When a clock's reminders fall due: steps before the date, on it, overdue, escalation levels, working hours.

Steps are decided by thresholds, never by matching an exact day: a sweep that runs late, or after days
of downtime, still finds every clock whose step is due and not yet claimed. Only the latest step of a
clock is due at a time (a clock found already overdue is not also reminded "due in 5 days"), and a step
key carries the clock's revision, so a deadline that moves gets its reminders afresh.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Protocol

from mla.domain.calendar import UnknownTimeZone, zone

DEFAULT_OFFSETS = (1, 5)
DEFAULT_ESCALATION_DAYS = (3, 10)
DEFAULT_WORKING_HOURS = (time(8), time(18))


class WorkingDays(Protocol):
    def is_working_day(self, day: date) -> bool: ...

    def add_working_days(self, start: date, count: int) -> date: ...


@dataclass(frozen=True)
class ReminderPolicy:
    """The settings of reminders: working-day offsets before the due date, working days overdue
    for each escalation level, the working hours mail may go out in, and the fallbacks."""

    offsets: tuple[int, ...] = DEFAULT_OFFSETS
    escalation_days: tuple[int, ...] = DEFAULT_ESCALATION_DAYS
    working_hours: tuple[time, time] = DEFAULT_WORKING_HOURS
    default_locale: str = "ru"
    time_zone: str = "Asia/Dushanbe"
    base_url: str = ""


@dataclass(frozen=True)
class Thresholds:
    """For one day: the latest due date at which each step is due. `before` runs from the
    nearest offset outwards; `escalations` from the highest level down."""

    today: date
    before: tuple[tuple[int, date], ...]
    escalations: tuple[tuple[int, date], ...] = field(default=())

    @property
    def horizon(self) -> date:
        """No clock due after this date has any step due today."""
        return max([self.today, *(limit for _offset, limit in self.before)])


def thresholds(policy: ReminderPolicy, calendar: WorkingDays, today: date) -> Thresholds:
    before = tuple((offset, calendar.add_working_days(today, offset)) for offset in sorted(policy.offsets))
    levels = sorted(enumerate(policy.escalation_days, start=1), reverse=True)
    escalations = tuple((level, calendar.add_working_days(today, -days)) for level, days in levels)
    return Thresholds(today=today, before=before, escalations=escalations)


def personal_step(due_on: date, limits: Thresholds) -> str | None:
    """The step due now for the people responsible: overdue, due, before_<n> or nothing yet."""
    if due_on < limits.today:
        return "overdue"
    if due_on == limits.today:
        return "due"
    for offset, limit in limits.before:
        if due_on <= limit:
            return f"before_{offset}"
    return None


def escalation_level(due_on: date, limits: Thresholds) -> int:
    """The highest escalation level reached (0: none): due_on lies that many working days back."""
    for level, limit in limits.escalations:
        if due_on <= limit:
            return level
    return 0


def step_key(step: str, revision: int) -> str:
    """The step as stored in Reminder.step: the claim is per revision of the clock."""
    return f"{step}@{revision}"


def level_of(key: str) -> int:
    """The escalation level of a stored step key (0 for a personal reminder)."""
    step = key.partition("@")[0]
    return int(step.removeprefix("escalation_")) if step.startswith("escalation_") else 0


def local_now(now: datetime, time_zone: str, fallback: str) -> datetime:
    """`now` on the recipient's wall clock; an unknown zone falls back to the office's."""
    try:
        return now.astimezone(zone(time_zone))
    except UnknownTimeZone:
        return now.astimezone(zone(fallback))


def in_working_hours(local: datetime, hours: tuple[time, time], calendar: WorkingDays) -> bool:
    """Mail goes out on working days between the start and end of the working day, local time."""
    start, end = hours
    return calendar.is_working_day(local.date()) and start <= local.time().replace(tzinfo=None) < end
