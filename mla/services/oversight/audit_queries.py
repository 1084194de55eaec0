"""Reading the audit trail: filters by user, request, action and period, for the page and exports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select

from mla.domain.enums import Stage
from mla.domain.errors import N_, DomainError
from mla.models import AssistanceRequest, AuditEvent, User

MAX_PERIOD_DAYS = 3660


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    request_reference: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


AuditQueryRow = tuple[AuditEvent, str | None, str | None, int | None, Stage | None, int | None]


def audit_query(wanted: AuditFilter) -> Select[*AuditQueryRow]:
    """Audit records with the actor's name, the request's reference, office, stage and assignee (who may
    see its values depends on them), newest first."""
    if wanted.date_from and wanted.date_to:
        if wanted.date_from > wanted.date_to:
            raise DomainError(N_("The period ends before it starts."), field="date_to")
        if (wanted.date_to - wanted.date_from).days > MAX_PERIOD_DAYS:
            raise DomainError(N_("Choose a period of at most ten years."), field="date_from")
    stmt = (select(AuditEvent, User.full_name, AssistanceRequest.reference, AssistanceRequest.office_id,
                   AssistanceRequest.stage, AssistanceRequest.assignee_id)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .outerjoin(AssistanceRequest, AssistanceRequest.id == AuditEvent.request_id)
            .order_by(AuditEvent.id.desc()))
    if wanted.user_id:
        stmt = stmt.where(AuditEvent.actor_id == wanted.user_id)
    if wanted.request_reference:
        stmt = stmt.where(AssistanceRequest.reference == wanted.request_reference.strip().upper())
    if wanted.action:
        stmt = stmt.where(AuditEvent.action.startswith(wanted.action.strip(), autoescape=True))
    if wanted.date_from:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(wanted.date_from, time.min, UTC))
    if wanted.date_to:
        stmt = stmt.where(AuditEvent.at < datetime.combine(wanted.date_to + timedelta(days=1), time.min, UTC))
    return stmt
