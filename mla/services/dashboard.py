"""The managers' dashboard (read-only): overdue and due-soon counts by partner country, stage, office
and assignee, the oldest open requests, outgoing requests sent without acknowledgement, and whom the
open requests wait on. Every figure is defined by a clause of mla/services/queries.py that the request
list filters by too, so a figure and the list behind it always agree."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from mla.models import AssistanceRequest, Office, User
from mla.services.calendars import calendar_for, home_country
from mla.services.queries import (
    DUE_SOON_DAYS,
    is_open_clause,
    unacknowledged_clause,
    unacknowledged_cutoff,
    visibility_clause,
    waiting_clause,
)

UNACKNOWLEDGED_DAYS = 10  # working days, the default of ?unacknowledged=
UNACKNOWLEDGED_MIN, UNACKNOWLEDGED_MAX = 1, 365
OLDEST_LIMIT = 10
DIMENSIONS = ("country", "stage", "office", "assignee")


@dataclass(frozen=True)
class Figure:
    """One row of a breakdown: `key` is the list filter's value (country code, stage, office id,
    assignee id; None for unassigned)."""

    key: str | None
    overdue: int
    due_soon: int


@dataclass(frozen=True)
class OldItem:
    request: AssistanceRequest
    age_days: int


@dataclass
class Dashboard:
    today: date
    unacknowledged_days: int
    breakdowns: dict[str, list[Figure]] = field(default_factory=dict)
    overdue: int = 0
    due_soon: int = 0
    open: int = 0
    waits_on_us: int = 0
    waits_on_partner: int = 0
    unacknowledged: int = 0
    oldest: list[OldItem] = field(default_factory=list)
    offices: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (code, name)
    people: dict[int, str] = field(default_factory=dict)  # id -> full name


def parse_days(raw: str | None) -> int | None:
    """A number of working days from the URL, or None when it is not a whole number in range."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        return None
    days = int(text)
    return days if UNACKNOWLEDGED_MIN <= days <= UNACKNOWLEDGED_MAX else None


def unacknowledged_since(session: Session, today: date, days: int) -> date:
    """The transmission date before which a request has waited more than `days` working days on
    Tajikistan's (the home country's) calendar."""
    return unacknowledged_cutoff(calendar_for(session, home_country(session)), today, days)


def _breakdowns(session: Session, user: User, today: date) -> dict[str, list[Figure]]:
    """Overdue and due-soon counts per value of each dimension, from one pass over the index range of
    the stored next due date (`next_due_on <= today + DUE_SOON_DAYS`; None once ended): the flagged
    requests grouped by all four dimensions at once, then summed per dimension here."""
    due = AssistanceRequest.next_due_on
    columns = (AssistanceRequest.country_iso2, AssistanceRequest.stage, AssistanceRequest.office_id,
               AssistanceRequest.assignee_id)
    late = due < today
    rows = session.execute(select(*columns, late.label("late"), func.count())
                           .where(visibility_clause(user), due <= today + timedelta(days=DUE_SOON_DAYS))
                           .group_by(*columns, late))
    sums: dict[str, dict[str | None, list[int]]] = {dimension: {} for dimension in DIMENSIONS}
    for *keys, is_late, how_many in rows:
        for dimension, key in zip(DIMENSIONS, keys, strict=True):
            figure = sums[dimension].setdefault(None if key is None else str(key), [0, 0])
            figure[0 if is_late else 1] += how_many
    result = {dimension: [Figure(key, late_count, soon) for key, (late_count, soon) in figures.items()]
              for dimension, figures in sums.items()}
    for figures in result.values():
        figures.sort(key=lambda f: (-f.overdue, -f.due_soon, f.key or ""))
    return result


def _how_many(clause: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((clause, 1), else_=0)), 0)


def _waiting(session: Session, user: User, cutoff: date) -> tuple[int, int, int, int]:
    """Open requests, those waiting on us, on the partner, and sent without acknowledgement."""
    row = session.execute(select(func.count(), _how_many(waiting_clause(on_partner=False)),
                                 _how_many(waiting_clause(on_partner=True)),
                                 _how_many(unacknowledged_clause(cutoff)))
                          .where(visibility_clause(user), is_open_clause())).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _oldest(session: Session, user: User, today: date) -> list[OldItem]:
    rows = session.scalars(select(AssistanceRequest).where(visibility_clause(user), is_open_clause())
                           .order_by(AssistanceRequest.created_at, AssistanceRequest.id).limit(OLDEST_LIMIT))
    return [OldItem(item, (today - item.created_at.date()).days) for item in rows]


def _names(session: Session, board: Dashboard) -> None:
    office_ids = {int(f.key) for f in board.breakdowns["office"] if f.key}
    person_ids = {int(f.key) for f in board.breakdowns["assignee"] if f.key}
    if office_ids:
        board.offices = {row.id: (row.code, row.name) for row in session.execute(
            select(Office.id, Office.code, Office.name).where(Office.id.in_(office_ids)))}
    if person_ids:
        board.people = {row.id: row.full_name for row in session.execute(
            select(User.id, User.full_name).where(User.id.in_(person_ids)))}


def build_dashboard(session: Session, user: User, today: date,
                    unacknowledged_days: int = UNACKNOWLEDGED_DAYS) -> Dashboard:
    """Everything the dashboard shows, limited to the requests `user` may see."""
    board = Dashboard(today=today, unacknowledged_days=unacknowledged_days)
    board.breakdowns = _breakdowns(session, user, today)
    board.overdue = sum(f.overdue for f in board.breakdowns["country"])
    board.due_soon = sum(f.due_soon for f in board.breakdowns["country"])
    cutoff = unacknowledged_since(session, today, unacknowledged_days)
    board.open, board.waits_on_us, board.waits_on_partner, board.unacknowledged = _waiting(
        session, user, cutoff)
    board.oldest = _oldest(session, user, today)
    _names(session, board)
    return board
