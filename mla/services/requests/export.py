"""The rows of a request-list export (CSV, XLSX): one flat record per request of a filtered list, with
its office, assignee, case number and the next clock due, read in a few set-wise queries and streamed."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased

from mla.domain.deadlines import COUNTING_STATES
from mla.domain.enums import ClockKind, Direction, RequestKind, Stage, Urgency
from mla.models import AssistanceRequest, Clock, NationalCase, Office, User
from mla.services.requests.queries import OPEN_EXCLUDED

BATCH = 2_000  # requests read per round trip; memory stays bounded whatever the list holds


@dataclass(frozen=True)
class ExportRow:
    """One request as the coordination meeting reads it; no person is named (protected identities)."""

    reference: str
    direction: Direction
    kind: RequestKind
    country_iso2: str
    partner_reference: str
    case_number: str
    office: str
    assignee: str
    stage: Stage
    urgency: Urgency
    created_on: date
    transmitted_on: date | None
    acknowledged_on: date | None
    next_due_on: date | None
    next_clock: ClockKind | None
    days_overdue: int
    deadline_on: date | None
    subject: str


def _rows(filtered: Select) -> Select:
    """The filtered list's requests with the names the export shows, in the list's newest-first order."""
    assignee = aliased(User)
    ids = filtered.with_only_columns(AssistanceRequest.id).order_by(None)
    return (select(AssistanceRequest.id, AssistanceRequest.reference, AssistanceRequest.direction,
                   AssistanceRequest.kind, AssistanceRequest.country_iso2,
                   AssistanceRequest.partner_reference, NationalCase.case_number, Office.name,
                   assignee.full_name, AssistanceRequest.stage,
                   AssistanceRequest.urgency, AssistanceRequest.created_at, AssistanceRequest.transmitted_on,
                   AssistanceRequest.acknowledged_on, AssistanceRequest.deadline_on,
                   AssistanceRequest.subject_matter)
            .where(AssistanceRequest.id.in_(ids))
            .join(Office, Office.id == AssistanceRequest.office_id)
            .outerjoin(assignee, assignee.id == AssistanceRequest.assignee_id)
            .outerjoin(NationalCase, NationalCase.id == AssistanceRequest.national_case_id)
            .order_by(AssistanceRequest.id.desc()))


def _next_clocks(session: Session, request_ids: list[int]) -> dict[int, tuple[date, ClockKind]]:
    """The earliest due date among each request's open clocks, and which clock it is, by the rule of
    domain.deadlines.next_due_on (the list's overdue filter): a paused clock only if it was already late."""
    found: dict[int, tuple[date, ClockKind]] = {}
    rows = session.execute(select(Clock.request_id, Clock.due_on, Clock.kind).where(
        Clock.request_id.in_(request_ids), Clock.state.in_(COUNTING_STATES), Clock.stopped_on.is_(None),
        or_(Clock.paused_on.is_(None), Clock.due_on < Clock.paused_on)))
    for request_id, due_on, kind in rows:
        if request_id not in found or due_on < found[request_id][0]:
            found[request_id] = (due_on, kind)
    return found


def export_rows(session: Session, filtered: Select, *, today: date) -> Iterator[ExportRow]:
    """Every request of `filtered` (a select of AssistanceRequest, visibility already applied)."""
    result = session.execute(_rows(filtered).execution_options(yield_per=BATCH))
    for batch in result.partitions():
        clocks = _next_clocks(session, [row.id for row in batch])
        for row in batch:
            due_on, clock = clocks.get(row.id, (None, None))
            if row.stage in OPEN_EXCLUDED:
                due_on = None
                clock = None
            elif row.deadline_on and (due_on is None or row.deadline_on < due_on):
                due_on = row.deadline_on
                clock = ClockKind.REQUESTER_DEADLINE
            overdue = (today - due_on).days if due_on and due_on < today else 0
            yield ExportRow(row.reference, row.direction, row.kind, row.country_iso2, row.partner_reference,
                            row.case_number or "", row.name, row.full_name or "", row.stage, row.urgency,
                            row.created_at.date(), row.transmitted_on, row.acknowledged_on, due_on,
                            clock, overdue, row.deadline_on, row.subject_matter)
