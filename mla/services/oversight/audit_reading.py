"""What a reader of the audit trail sees of each record's values, and sealing the values about a
person who became protected."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mla.domain.access import Actor, AuditValueAccess, audit_value_access
from mla.domain.enums import Stage
from mla.models import AuditEvent, AuditValue, User
from mla.services.audit import record_event
from mla.services.oversight.audit_queries import AuditFilter, audit_query
from mla.services.requests.queries import updated_rows


@dataclass(frozen=True)
class ReadableValue:
    """One changed value as this reader may see it: `value` is None unless `access` is SHOWN."""

    field: str
    access: AuditValueAccess
    value: Any = None
    is_protected: bool = False

    @property
    def is_shown(self) -> bool:
        return self.access == AuditValueAccess.SHOWN


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    actor_name: str | None
    reference: str | None
    values: list[ReadableValue]


def readable_values(actor: Actor, event: AuditEvent, office_id: int | None,
                    stage: Stage | None, assignee_id: int | None) -> list[ReadableValue]:
    """The record's values in the order written, each withheld unless the reader may see it."""
    shown = []
    for item in event.values:
        access = audit_value_access(actor, request_id=event.request_id, office_id=office_id, stage=stage,
                                    assignee_id=assignee_id, is_protected=item.is_protected)
        shown.append(ReadableValue(item.field, access, item.value if access == AuditValueAccess.SHOWN
                                   else None, item.is_protected))
    return shown


def readable_rows(actor: Actor, rows: Iterable[Any]) -> list[AuditRow]:
    """Rows of mla.services.oversight.audit_queries.audit_query, with the values this reader may see."""
    return [AuditRow(event, actor_name, reference,
                     readable_values(actor, event, office_id, stage, assignee_id))
            for event, actor_name, reference, office_id, stage, assignee_id in rows]


def read_audit_rows(session: Session, *, actor: Actor, wanted: AuditFilter, offset: int = 0,
                    limit: int) -> list[AuditRow]:
    """The records `wanted` picks out, newest first, from `offset` on, each value as `actor` may read it."""
    return readable_rows(actor, session.execute(audit_query(wanted).offset(offset).limit(limit)))


def record_protected_values_shown(session: Session, *, actor: User, now: datetime, rows: list[AuditRow],
                                  remote_addr: str = "") -> None:
    """Record that the trail showed this reader sealed values about protected persons (DOMAIN.md §8.7:
    every display of a protected identity is recorded)."""
    persons = sorted({int(row.event.object_id) for row in rows if row.event.object_type == "person"
                      and any(value.is_shown and value.is_protected for value in row.values)})
    if persons:
        record_event(session, actor=actor, now=now, action="person.identity_shown", object_type="audit",
                     changes={"persons": persons}, remote_addr=remote_addr)


def seal_values_about(session: Session, *, object_type: str, object_id: object) -> int:
    """Mark every value of the records about this object protected (e.g. a person marked protected
    after being entered): the chain holds only their digests, so it stays whole. Returns how many."""
    about = select(AuditEvent.id).where(AuditEvent.object_type == object_type,
                                        AuditEvent.object_id == str(object_id))
    result = session.execute(update(AuditValue).where(AuditValue.event_id.in_(about),
                                                      AuditValue.is_protected.is_(False))
                             .values(is_protected=True).execution_options(synchronize_session="fetch"))
    return updated_rows(result)
