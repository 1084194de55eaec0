"""Writing audit records, each chained to the one before it by a SHA-256 hash, and checking the chain."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from mla.models import AuditEvent, User

# Any fixed number: the PostgreSQL advisory lock that serialises appends to the chain.
_AUDIT_CHAIN_LOCK = 7_340_021


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "request_id": event.request_id,
        "changes": event.changes,
        "remote_addr": event.remote_addr,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record_event(
    session: Session,
    *,
    actor: User | None,
    now: datetime,
    action: str,
    object_type: str,
    object_id: object = "",
    request_id: int | None = None,
    changes: dict[str, Any] | None = None,
    remote_addr: str = "",
) -> AuditEvent:
    """Append one audit record in the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_CHAIN_LOCK})
    prev_hash = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        at=now.astimezone(UTC),
        actor_id=actor.id if actor else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        request_id=request_id,
        changes=changes or {},
        remote_addr=remote_addr,
        prev_hash=prev_hash or "",
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the chain: whole, or where it first breaks and why."""

    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def is_whole(self) -> bool:
        return self.broken_id is None


def verify_chain(session: Session, batch: int = 2000) -> ChainReport:
    """Walk the audit log in order; the first record whose hash or link does not match is where
    someone rewrote, removed or inserted a record."""
    previous, checked = "", 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id).execution_options(
            yield_per=batch)):
        if event.prev_hash != previous:
            return ChainReport(checked, event.id, "its link to the record before it does not match "
                                                  "(a record was removed or inserted before it)")
        if event_hash(event) != event.hash:
            return ChainReport(checked, event.id, "its content does not match its hash "
                                                  "(the record was changed)")
        previous, checked = event.hash, checked + 1
    return ChainReport(checked)
