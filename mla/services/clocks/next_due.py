"""Owns the stored next due date of a request (AssistanceRequest.next_due_on): the earlier of its own
deadline and its counting clocks' due dates (domain.deadlines.next_due_on), None once it has ended.
Every service that changes a clock or a request's deadline or stage calls store_next_due afterwards:
the clocks service (sync_clocks, mark_missed_clocks) and the calendars service (a day added or removed
moves due dates). The overdue and due-soon filters and the dashboard read it as an index range."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from mla.domain.deadlines import ClockDates, next_due_on
from mla.models import AssistanceRequest, Clock


def store_next_due(session: Session, item: AssistanceRequest) -> None:
    """Recompute the request's stored next due date from its deadline and clocks. A derived value, so it
    is written past the ORM: it neither bumps the request's version (which guards edits and rendered
    letters) nor its last-change time."""
    clocks = session.scalars(select(Clock).where(Clock.request_id == item.id))
    value = next_due_on(item.stage, item.deadline_on,
                        [ClockDates(c.state, c.due_on, c.paused_on, c.stopped_on) for c in clocks])
    if value != item.next_due_on:
        table = AssistanceRequest.metadata.tables[AssistanceRequest.__tablename__]
        session.execute(update(table).where(table.c.id == item.id)
                        .values(next_due_on=value, updated_at=table.c.updated_at))
        set_committed_value(item, "next_due_on", value)


def store_next_due_of(session: Session, request_ids: Iterable[int]) -> None:
    """store_next_due for each of these requests (those whose clocks one change moved)."""
    for request_id in sorted(set(request_ids)):
        item = session.get(AssistanceRequest, request_id)
        if item is not None:
            store_next_due(session, item)
