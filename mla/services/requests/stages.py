"""Moving a request through its stages, with the data each move records, and linking requests."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.access import ASSIGNABLE, may_see
from mla.domain.checks import Finding, blocking, profile_choices
from mla.domain.enums import Direction, LinkKind, RequestKind, Role, Stage
from mla.domain.errors import N_, AccessDenied, DomainError
from mla.domain.linked import INHERITED_FIELDS, Routing, inherit_routing
from mla.domain.results import check_execution_declared
from mla.domain.workflow import (
    DISPATCH_DATES,
    REQUEST_FACTS,
    Move,
    check_move,
    is_dispatch,
    may_start_supplementary,
)
from mla.models import (
    AssistanceRequest,
    Measure,
    Person,
    RefusalGround,
    RequestLegalBasis,
    RequestLink,
    StageChange,
    User,
)
from mla.reference.loader import load_reference
from mla.services.audit import record_event
from mla.services.clocks.lifecycle import start_execute_by, sync_clocks
from mla.services.persons.editing import store_document_numbers
from mla.services.requests.completeness import completeness
from mla.services.requests.editing import STALE_MESSAGE, next_reference
from mla.services.versions import check_version, flush_checked

DATE_ITEMS = ("transmitted_on", "acknowledged_on", "received_on", "returned_on", "answered_on")
# The request's column for each data item workflow.REQUEST_FACTS records on the request itself.
REQUEST_COLUMNS = {"transmitted_on": "transmitted_on", "acknowledged_on": "acknowledged_on",
                    "received_on": "received_on", "outgoing_number": "outgoing_number",
                    "partner_reference": "partner_reference", "channel": "channel_code"}


class IncompleteRequest(DomainError):
    """The completeness check found blocking problems; `findings` lists them all."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        super().__init__(N_("The request is not complete yet: correct what is listed below."))
        self.findings = findings


def _check_data(session: Session, move: Move, data: Mapping[str, Any], today: date) -> None:
    for name in DATE_ITEMS:
        value = data.get(name)
        if isinstance(value, date) and value > today:
            raise DomainError(N_("This date cannot be in the future."), field=name)
    if data.get("channel") and data["channel"] not in load_reference().channels:
        raise DomainError(N_("Choose a channel from the list."), field="channel")
    if "refusal_ground" in move.requires:
        ground = session.get(RefusalGround, data["refusal_ground"])
        if ground is None:
            raise DomainError(N_("Choose a ground from the list."), field="refusal_ground")
        if not ground.is_permitted:
            raise DomainError(N_("This ground is not a permitted ground for refusal under UNTOC "
                                 "art. 18(8) and 18(22); record the ground the partner actually "
                                 "relies on."), field="refusal_ground")
    if "assignee" in move.requires:
        user = session.get(User, data["assignee"])
        if user is None or not user.is_active or user.role not in ASSIGNABLE:
            raise DomainError(N_("Choose an active prosecutor or desk officer."), field="assignee")
    execute_by = data.get("execute_by")
    if isinstance(execute_by, date) and execute_by < today:
        raise DomainError(N_("The date to execute by cannot be in the past."), field="execute_by")


def _record_on_request(item: AssistanceRequest, actor: User, move: Move,
                       data: Mapping[str, Any], now: datetime) -> None:
    for name in REQUEST_FACTS.get(move.name, ()):
        if data.get(name):
            setattr(item, REQUEST_COLUMNS[name], data[name].strip() if isinstance(data[name], str)
                    else data[name])
    if "refusal_ground" in move.requires:
        item.refusal_ground_code = data["refusal_ground"]
    if "assignee" in move.requires:
        item.assignee_id = int(data["assignee"])
    if move.name == "approve":
        item.approved_by_id = actor.id
    if move.target == Stage.CLOSED:
        item.closed_on = now.date()
        item.outcome = str(data.get("note", "")).strip()


def _serialisable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in data.items() if value not in (None, "")}


def advance_stage(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                  move_name: str, data: Mapping[str, Any], expected_version: int | None,
                  home_iso2: str) -> StageChange:
    """Make one move of the request's stage machine; a move that needs a complete request is
    refused with the blocking findings of the completeness check."""
    if not may_see(actor, item):
        raise AccessDenied(N_("You may not see this request."))
    move = check_move(item.direction, item.kind, item.stage, move_name, actor.role, data)
    check_version(item, expected_version, STALE_MESSAGE)
    statuses = session.scalars(select(Measure.status).where(Measure.request_id == item.id))
    check_execution_declared(move.name, item.stage, statuses, data)
    if move.needs_complete_request:
        found = blocking(completeness(session, item, home_iso2))
        if found:
            raise IncompleteRequest(found)
    _check_data(session, move, data, now.date())
    _record_on_request(item, actor, move, data, now)
    note = "\n".join(str(data[key]).strip() for key in ("note", "reason", "info_requested")
                     if data.get(key))
    change = StageChange(request_id=item.id, move=move.name, from_stage=item.stage,
                         to_stage=move.target, actor=actor, at=now, note=note,
                         details=_serialisable({k: v for k, v in data.items() if k != "note"}))
    if is_dispatch(move):
        change.sent_on = next(data[name] for name in DISPATCH_DATES if data.get(name))
        change.channel_code = data.get("channel") or None
        change.number = str(data.get("outgoing_number") or "").strip()
    session.add(change)
    before = item.stage
    item.stage = move.target
    flush_checked(session, STALE_MESSAGE)
    sync_clocks(session, actor=actor, now=now, item=item, home_iso2=home_iso2, change=change)
    if "execute_by" in move.requires:
        start_execute_by(session, actor=actor, now=now, item=item, home_iso2=home_iso2,
                         due_on=data["execute_by"])
    record_event(session, actor=actor, now=now, action=f"request.move.{move.name}",
                 object_type="request", object_id=item.id, request_id=item.id,
                 changes={"stage": [before.value, move.target.value], **change.details})
    if move.name == "transmit":
        _answer_for_original(session, actor=actor, now=now, item=item, home_iso2=home_iso2, data=data)
    return change


def _answer_for_original(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                         home_iso2: str, data: Mapping[str, Any]) -> None:
    """Sending a supplementary request sends the more information its original was asked for: record
    that on the original too, with the same date, channel and number, so nobody types it twice."""
    originals = session.scalars(select(AssistanceRequest).join(
        RequestLink, RequestLink.to_request_id == AssistanceRequest.id).where(
        RequestLink.from_request_id == item.id, RequestLink.kind == LinkKind.SUPPLEMENTARY,
        AssistanceRequest.stage == Stage.ADDITIONAL_INFO_REQUESTED))
    for original in list(originals):
        record_more_information_sent(session, actor=actor, now=now, item=original, home_iso2=home_iso2,
                                     data={
                                         **{key: data[key] for key in ("transmitted_on", "channel",
                                                                       "outgoing_number") if key in data},
                                         "supplementary": item.reference})


def record_more_information_sent(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                                 home_iso2: str, data: Mapping[str, Any]) -> StageChange:
    """Record on `item` that the more information its partner asked for was sent (date, channel, number)."""
    return advance_stage(session, actor=actor, now=now, item=item, home_iso2=home_iso2,
                         move_name="send_additional_info", data=data, expected_version=item.version)


def _copy_request(session: Session, source: AssistanceRequest, actor: User, now: datetime,
                  kind: RequestKind, home_iso2: str) -> AssistanceRequest:
    """A new outgoing draft carrying the source's parties, case, facts, persons and measures."""
    copy = AssistanceRequest(
        reference=next_reference(session, Direction.OUTGOING, kind, now.year),
        direction=Direction.OUTGOING, kind=kind, stage=Stage.DRAFT, office_id=source.office_id,
        national_case_id=source.national_case_id, country_iso2=source.country_iso2,
        created_by=actor, assignee=actor if actor.role == Role.DRAFTER else source.assignee,
        created_at=now)
    for name in INHERITED_FIELDS:
        setattr(copy, name, getattr(source, name))
    reference = load_reference()
    offence = source.national_case.offence_category_code if source.national_case else None
    profile = profile_choices(source.country_iso2, kind, home_iso2, reference, offence)
    routing = inherit_routing(
        Routing(source.addressee, source.channel_code, tuple(b.treaty_code for b in source.legal_bases)),
        kind, profile, reference)
    copy.addressee = routing.addressee
    copy.channel_code = routing.channel_code
    copy.legal_bases = [RequestLegalBasis(treaty_code=code) for code in routing.legal_bases]
    session.add(copy)
    session.flush()
    for person in session.scalars(select(Person).where(Person.request_id == source.id)):
        # The copy is the same person: link both records, so the person's page lists both requests.
        person.identity_group = person.identity_group or uuid.uuid4().hex
        values = {c.key: getattr(person, c.key) for c in Person.__table__.columns
                  if c.key not in {"id", "request_id", "created_at"}}
        copied = Person(request_id=copy.id, **values)
        session.add(copied)
        session.flush()
        store_document_numbers(session, copied)
    for measure in session.scalars(select(Measure).where(Measure.request_id == source.id)):
        session.add(Measure(request_id=copy.id, assistance_type_code=measure.assistance_type_code,
                            position=measure.position, details=measure.details,
                            procedure=measure.procedure))
    origin = "supplements" if kind == source.kind else "converted_from"
    session.add(StageChange(request_id=copy.id, move="create", from_stage=None, to_stage=Stage.DRAFT,
                            actor=actor, at=now, details={origin: source.reference}))
    sync_clocks(session, actor=actor, now=now, item=copy, home_iso2=home_iso2)
    return copy


def convert_to_mla(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                   note: str, expected_version: int | None, home_iso2: str) -> AssistanceRequest:
    """Turn an answered police-to-police request into a formal MLA draft, linked to it, so the
    intelligence can be obtained as evidence (DOMAIN.md §7.1)."""
    advance_stage(session, actor=actor, now=now, item=item, move_name="convert_to_mla",
                  data={"note": note}, expected_version=expected_version, home_iso2=home_iso2)
    draft = _copy_request(session, item, actor, now, RequestKind.MLA, home_iso2)
    session.add(RequestLink(from_request_id=item.id, to_request_id=draft.id,
                            kind=LinkKind.CONVERTED, created_by_id=actor.id))
    record_event(session, actor=actor, now=now, action="request.convert", object_type="request",
                 object_id=draft.id, request_id=draft.id, changes={"from": item.reference})
    session.flush()
    return draft


def create_supplementary(session: Session, *, actor: User, now: datetime,
                         item: AssistanceRequest, home_iso2: str) -> AssistanceRequest:
    """A supplementary request (answering a request for more information), linked to the first."""
    if not may_see(actor, item) or item.direction != Direction.OUTGOING:
        raise AccessDenied(N_("A supplementary request can only follow an outgoing request you see."))
    if not may_start_supplementary(actor.role, item.direction, item.stage):
        raise DomainError(N_("A supplementary request can only follow a request that was sent."))
    draft = _copy_request(session, item, actor, now, item.kind, home_iso2)
    session.add(RequestLink(from_request_id=draft.id, to_request_id=item.id,
                            kind=LinkKind.SUPPLEMENTARY, created_by_id=actor.id))
    record_event(session, actor=actor, now=now, action="request.supplementary",
                 object_type="request", object_id=draft.id, request_id=draft.id,
                 changes={"supplements": item.reference})
    session.flush()
    return draft


def link_requests(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                  other_reference: str, kind: LinkKind) -> RequestLink:
    """Link `item` to another request by its reference (a reply, a related request)."""
    other = session.scalar(select(AssistanceRequest).where(
        AssistanceRequest.reference == other_reference.strip().upper()))
    if other is None or not may_see(actor, other):
        raise DomainError(N_("No request you may see has this reference."), field="reference")
    if other.id == item.id:
        raise DomainError(N_("A request cannot be linked to itself."), field="reference")
    exists = session.scalar(select(RequestLink.id).where(
        RequestLink.from_request_id == item.id, RequestLink.to_request_id == other.id,
        RequestLink.kind == kind))
    if exists is not None:
        raise DomainError(N_("These requests are linked already."), field="reference")
    link = RequestLink(from_request_id=item.id, to_request_id=other.id, kind=kind,
                       created_by_id=actor.id)
    session.add(link)
    session.flush()
    record_event(session, actor=actor, now=now, action="request.link", object_type="request",
                 object_id=item.id, request_id=item.id,
                 changes={"to": other.reference, "kind": kind.value})
    return link
