"""iCalendar output for deadlines: all-day VEVENTs with stable UIDs, for the feed and for mail attachments.

Pure of flask and the models: callers build `DeadlineEvent`s (uid like f"clock-{clock.id}@mla-tracker",
sequence = Clock.revision) and get the bytes of one VCALENDAR back. A changed deadline keeps its UID and
carries a higher SEQUENCE, so calendar clients update the event instead of duplicating it; a cancelled one
is sent with STATUS:CANCELLED, and a calendar made only of cancelled events carries METHOD:CANCEL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

PRODID = "-//MLA tracker//Deadlines//EN"


@dataclass(frozen=True)
class DeadlineEvent:
    """One deadline as an all-day calendar event."""

    uid: str
    due_on: date
    summary: str
    description: str
    sequence: int
    cancelled: bool = False


def _event(item: DeadlineEvent, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.due_on)
    event.add("dtend", item.due_on + timedelta(days=1))
    event.add("summary", item.summary)
    if item.description:
        event.add("description", item.description)
    event.add("sequence", item.sequence)
    event.add("transp", "TRANSPARENT")
    if item.cancelled:
        event.add("status", "CANCELLED")
        return event
    event.add("status", "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", item.summary)
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    return event


def calendar_bytes(
    events: Sequence[DeadlineEvent], *, name: str, stamp: datetime | None = None
) -> bytes:
    """Return one VCALENDAR holding `events`; `stamp` (DTSTAMP, default now) makes output reproducible."""
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    only_cancelled = bool(events) and all(item.cancelled for item in events)
    calendar.add("method", "CANCEL" if only_cancelled else "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in sorted(events, key=lambda e: (e.due_on, e.uid)):
        calendar.add_component(_event(item, stamp))
    return calendar.to_ical()


def clock_uid(clock_id: int) -> str:
    """The UID of a clock's event, the same in the feed and in every mail, so clients update it."""
    return f"clock-{clock_id}@mla-tracker"
