"""Requested measures of a request (DOMAIN.md §1.6 fields 12-13): what is asked, how, what came of it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.domain.editing import content_closed_message, may_edit_content, may_record_results
from mla.domain.enums import MeasureStatus
from mla.domain.errors import N_, DomainError, StageClosed
from mla.domain.results import pending_count
from mla.models import AssistanceRequest, AssistanceType, Measure, User
from mla.services.audit import record_event
from mla.services.versions import STALE_REMOVAL, check_version, flush_checked

MAX_TEXT = 10_000
CONTENT_FIELDS = ("assistance_type_code", "details", "procedure")
RESULT_FIELDS = ("status", "result_note", "evidence_received_on")
NEEDS_PROOF = frozenset({MeasureStatus.EXECUTED, MeasureStatus.PARTIALLY_EXECUTED})
STALE_MEASURE = N_(
    "Someone else saved this measure after you opened the form. Nothing of yours was saved: your changes "
    "are still in the form; compare them with the saved measure and save again."
)


@dataclass(frozen=True)
class MeasureInput:
    assistance_type_code: str
    details: str = ""
    procedure: str = ""


def _validated(session: Session, data: MeasureInput) -> dict[str, str]:
    values = {"assistance_type_code": data.assistance_type_code.strip(),
              "details": data.details.strip(), "procedure": data.procedure.strip()}
    if not values["assistance_type_code"] or session.get(
            AssistanceType, values["assistance_type_code"]) is None:
        raise DomainError(N_("Choose a type of assistance from the list."), field="assistance_type_code")
    for key in ("details", "procedure"):
        if len(values[key]) > MAX_TEXT:
            raise DomainError(N_("Enter at most %(count)s characters."), field=key,
                              params={"count": MAX_TEXT})
    return values


def _require_editable(actor: User, item: AssistanceRequest, measure: Measure | None = None) -> None:
    if not may_edit_content(actor.role, item.direction, item.stage):
        raise StageClosed(content_closed_message(
            actor.role, item.direction, item.stage,
            N_("The measures of this request cannot be changed at its current stage.")))
    _require_own(item, measure)


def _require_own(item: AssistanceRequest, measure: Measure | None) -> None:
    if measure is not None and measure.request_id != item.id:
        raise DomainError(N_("This measure belongs to another request."))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    keys = [key for key in (*before, *after) if before.get(key) != after.get(key)]
    return {key: [_plain(before.get(key)), _plain(after.get(key))] for key in dict.fromkeys(keys)}


def _record(session: Session, actor: User, now: datetime, action: str, measure: Measure,
            changes: dict[str, Any]) -> None:
    record_event(session, actor=actor, now=now, action=action, object_type="measure",
                 object_id=measure.id, request_id=measure.request_id, changes=changes)


def _snapshot(measure: Measure, fields: tuple[str, ...]) -> dict[str, Any]:
    return {key: getattr(measure, key) for key in fields}


def add_measure(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                data: MeasureInput) -> Measure:
    _require_editable(actor, item)
    values = _validated(session, data)
    last = session.scalar(select(func.max(Measure.position)).where(Measure.request_id == item.id))
    measure = Measure(request_id=item.id, position=(last or 0) + 1, status=MeasureStatus.PENDING,
                      **values)
    session.add(measure)
    session.flush()
    _record(session, actor, now, "measure.add", measure, _diff({}, values))
    return measure


def update_measure(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                   measure: Measure, expected_version: int | None, data: MeasureInput) -> Measure:
    """Save the form opened on `expected_version`; refused when someone else saved the measure since."""
    _require_editable(actor, item, measure)
    check_version(measure, expected_version, STALE_MEASURE)
    values = _validated(session, data)
    before = _snapshot(measure, CONTENT_FIELDS)
    for key, value in values.items():
        setattr(measure, key, value)
    flush_checked(session, STALE_MEASURE)
    _record(session, actor, now, "measure.update", measure, _diff(before, values))
    return measure


def remove_measure(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                   measure: Measure, expected_version: int | None) -> None:
    """Remove the measure as the page showed it (`expected_version`), not a version someone changed since."""
    _require_editable(actor, item, measure)
    check_version(measure, expected_version, STALE_REMOVAL)
    before = _snapshot(measure, CONTENT_FIELDS + RESULT_FIELDS)
    _record(session, actor, now, "measure.remove", measure,
            _diff({k: v for k, v in before.items() if v not in ("", None)}, {}))
    session.delete(measure)
    flush_checked(session, STALE_REMOVAL)


def _checked_result(status: MeasureStatus | str, result_note: str, evidence_received_on: date | None,
                    today: date) -> dict[str, Any]:
    try:
        chosen = MeasureStatus(status)
    except ValueError as exc:
        raise DomainError(N_("Choose a status from the list."), field="status") from exc
    note = (result_note or "").strip()
    if len(note) > MAX_TEXT:
        raise DomainError(N_("Enter at most %(count)s characters."), field="result_note",
                          params={"count": MAX_TEXT})
    if evidence_received_on is not None and evidence_received_on > today:
        raise DomainError(N_("The date the evidence was received cannot be in the future."),
                          field="evidence_received_on")
    if chosen in NEEDS_PROOF and evidence_received_on is None and not note:
        raise DomainError(N_("Give the date the evidence was received, or a note on the result."),
                          field="result_note")
    if chosen == MeasureStatus.REFUSED and not note:
        raise DomainError(N_("Give the reason the measure was refused."), field="result_note")
    return {"status": chosen, "result_note": note, "evidence_received_on": evidence_received_on}


def record_measure_result(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                          measure: Measure, expected_version: int | None, status: MeasureStatus | str,
                          result_note: str, evidence_received_on: date | None) -> Measure:
    """What the executing authority did with one measure: executed (wholly or partly), refused,
    or back to pending; refused when someone else saved the measure since `expected_version`."""
    if not may_record_results(actor.role, item.direction, item.stage):
        raise StageClosed(N_("Results cannot be recorded for this request at its current stage."))
    _require_own(item, measure)
    check_version(measure, expected_version, STALE_MEASURE)
    values = _checked_result(status, result_note, evidence_received_on, now.date())
    before = _snapshot(measure, RESULT_FIELDS)
    for key, value in values.items():
        setattr(measure, key, value)
    flush_checked(session, STALE_MEASURE)
    _record(session, actor, now, "measure.result", measure, _diff(before, values))
    return measure


def count_pending_measures(session: Session, item: AssistanceRequest) -> int:
    """How many of the request's measures still wait for a result (domain.results.pending_count)."""
    return pending_count(session.scalars(select(Measure.status).where(Measure.request_id == item.id)))
