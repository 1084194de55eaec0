"""Creating and editing assistance requests; references that are gap-free under concurrency."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from mla.domain.access import may_see
from mla.domain.editing import content_closed_message, may_edit_content
from mla.domain.enums import CaseStage, Direction, RequestKind, Role, Urgency
from mla.domain.errors import N_, AccessDenied, DomainError, StageClosed
from mla.domain.workflow import machine_for
from mla.models import (
    AssistanceRequest,
    CountryProfile,
    NationalCase,
    OffenceCategory,
    Office,
    ReferenceCounter,
    RequestLegalBasis,
    StageChange,
    Treaty,
    User,
)
from mla.reference.loader import load_reference
from mla.services.audit import record_event
from mla.services.clocks.lifecycle import sync_clocks
from mla.services.versions import check_version, flush_checked

_DIRECTION_CODES = {Direction.OUTGOING: "OUT", Direction.INCOMING: "IN"}
_KIND_CODES = {RequestKind.MLA: "MLA", RequestKind.POLICE: "POL"}
STALE_MESSAGE = N_(
    "Someone else saved this request after you opened it. Nothing of yours was saved: your "
    "changes are still in the form; compare them with the saved request and save again."
)
DEFAULT_DRAFTING_LANGUAGE = "ru"


@dataclass(frozen=True)
class RequestInput:
    """What a user enters on the request form (DOMAIN.md §1.6)."""

    country_iso2: str
    channel_code: str | None = None
    legal_bases: tuple[str, ...] = ()
    request_language: str | None = None
    # None: the office's drafting language (an incoming request's: the language of the request) on
    # creation, the request's own on an edit
    drafting_language: str | None = None
    requesting_authority: str = ""
    conducting_authority: str = ""
    addressee: str = ""
    case_number: str = ""
    case_stage: CaseStage = CaseStage.PRE_TRIAL
    offence_category: str | None = None
    subject_matter: str = ""
    facts_summary: str = ""
    offences: str = ""
    law_text_annexed: bool = False
    dual_criminality_note: str = ""
    purpose: str = ""
    evidence_location_reason: str = ""
    urgency: Urgency = Urgency.NORMAL
    deadline_on: date | None = None
    deadline_reason: str = ""
    is_confidential: bool = False
    confidentiality_reason: str = ""
    use_restrictions: str = ""
    victim_protection: str = ""
    handling_code: str = ""
    prior_informal_contact: str = ""
    contact_person: str = ""
    costs_note: str = ""
    partner_reference: str = ""
    received_on: date | None = None


# Columns of AssistanceRequest that RequestInput sets one to one.
_DIRECT = tuple(f.name for f in fields(RequestInput)
                if f.name not in {"legal_bases", "case_number", "case_stage", "offence_category"})


def reference_prefix(direction: Direction, kind: RequestKind) -> str:
    return f"{_DIRECTION_CODES[direction]}-{_KIND_CODES[kind]}"


def next_reference(session: Session, direction: Direction, kind: RequestKind, year: int) -> str:
    """The next reference, e.g. OUT-MLA-2026-0042. The counter row is bumped with one
    UPDATE ... RETURNING, which locks it until the caller commits, so two creations at
    once get consecutive numbers and a rolled-back creation gives its number back."""
    prefix = reference_prefix(direction, kind)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(ReferenceCounter)
        .values(prefix=prefix, year=year, last_value=0)
        .on_conflict_do_nothing()
    )
    number = session.scalar(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix, ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + 1)
        .returning(ReferenceCounter.last_value)
    )
    return f"{prefix}-{year}-{number:04d}"


def _validate(session: Session, data: RequestInput, *, created_on: date, today: date) -> None:
    reference = load_reference()
    if session.get(CountryProfile, data.country_iso2) is None:
        raise DomainError(N_("Choose a partner country from the list."), field="country_iso2")
    if data.channel_code and data.channel_code not in reference.channels:
        raise DomainError(N_("Choose a channel from the list."), field="channel_code")
    if data.request_language and data.request_language not in reference.languages:
        raise DomainError(N_("Choose a language from the list."), field="request_language")
    if data.drafting_language not in reference.languages:
        raise DomainError(N_("Choose a language from the list."), field="drafting_language")
    unknown = [code for code in data.legal_bases if session.get(Treaty, code) is None]
    if unknown:
        raise DomainError(N_("Choose legal bases from the list."), field="legal_bases")
    if data.offence_category and session.get(OffenceCategory, data.offence_category) is None:
        raise DomainError(N_("Choose an offence category from the list."), field="offence_category")
    if data.deadline_on and data.deadline_on < created_on:
        raise DomainError(N_("The deadline cannot be before the day the request was created."),
                          field="deadline_on")
    if data.received_on and data.received_on > today:
        raise DomainError(N_("The date of receipt cannot be in the future."), field="received_on")
    if data.deadline_on and not data.deadline_reason.strip():
        raise DomainError(N_("Say why the deadline matters (trial date, custody limit, data "
                             "retention)."), field="deadline_reason")


def default_drafting_language(direction: Direction, office: Office | None,
                              request_language: str | None) -> str:
    """The language a new request's free text is taken to be in: an incoming request's is the language
    the partner wrote in; otherwise the office's drafting language, Russian without an office (README)."""
    if direction == Direction.INCOMING and request_language:
        return request_language
    return office.drafting_language if office is not None else DEFAULT_DRAFTING_LANGUAGE


def _national_case(session: Session, office: Office, data: RequestInput) -> NationalCase | None:
    number = data.case_number.strip()
    if not number:
        return None
    case = session.scalar(select(NationalCase).where(NationalCase.office_id == office.id,
                                                     NationalCase.case_number == number))
    if case is None:
        case = NationalCase(office_id=office.id, case_number=number, stage=data.case_stage)
        session.add(case)
    case.stage = data.case_stage
    case.offence_category_code = data.offence_category or case.offence_category_code
    return case


def _snapshot(item: AssistanceRequest) -> dict[str, Any]:
    values = {name: getattr(item, name) for name in _DIRECT}
    values["legal_bases"] = sorted(basis.treaty_code for basis in item.legal_bases)
    values["case_number"] = item.national_case.case_number if item.national_case else ""
    return {key: value.isoformat() if isinstance(value, date) else
            (value.value if hasattr(value, "value") else value) for key, value in values.items()}


def _apply(session: Session, item: AssistanceRequest, data: RequestInput) -> None:
    for name in _DIRECT:
        value = getattr(data, name)
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.national_case = _national_case(session, item.office, data)
    wanted = set(data.legal_bases)
    item.legal_bases = [b for b in item.legal_bases if b.treaty_code in wanted] + [
        RequestLegalBasis(treaty_code=code) for code in sorted(wanted)
        if code not in {b.treaty_code for b in item.legal_bases}]


def create_request(session: Session, *, actor: User, now: datetime, direction: Direction,
                   kind: RequestKind, office: Office | None, data: RequestInput,
                   home_iso2: str) -> AssistanceRequest:
    """A new request in the first stage of its machine, owned by `office`."""
    if actor.role not in {Role.DRAFTER, Role.DESK, Role.MANAGER}:
        raise AccessDenied(N_("Your role does not allow creating requests."))
    office = actor.office if actor.role == Role.DRAFTER else (office or actor.office)
    if office is None:
        raise DomainError(N_("Choose the office the request belongs to."), field="office")
    data = replace(data, drafting_language=data.drafting_language or default_drafting_language(
        direction, office, data.request_language))
    _validate(session, data, created_on=now.date(), today=now.date())
    stage = machine_for(direction, kind).initial
    item = AssistanceRequest(reference=next_reference(session, direction, kind, now.year),
                             direction=direction, kind=kind, stage=stage, office=office,
                             created_by=actor, assignee=actor if actor.role == Role.DRAFTER else None,
                             created_at=now)
    session.add(item)
    _apply(session, item, data)
    session.flush()
    session.add(StageChange(request_id=item.id, move="create", from_stage=None, to_stage=stage,
                            actor=actor, at=now))
    record_event(session, actor=actor, now=now, action="request.create", object_type="request",
                 object_id=item.id, request_id=item.id, changes={"after": _snapshot(item)})
    sync_clocks(session, actor=actor, now=now, item=item, home_iso2=home_iso2)
    return item


def update_request(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                   expected_version: int | None, data: RequestInput, home_iso2: str) -> dict[str, list[Any]]:
    """Save an edit; refused when someone saved in between (optimistic locking), or when the form
    did not say which version it was opened on (None)."""
    if not may_see(actor, item):
        raise AccessDenied(N_("You may not see this request."))
    if not may_edit_content(actor.role, item.direction, item.stage):
        raise StageClosed(content_closed_message(actor.role, item.direction, item.stage,
                                                 N_("This request cannot be edited at its present stage.")))
    check_version(item, expected_version, STALE_MESSAGE)
    data = replace(data, drafting_language=data.drafting_language or item.drafting_language)
    _validate(session, data, created_on=item.created_at.date(), today=now.date())
    before = _snapshot(item)
    _apply(session, item, data)
    after = _snapshot(item)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changes:
        return {}
    flush_checked(session, STALE_MESSAGE)
    record_event(session, actor=actor, now=now, action="request.update", object_type="request",
                 object_id=item.id, request_id=item.id, changes=changes)
    sync_clocks(session, actor=actor, now=now, item=item, home_iso2=home_iso2)
    return changes
