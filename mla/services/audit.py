"""Writing audit records, each chained to the one before it by a SHA-256 hash and signed with the audit
key (HMAC-SHA256), and checking the chain."""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from mla.models import AuditEvent, AuditValue, User

# Any fixed number: the PostgreSQL advisory lock that serialises appends to the chain.
_AUDIT_CHAIN_LOCK = 7_340_021
# Where a session carries the audit key (mla.db puts it there): services get it with the session.
AUDIT_KEY_INFO = "mla_audit_key"
KEY_MISMATCH = "its keyed hash does not match: it was rewritten with a key not ours"


class AuditKeyMissing(RuntimeError):
    """A session without the audit key tried to write an audit record."""


def audit_session_info(key: bytes) -> dict[str, bytes]:
    """The `info` of a session that may write audit records."""
    return {AUDIT_KEY_INFO: key}


def _audit_key(session: Session) -> bytes:
    key = session.info.get(AUDIT_KEY_INFO)
    if not key:
        raise AuditKeyMissing("this session has no audit key; open it with mla.db's session factory")
    return key


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def value_digest(salt: str, value: Any) -> str:
    """A digest of one value that reveals nothing of it without its salt."""
    return hashlib.sha256(f"{salt}\x1f{_json(value)}".encode()).hexdigest()


def event_hash(event: AuditEvent) -> str:
    body = {
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "request_id": event.request_id,
        "digests": event.digests,
        "remote_addr": event.remote_addr,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(_json(body).encode()).hexdigest()


def keyed_hash(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _values(changes: dict[str, Any], is_protected: bool) -> list[AuditValue]:
    # Stored as JSON: digest what will be read back (tuples become lists, dates strings).
    return [AuditValue(field=str(field), value=json.loads(_json(value)), salt=secrets.token_hex(16),
                       is_protected=is_protected) for field, value in changes.items()]


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
    is_protected: bool = False,
) -> AuditEvent:
    """Append one audit record in the caller's transaction; `is_protected` seals its values at once
    (they are about a protected person)."""
    key = _audit_key(session)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_CHAIN_LOCK})
    prev_hash = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    values = _values(changes or {}, is_protected)
    event = AuditEvent(
        at=now.astimezone(UTC),
        actor_id=actor.id if actor else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        request_id=request_id,
        digests={value.field: value_digest(value.salt, value.value) for value in values},
        remote_addr=remote_addr,
        prev_hash=prev_hash or "",
        values=values,
    )
    event.hash = event_hash(event)
    event.mac = keyed_hash(key, event.hash)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the chain: whole, or where it first breaks and why; `at_end` when the
    records hold together but their end disagrees with a checkpoint kept outside the database."""

    checked: int
    broken_id: int | None = None
    reason: str = ""
    last_id: int = 0
    last_hash: str = ""
    at_end: bool = False

    @property
    def is_whole(self) -> bool:
        return self.broken_id is None


def _fault(event: AuditEvent, previous: str, key: bytes) -> str:
    """Why this record breaks the chain, or "" when it holds."""
    if event.prev_hash != previous:
        return "its link to the record before it does not match (a record was removed or inserted before it)"
    stored = {value.field: value_digest(value.salt, value.value) for value in event.values}
    for field in sorted(set(stored) | set(event.digests)):
        if stored.get(field) != event.digests.get(field):
            return f"its value {field!r} does not match the digest the chain holds (changed or removed)"
    if event_hash(event) != event.hash:
        return "its content does not match its hash (the record was changed)"
    if not hmac.compare_digest(keyed_hash(key, event.hash), event.mac):
        return KEY_MISMATCH
    return ""


def verify_chain(session: Session, key: bytes, *, after_id: int = 0, after_hash: str = "",
                 batch: int = 2000) -> ChainReport:
    """Walk the audit log in order (from the start, or from a record already proved: `after_id` with
    the hash `after_hash`); the first record whose link, values, hash or keyed hash does not match is
    where someone rewrote, removed or inserted a record."""
    previous = after_hash
    checked = 0
    last_id = after_id
    for event in session.scalars(select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
                                 .execution_options(yield_per=batch)):
        reason = _fault(event, previous, key)
        if reason == KEY_MISMATCH and checked == 0:
            reason += ", or the audit key set here is not the one the log was signed with (MLA_AUDIT_KEY)"
        if reason:
            return ChainReport(checked, event.id, reason, last_id, previous)
        previous = event.hash
        checked += 1
        last_id = event.id
    return ChainReport(checked, last_id=last_id, last_hash=previous)
