"""Read-only queries the edges share: request lists filtered by what the user may see."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, Subquery, case, false, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from mla.domain.access import SEES_ALL, TRANSLATOR_STAGES
from mla.domain.calendar import WorkingCalendar
from mla.domain.enums import ClockState, Direction, Role, Stage
from mla.domain.workflow import MACHINES
from mla.models import AssistanceRequest, Clock, User

OPEN_EXCLUDED = (Stage.CLOSED, Stage.WITHDRAWN, Stage.REFUSED, Stage.DECLINED, Stage.CONVERTED_TO_MLA)
# A clock counts while it has not stopped; a paused clock is overdue only when its date had already
# passed when it was paused (a pause moves the due date on when the clock resumes).
CLOCK_COUNTING = (ClockState.RUNNING, ClockState.PAUSED, ClockState.MISSED)
DUE_SOON_DAYS = 7  # calendar days ahead that count as "due soon" (the dashboard says so)


def visibility_clause(user: User) -> ColumnElement[bool]:
    """The SQL form of domain.access.may_see_request."""
    if user.role in SEES_ALL:
        return true()
    if user.role == Role.DRAFTER and user.office_id is not None:
        return AssistanceRequest.office_id == user.office_id
    if user.role == Role.TRANSLATOR:
        return AssistanceRequest.stage.in_(TRANSLATOR_STAGES)
    return false()


def visible_requests(user: User) -> Select[tuple[AssistanceRequest]]:
    return select(AssistanceRequest).where(visibility_clause(user))


def is_open_clause() -> ColumnElement[bool]:
    return AssistanceRequest.stage.not_in(OPEN_EXCLUDED)


def clock_due_subquery() -> Subquery:
    """Per request, the earliest date one of its open clocks is (or was) due: a running or missed
    clock's due date; a paused one's only when it had already passed when the clock was paused."""
    effective = case((or_(Clock.paused_on.is_(None), Clock.due_on < Clock.paused_on), Clock.due_on))
    return (select(Clock.request_id.label("request_id"), func.min(effective).label("due_on"))
            .where(Clock.state.in_(CLOCK_COUNTING), Clock.stopped_on.is_(None))
            .group_by(Clock.request_id).subquery("clock_due"))


def next_due(clock_due: Subquery, request: type[AssistanceRequest] = AssistanceRequest,
             ) -> ColumnElement[date]:
    """The earlier of the request's own deadline and its clocks' date (`clock_due` outer-joined): an
    open request is overdue when it is before today, due soon when it is within DUE_SOON_DAYS."""
    deadline, clock = request.deadline_on, clock_due.c.due_on
    return case((deadline.is_(None), clock), (or_(clock.is_(None), deadline < clock), deadline), else_=clock)


def _next_due_between(first: date | None, last: date) -> ColumnElement[bool]:
    """Open, with its next due date in [first, last] (or up to `last`); the ids are selected once
    (one pass over the open clocks), not per row."""
    inner = aliased(AssistanceRequest)
    clock_due = clock_due_subquery()
    due = next_due(clock_due, inner)
    ids = (select(inner.id).outerjoin(clock_due, clock_due.c.request_id == inner.id)
           .where(inner.stage.not_in(OPEN_EXCLUDED), due <= last, due >= first if first else true()))
    return AssistanceRequest.id.in_(ids)


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
