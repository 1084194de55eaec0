"""The managers' dashboard (read-only): overdue and due-soon counts by partner country, stage, office
and assignee, the oldest open requests, outgoing requests sent without acknowledgement, and whom the
open requests wait on. Every figure is defined by a clause of mla/services/requests/queries.py that
the request list filters by too, so a figure and the list behind it always agree."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from mla.domain.workflow import MACHINES
from mla.models import AssistanceRequest, Office, User
from mla.services.clocks.calendars import calendar_for
from mla.services.requests.queries import (
    DUE_SOON_DAYS,
    OPEN_STAGES,
    is_open_clause,
    unacknowledged_clause,
    unacknowledged_cutoff,
    visibility_clause,
)

UNACKNOWLEDGED_DAYS = 10  # working days, the default of ?unacknowledged=
UNACKNOWLEDGED_MIN = 1
UNACKNOWLEDGED_MAX = 365
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
    item: AssistanceRequest
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


def unacknowledged_since(session: Session, today: date, days: int, *, home_iso2: str) -> date:
    """The transmission date before which a request has waited more than `days` working days on
    the home country's calendar."""
    return unacknowledged_cutoff(calendar_for(session, home_iso2), today, days)


def _sums(rows: Iterable[Row], dimensions: tuple[str, str]) -> dict[str, list[Figure]]:
    """Figures per value of each of two dimensions, from rows (first key, second key, late, flagged)."""
    sums: dict[str, dict[str | None, list[int]]] = {dimension: {} for dimension in dimensions}
    for first, second, late, flagged in rows:
        for dimension, key in zip(dimensions, (first, second), strict=True):
            figure = sums[dimension].setdefault(None if key is None else str(key), [0, 0])
            figure[0] += int(late or 0)
            figure[1] += int(flagged) - int(late or 0)
    return {dimension: sorted((Figure(key, late, soon) for key, (late, soon) in figures.items()),
                              key=lambda f: (-f.overdue, -f.due_soon, f.key or ""))
            for dimension, figures in sums.items()}


def _breakdowns(session: Session, user: User, today: date) -> dict[str, list[Figure]]:
    """Overdue and due-soon counts per value of each dimension: the requests whose stored next due date
    (None once ended) is at most DUE_SOON_DAYS ahead, counted by (country, stage) and by (office,
    assignee). Each pair is the head of an index ending on next_due_on, which both databases read
    without touching the table or sorting."""
    due = AssistanceRequest.next_due_on
    late = func.sum(case((due < today, 1), else_=0))
    flagged = (visibility_clause(user), due <= today + timedelta(days=DUE_SOON_DAYS))
    result: dict[str, list[Figure]] = {}
    pairs = {("country", "stage"): (AssistanceRequest.country_iso2, AssistanceRequest.stage),
             ("office", "assignee"): (AssistanceRequest.office_id, AssistanceRequest.assignee_id)}
    for names, columns in pairs.items():
        rows = session.execute(select(*columns, late, func.count()).where(*flagged).group_by(*columns))
        result |= _sums(rows, names)
    return {dimension: result[dimension] for dimension in DIMENSIONS}


def _waiting(session: Session, user: User, cutoff: date) -> tuple[int, int, int, int]:
    """Open requests, those waiting on us, on the partner (by the stage sets of each machine, as
    queries.waiting_clause), and those sent without acknowledgement."""
    everyone = us = partner = 0
    shape = (AssistanceRequest.stage, AssistanceRequest.direction, AssistanceRequest.kind)
    rows = session.execute(select(*shape, func.count()).group_by(*shape)
                           .where(visibility_clause(user), AssistanceRequest.stage.in_(OPEN_STAGES)))
    for stage, direction, kind, how_many in rows:
        machine = MACHINES[(direction, kind)]
        everyone += how_many
        partner += how_many if stage in machine.waiting_on_partner else 0
        us += how_many if stage in machine.waiting_on_us() else 0
    unacknowledged = session.scalar(select(func.count()).select_from(AssistanceRequest)
                                    .where(visibility_clause(user), unacknowledged_clause(cutoff))) or 0
    return everyone, us, partner, unacknowledged


def _oldest(session: Session, user: User, today: date) -> list[OldItem]:
    """The OLDEST_LIMIT open requests created first: a walk of the (created_at, id, stage, office)
    index from its start, which stops at the tenth open one (old requests are mostly closed, so it
    reads a few dozen entries)."""
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


def build_dashboard(session: Session, user: User, today: date, *, home_iso2: str,
                    unacknowledged_days: int = UNACKNOWLEDGED_DAYS) -> Dashboard:
    """Everything the dashboard shows, limited to the requests `user` may see."""
    board = Dashboard(today=today, unacknowledged_days=unacknowledged_days)
    board.breakdowns = _breakdowns(session, user, today)
    board.overdue = sum(f.overdue for f in board.breakdowns["country"])
    board.due_soon = sum(f.due_soon for f in board.breakdowns["country"])
    cutoff = unacknowledged_since(session, today, unacknowledged_days, home_iso2=home_iso2)
    board.open, board.waits_on_us, board.waits_on_partner, board.unacknowledged = _waiting(
        session, user, cutoff)
    board.oldest = _oldest(session, user, today)
    _names(session, board)
    return board
