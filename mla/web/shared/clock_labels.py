"""How clocks read on a page: translated names, states and counting, and the "days left" phrase."""
from __future__ import annotations

from datetime import date

from flask.sansio.app import App
from flask_babel import format_date, gettext, ngettext
from flask_babel import lazy_gettext as _l

from mla.domain.enums import ClockKind, ClockState, Counting
from mla.services.clocks.lifecycle import ClockLine

CLOCK_KIND_LABELS = {
    ClockKind.ACKNOWLEDGEMENT_EXPECTED: _l("Acknowledgement expected"),
    ClockKind.DECISION_EXPECTED: _l("Decision expected"),
    ClockKind.EXECUTION_EXPECTED: _l("Execution expected"),
    ClockKind.STATUS_ENQUIRY: _l("Status enquiry due"),
    ClockKind.REQUESTER_DEADLINE: _l("Requester's own deadline"),
    ClockKind.OUR_ACKNOWLEDGEMENT: _l("Our acknowledgement of receipt"),
    ClockKind.OUR_EXECUTION: _l("Our execution"),
    ClockKind.EXECUTE_BY: _l("Execute by (assigned)"),
}
CLOCK_STATE_LABELS = {
    ClockState.RUNNING: _l("running"),
    ClockState.PAUSED: _l("paused"),
    ClockState.MET: _l("met"),
    ClockState.MISSED: _l("missed"),
    ClockState.CANCELLED: _l("cancelled"),
}
COUNTING_LABELS = {Counting.CALENDAR_DAYS: _l("calendar days"), Counting.WORKING_DAYS: _l("working days")}


def clock_label(line: ClockLine) -> str:
    """The clock's name; a status enquiry says which of its series it is."""
    name = str(CLOCK_KIND_LABELS[line.clock.kind])
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
        clock_label=clock_label, clock_status=clock_status, paused_total=paused_total,
        clock_state_label=lambda state: str(CLOCK_STATE_LABELS[ClockState(state)]),
        counting_label=lambda counting: str(COUNTING_LABELS[Counting(counting)]),
    )
