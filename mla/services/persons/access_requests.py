"""Owns drafters' requests to see another office's request in which a person they searched for appears:
asking (an audit record), the desk's list of open requests, and marking one handled.

The desk answers outside the tracker's permissions (it shares what may be shared, or has the request
reassigned); the tracker records who asked, for which request, and when the desk dealt with it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, String, cast, exists, func, select
from sqlalchemy.orm import Session

from mla.domain.access import SEES_ALL, may_see
from mla.domain.enums import Role
from mla.domain.errors import N_, AccessDenied, DomainError
from mla.models import AssistanceRequest, AuditEvent, Office, Person, User
from mla.services.audit import record_event
from mla.services.persons.editing import request_of

ASKED = "access.requested"
HANDLED = "access.handled"
NOTICE_DAYS = 30
MAX_NOTICES = 100


@dataclass(frozen=True)
class AccessNotice:
    event: AuditEvent
    requester: User | None
    item: AssistanceRequest


def _recently_asked(now: datetime) -> Select[AuditEvent]:
    """The newest MAX_NOTICES requests for access of the last NOTICE_DAYS days, handled or not."""
    return (select(AuditEvent).where(AuditEvent.action == ASKED,
                                     AuditEvent.at >= now - timedelta(days=NOTICE_DAYS))
            .order_by(AuditEvent.id.desc()).limit(MAX_NOTICES))


def _open_requests(session: Session, now: datetime, asker: User | None = None) -> list[AuditEvent]:
    stmt = _recently_asked(now)
    if asker is not None:
        stmt = stmt.where(AuditEvent.actor_id == asker.id)
    asked = list(session.scalars(stmt))
    handled = set(session.scalars(select(AuditEvent.object_id).where(
        AuditEvent.action == HANDLED, AuditEvent.object_id.in_([str(event.id) for event in asked]))))
    return [event for event in asked if str(event.id) not in handled]


def request_access(session: Session, *, actor: User, now: datetime, person: Person) -> AuditEvent:
    """A drafter asks the desk for the request a found person appears in; the desk sees it in its list."""
    if actor.role != Role.DRAFTER:
        raise AccessDenied(N_("Only drafters ask the desk for access; your role sees every request."))
    request = request_of(session, person)
    if may_see(actor, request):
        raise DomainError(N_("You can already see this request."))
    if person.is_protected:
        raise AccessDenied(N_("This record cannot be asked for."))
    if any(event.request_id == request.id for event in _open_requests(session, now, actor)):
        raise DomainError(N_("You have already asked the desk for this request."))
    office = session.get(Office, actor.office_id) if actor.office_id else None
    return record_event(session, actor=actor, now=now, action=ASKED, object_type="request",
                        object_id=request.id, request_id=request.id,
                        changes={"person_id": person.id, "office": office.code if office else ""})


def _require_desk(actor: User) -> None:
    if actor.role not in SEES_ALL:
        raise AccessDenied(N_("Only the desk and managers answer requests for access."))


def open_access_requests(session: Session, *, actor: User, now: datetime) -> list[AccessNotice]:
    """Requests for access of the last NOTICE_DAYS days that nobody has marked handled, newest first."""
    _require_desk(actor)
    events = _open_requests(session, now)
    users: dict[int | None, User] = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_({e.actor_id for e in events})))}
    requests = {r.id: r for r in session.scalars(select(AssistanceRequest).where(
        AssistanceRequest.id.in_({e.request_id for e in events})))}
    return [AccessNotice(event, users.get(event.actor_id), requests[event.request_id])
            for event in events if event.request_id in requests]


def count_open_access_requests(session: Session, *, actor: User, now: datetime) -> int:
    """len(open_access_requests(...)) in one statement, for the badge in every page's navigation bar."""
    _require_desk(actor)
    asked = _recently_asked(now).with_only_columns(AuditEvent.id, AuditEvent.request_id).subquery()
    handled = exists().where(AuditEvent.action == HANDLED, AuditEvent.object_id == cast(asked.c.id, String))
    request_kept = exists().where(AssistanceRequest.id == asked.c.request_id)
    return session.scalar(select(func.count()).select_from(asked).where(~handled, request_kept)) or 0


def mark_access_handled(session: Session, *, actor: User, now: datetime, event_id: int) -> AuditEvent:
    _require_desk(actor)
    event = session.get(AuditEvent, event_id)
    if event is None or event.action != ASKED:
        raise DomainError(N_("This request for access no longer exists."))
    if event.id not in {open_event.id for open_event in _open_requests(session, now)}:
        raise DomainError(N_("This request for access has already been dealt with."))
    return record_event(session, actor=actor, now=now, action=HANDLED, object_type="audit_event",
                        object_id=event.id, request_id=event.request_id)
