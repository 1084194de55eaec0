"""Chasing the partner: recording that a status enquiry was sent, as an event in the request's history
that meets the enquiry due and starts the next of the series from the day it went."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from mla.domain.access import may_see
from mla.domain.enums import Role
from mla.domain.errors import N_, AccessDenied, DomainError
from mla.models import AssistanceRequest, StageChange, User
from mla.services.audit import record_event
from mla.services.clocks.lifecycle import follow_enquiry_sent, open_enquiry
from mla.services.requests.editing import STALE_MESSAGE
from mla.services.versions import check_version

ENQUIRY_SENT = "send_status_enquiry"  # the history event's name (StageChange.move)
CHASERS = frozenset({Role.DESK, Role.MANAGER})


def _check(item: AssistanceRequest, sent_on: date | None, number: str, today: date) -> date:
    if sent_on is None:
        raise DomainError(N_("Please enter the date the status enquiry was sent."), field="sent_on")
    if sent_on > today:
        raise DomainError(N_("This date cannot be in the future."), field="sent_on")
    if item.transmitted_on and sent_on < item.transmitted_on:
        raise DomainError(N_("A status enquiry cannot be sent before the request was transmitted."),
                          field="sent_on")
    if not number.strip():
        raise DomainError(N_("Please enter the outgoing number from the register."), field="outgoing_number")
    return sent_on


def record_status_enquiry(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                          home_iso2: str, sent_on: date | None, outgoing_number: str,
                          expected_version: int | None) -> StageChange:
    """Record that the status enquiry now due was sent (date, outgoing number): an event in the history;
    the enquiry's clock is met that day and the next enquiry of the series counts from it."""
    if actor.role not in CHASERS or not may_see(actor, item):
        raise AccessDenied(N_("Your role does not allow recording status enquiries."))
    check_version(item, expected_version, STALE_MESSAGE)
    due = open_enquiry(session, item)
    if due is None:
        raise DomainError(N_("No status enquiry is due for this request at its present stage."))
    day = _check(item, sent_on, outgoing_number, now.date())
    details = {"sent_on": day.isoformat(), "outgoing_number": outgoing_number.strip(),
               "enquiry": due.sequence}
    change = StageChange(request_id=item.id, move=ENQUIRY_SENT, from_stage=item.stage, to_stage=item.stage,
                         actor=actor, at=now, details=details)
    session.add(change)
    follow_enquiry_sent(session, actor=actor, now=now, item=item, home_iso2=home_iso2, sent_on=day)
    record_event(session, actor=actor, now=now, action="request.status_enquiry", object_type="request",
                 object_id=item.id, request_id=item.id, changes=details)
    return change
