"""How clocks read on a page: the clock's name with its series number, and the "days left" phrase."""
from __future__ import annotations

from datetime import date

from flask.sansio.app import App
from flask_babel import format_date, gettext, ngettext

from mla.domain.enums import ClockKind, ClockState, Counting
from mla.i18n import label
from mla.services.clocks.lifecycle import ClockLine


def clock_label(line: ClockLine) -> str:
    """The clock's name; a status enquiry says which of its series it is."""
    name = label(line.clock.kind)
    if line.clock.kind == ClockKind.STATUS_ENQUIRY:
        return gettext("%(name)s (no. %(number)d)", name=name, number=line.clock.sequence)
    return name


def _day(value: date) -> str:
    return format_date(value, "medium")


def _left(line: ClockLine, left: int) -> str:
    if left < 0:
        return ngettext("%(num)d day overdue", "%(num)d days overdue", -left)
    if left == 0:
        return gettext("due today")
    if line.clock.counting == Counting.WORKING_DAYS:
        return ngettext("%(num)d working day left", "%(num)d working days left", left)
    return ngettext("%(num)d day left", "%(num)d days left", left)


def clock_status(line: ClockLine) -> str:
    """Where the clock stands: days left or overdue, paused since when, or how it ended."""
    clock = line.clock
    if line.days_left is not None:
        return _left(line, line.days_left)
    if clock.paused_on is not None and clock.stopped_on is None:
        return ngettext("paused since %(date)s (%(num)d day so far)",
                        "paused since %(date)s (%(num)d days so far)", line.paused_so_far,
                        date=_day(clock.paused_on))
    stopped = _day(clock.stopped_on) if clock.stopped_on else ""
    if clock.state == ClockState.MET and line.days_late:
        return ngettext("met on %(date)s, %(num)d day late", "met on %(date)s, %(num)d days late",
                        line.days_late, date=stopped)
    if clock.state == ClockState.MET:
        return gettext("met on %(date)s", date=stopped)
    if clock.state == ClockState.MISSED:
        return gettext("passed without news on %(date)s", date=stopped)
    return gettext("cancelled on %(date)s", date=stopped)


def paused_total(line: ClockLine) -> str:
    """The days the clock was paused in all, added to its due date ("" when never paused)."""
    days = line.clock.paused_days + line.paused_so_far
    if not days:
        return ""
    return ngettext("paused %(num)d day in all", "paused %(num)d days in all", days)


def register_labels(app: App) -> None:
    app.jinja_env.globals.update(
        clock_label=clock_label, clock_status=clock_status, paused_total=paused_total)
