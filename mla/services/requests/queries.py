"""Read-only queries the edges share: request lists filtered by what the user may see."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Result, Select, false, func, or_, select, true
from sqlalchemy.orm import Session

from mla.domain.access import ASSIGNABLE, SEES_ALL, TRANSLATOR_STAGES
from mla.domain.calendar import WorkingCalendar
from mla.domain.deadlines import ENDED
from mla.domain.enums import Direction, Role, Stage
from mla.domain.workflow import MACHINES
from mla.models import AssistanceRequest, User

OPEN_EXCLUDED = tuple(sorted(ENDED))
OPEN_STAGES = tuple(sorted(set(Stage) - ENDED))  # the same set as an IN list, which an index reads as ranges
DUE_SOON_DAYS = 7  # calendar days ahead that count as "due soon" (the dashboard says so)


def visibility_clause(user: User) -> ColumnElement[bool]:
    """The SQL form of domain.access.may_see_request."""
    if user.role in SEES_ALL:
        return true()
    assigned = AssistanceRequest.assignee_id == user.id if user.role in ASSIGNABLE else false()
    if user.role == Role.DRAFTER and user.office_id is not None:
        return or_(AssistanceRequest.office_id == user.office_id, assigned)
    if user.role == Role.DRAFTER:
        return assigned
    if user.role == Role.TRANSLATOR:
        return or_(AssistanceRequest.stage.in_(TRANSLATOR_STAGES),
                   AssistanceRequest.translation_asked & is_open_clause())
    return false()


def visible_requests(user: User) -> Select[AssistanceRequest]:
    return select(AssistanceRequest).where(visibility_clause(user))


def is_open_clause() -> ColumnElement[bool]:
    return AssistanceRequest.stage.not_in(OPEN_EXCLUDED)


def _next_due_between(first: date | None, last: date) -> ColumnElement[bool]:
    """Open, with its next due date (the stored AssistanceRequest.next_due_on, None once ended) in
    [first, last], or up to `last`: a range of its index."""
    due = AssistanceRequest.next_due_on
    return (due <= last) & (due >= first) if first else due <= last


def overdue_clause(today: date) -> ColumnElement[bool]:
    """Open, and the request's own deadline or one of its open clocks has passed."""
    return _next_due_between(None, today - timedelta(days=1))


def due_soon_clause(today: date) -> ColumnElement[bool]:
    """Open, not overdue, and the deadline or an open clock falls within DUE_SOON_DAYS from today."""
    return _next_due_between(today, today + timedelta(days=DUE_SOON_DAYS))


def waiting_clause(on_partner: bool) -> ColumnElement[bool]:
    """Open requests whose next step is the partner's (or ours), by the stage sets of each machine."""
    return is_open_clause() & or_(*(
        (AssistanceRequest.direction == direction) & (AssistanceRequest.kind == kind)
        & AssistanceRequest.stage.in_(machine.waiting_on_partner if on_partner else machine.waiting_on_us())
        for (direction, kind), machine in MACHINES.items()))


def unacknowledged_cutoff(calendar: WorkingCalendar, today: date, days: int) -> date:
    """The first day from which fewer than `days` + 1 working days have passed by `today`: a request
    transmitted before it has waited more than `days` working days (working_days_between > days)."""
    return calendar.add_working_days(today + timedelta(days=1), -(days + 1))


def unacknowledged_clause(cutoff: date) -> ColumnElement[bool]:
    """Outgoing, sent and nothing heard since: no acknowledgement, transmitted before `cutoff`."""
    return ((AssistanceRequest.direction == Direction.OUTGOING) & (AssistanceRequest.stage == Stage.SENT)
            & AssistanceRequest.acknowledged_on.is_(None) & (AssistanceRequest.transmitted_on < cutoff))


def count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def updated_rows(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. Session.execute types every result as Result; one of
    a DML statement is always a CursorResult, which has the count."""
    return cast(CursorResult[Any], result).rowcount
