"""Who may see which request: the one rule every view and query applies."""
from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from mla.domain.deadlines import ENDED
from mla.domain.enums import Role, Stage

SEES_ALL = frozenset({Role.DESK, Role.MANAGER})
TRANSLATOR_STAGES = frozenset({Stage.TRANSLATION})
# Those who work on cases: they search persons, export the request list and read the figures.
CASE_WORKERS = frozenset({Role.DRAFTER, Role.DESK, Role.MANAGER})
AUDIT_READERS = frozenset({Role.MANAGER, Role.ADMIN})


class Actor(Protocol):
    """Who asks: a user row, or any read-only record of one (the reminder sweep's recipients)."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> Role: ...

    @property
    def office_id(self) -> int | None: ...


ASSIGNABLE = frozenset({Role.DRAFTER, Role.DESK})  # who a request may be assigned to for execution


def may_see_request(actor: Actor, office_id: int, stage: Stage, *, assignee_id: int | None,
                    translation_asked: bool) -> bool:
    """Desk and managers see all; drafters their office's and whatever is assigned to them, whatever its
    office (the desk hands an incoming request to the prosecutor who executes it); translators what
    waits for them: a request in the translation stage, or one they were asked to translate while it
    is open; admins keep users and reference data but see no case content."""
    if actor.role in SEES_ALL:
        return True
    if actor.role in ASSIGNABLE and assignee_id is not None and assignee_id == actor.id:
        return True
    if actor.role == Role.DRAFTER:
        return actor.office_id is not None and actor.office_id == office_id
    if actor.role == Role.TRANSLATOR:
        return stage in TRANSLATOR_STAGES or (translation_asked and stage not in ENDED)
    return False


class RequestLike(Protocol):
    """What of a request decides who may see it."""

    @property
    def office_id(self) -> int: ...

    @property
    def stage(self) -> Stage: ...

    @property
    def assignee_id(self) -> int | None: ...

    @property
    def translation_asked(self) -> bool: ...


def may_see(actor: Actor, item: RequestLike) -> bool:
    """may_see_request for a request row."""
    return may_see_request(actor, item.office_id, item.stage, assignee_id=item.assignee_id,
                           translation_asked=item.translation_asked)


def may_ask_for_translation(actor: Actor, stage: Stage) -> bool:
    """The desk and managers ask the translators to translate a request, at any stage until it ends
    (its letters included: an incoming request's acknowledgement as much as an outgoing request)."""
    return actor.role in SEES_ALL and stage not in ENDED


def may_see_protected_identity(actor: Actor) -> bool:
    """A protected victim's or witness's identity: only those who draft and transmit."""
    return actor.role in CASE_WORKERS


def sees_every_office(actor: Actor) -> bool:
    """Whether the actor's lists, filters and figures span every office (desk and managers) rather than
    their own office's (drafters) or what waits for them (translators)."""
    return actor.role in SEES_ALL


def administers(actor: Actor) -> bool:
    """Administrators keep users, calendars, the mail outbox and letter templates; no case pages."""
    return actor.role == Role.ADMIN


def may_see_figures(actor: Actor) -> bool:
    """The dashboard and the statistics: the case workers."""
    return actor.role in CASE_WORKERS


def may_search_persons(actor: Actor) -> bool:
    """The person and request search, and a person's page: the case workers."""
    return actor.role in CASE_WORKERS


def may_export_requests(actor: Actor) -> bool:
    """The request list as CSV or XLSX: the case workers."""
    return actor.role in CASE_WORKERS


def may_read_audit_trail(actor: Actor) -> bool:
    """The audit trail: managers and administrators."""
    return actor.role in AUDIT_READERS


def may_ask_for_access(actor: Actor) -> bool:
    """A drafter who finds a person in a request of another office asks the desk for access."""
    return actor.role == Role.DRAFTER


def handles_access_requests(actor: Actor) -> bool:
    """Who answers drafters' requests for access: those who see every office."""
    return sees_every_office(actor)


def may_choose_office(actor: Actor) -> bool:
    """Whether a new request's office is chosen: a drafter's requests belong to the drafter's office."""
    return actor.role != Role.DRAFTER


class AuditValueAccess(StrEnum):
    """What a reader of the audit trail gets of one value: the value, or why it is withheld."""

    SHOWN = "shown"
    HIDDEN_REQUEST = "hidden_request"
    PROTECTED = "protected"


def audit_value_access(actor: Actor, *, request_id: int | None, office_id: int | None,
                       stage: Stage | None, assignee_id: int | None, is_protected: bool) -> AuditValueAccess:
    """A value about a request only to those who may see the request (a request no longer there: to no
    one); a sealed value about a protected person only to those who may also see protected identities.
    The audit trail's readers are managers and administrators, never translators, so whether a
    translation was asked does not change what they see."""
    if request_id is not None and (office_id is None or stage is None
                                   or not may_see_request(actor, office_id, stage, assignee_id=assignee_id,
                                                          translation_asked=False)):
        return AuditValueAccess.HIDDEN_REQUEST
    if is_protected and not may_see_protected_identity(actor):
        return AuditValueAccess.PROTECTED
    return AuditValueAccess.SHOWN
