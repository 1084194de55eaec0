"""Who may see which request: the one rule every view and query applies."""
from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from mla.domain.enums import Role, Stage

SEES_ALL = frozenset({Role.DESK, Role.MANAGER})
TRANSLATOR_STAGES = frozenset({Stage.TRANSLATION})


class Actor(Protocol):
    """Who asks: a user row, or any read-only record of one (the reminder sweep's recipients)."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> Role: ...

    @property
    def office_id(self) -> int | None: ...


ASSIGNABLE = frozenset({Role.DRAFTER, Role.DESK})  # who a request may be assigned to for execution


def may_see_request(actor: Actor, office_id: int, stage: Stage, *, assignee_id: int | None) -> bool:
    """Desk and managers see all; drafters their office's and whatever is assigned to them, whatever its
    office (the desk hands an incoming request to the prosecutor who executes it); translators what
    waits for them; admins keep users and reference data but see no case content."""
    if actor.role in SEES_ALL:
        return True
    if actor.role in ASSIGNABLE and assignee_id is not None and assignee_id == actor.id:
        return True
    if actor.role == Role.DRAFTER:
        return actor.office_id is not None and actor.office_id == office_id
    if actor.role == Role.TRANSLATOR:
        return stage in TRANSLATOR_STAGES
    return False


class RequestLike(Protocol):
    """What of a request decides who may see it."""

    @property
    def office_id(self) -> int: ...

    @property
    def stage(self) -> Stage: ...

    @property
    def assignee_id(self) -> int | None: ...


def may_see(actor: Actor, item: RequestLike) -> bool:
    """may_see_request for a request row."""
    return may_see_request(actor, item.office_id, item.stage, assignee_id=item.assignee_id)


def may_see_protected_identity(actor: Actor) -> bool:
    """A protected victim's or witness's identity: only those who draft and transmit."""
    return actor.role in {Role.DRAFTER, Role.DESK, Role.MANAGER}


class AuditValueAccess(StrEnum):
    """What a reader of the audit trail gets of one value: the value, or why it is withheld."""

    SHOWN = "shown"
    HIDDEN_REQUEST = "hidden_request"
    PROTECTED = "protected"


def audit_value_access(actor: Actor, *, request_id: int | None, office_id: int | None,
                       stage: Stage | None, assignee_id: int | None, is_protected: bool) -> AuditValueAccess:
    """A value about a request only to those who may see the request (a request no longer there: to no
    one); a sealed value about a protected person only to those who may also see protected identities."""
    if request_id is not None and (office_id is None or stage is None
                                   or not may_see_request(actor, office_id, stage,
                                                          assignee_id=assignee_id)):
        return AuditValueAccess.HIDDEN_REQUEST
    if is_protected and not may_see_protected_identity(actor):
        return AuditValueAccess.PROTECTED
    return AuditValueAccess.SHOWN
