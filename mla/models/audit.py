"""The append-only audit log: who did what to which record, and the values it changed, kept apart so
that a value can be withheld or sealed without touching what the chain proves."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from mla.models.base import Base, utcnow


class AuditValue(Base):
    """One changed value of an audit record. The record's hash covers a salted digest of it, not the
    value itself, so the value can be sealed (`is_protected`) when its person becomes protected."""

    __tablename__ = "audit_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"), index=True)
    field: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON)
    salt: Mapped[str] = mapped_column(String(32))
    is_protected: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(Base):
    """Written by services only, never updated or deleted; `prev_hash`/`hash` chain the records so that
    a rewritten one shows, `mac` (keyed with the audit key, kept outside the database) shows a chain
    recomputed by someone without the key. `digests` holds a salted digest of each changed value."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64), default="")
    request_id: Mapped[int | None] = mapped_column(index=True)
    digests: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")
    mac: Mapped[str] = mapped_column(String(64), default="")
    values: Mapped[list[AuditValue]] = relationship(order_by=AuditValue.id, lazy="selectin")

    @property
    def changes(self) -> dict[str, Any]:
        """Every value of the record, for code that acts on it; readers see them through
        mla.services.oversight.audit_reading, which withholds what they may not see."""
        return {value.field: value.value for value in self.values}


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit record."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_rewrites(session: Session, _context: object, _instances: object) -> None:
    for record in (*session.dirty, *session.deleted):
        if isinstance(record, AuditEvent) and (record in session.deleted or session.is_modified(record)):
            raise AuditLogIsAppendOnly("audit records are never changed or deleted")
        if isinstance(record, AuditValue) and (record in session.deleted or session.is_modified(record)):
            raise AuditLogIsAppendOnly(
                "audit values are only ever sealed, by mla.services.oversight.audit_reading")
