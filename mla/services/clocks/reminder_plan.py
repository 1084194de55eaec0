"""Deciding a sweep: which reminders are due and not yet claimed, which failed ones to retry, and for whom.

Read-only: one scan of the open clocks (running, or missed and not yet met; never paused or stopped) due
up to the furthest reminder step, the claims already made for them, and the people to remind, each of
whom is reminded only of requests they may open at this sweep (mla.domain.access, with their role and
office as they are now). The result groups everything per recipient; `reminders.py` claims and sends it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, String, and_, or_, select, type_coerce
from sqlalchemy.orm import Session

from mla.domain.access import may_see_request
from mla.domain.calendar import local_date
from mla.domain.enums import ClockKind, ClockState, ReminderState, Role, Stage
from mla.domain.reminders import (
    ReminderPolicy,
    WorkingDays,
    escalation_level,
    level_of,
    personal_step,
    step_key,
    thresholds,
)
from mla.models import AssistanceRequest, Clock, DigestDay, Reminder, User
from mla.notify.digest import DigestItem

# A claim whose send never recorded an outcome (the process died mid-send) is retried after this.
CLAIM_LEASE = timedelta(hours=1)
# A missed clock stays open until the stage that meets it is reached: it keeps being reminded of.
OPEN_STATES = (ClockState.RUNNING, ClockState.MISSED)


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    name: str
    locale: str | None
    time_zone: str
    opted_out: bool
    role: Role
    office_id: int | None


class ClockRow(NamedTuple):
    """One open clock as the scan reads it, with what the sweep needs of its request."""

    id: int
    request_id: int
    kind: str
    due_on: date
    revision: int
    responsible_id: int | None
    reference: str
    country_iso2: str
    office_id: int
    assignee_id: int | None
    stage: str
    translation_asked: bool


class Due(NamedTuple):
    """A reminder due and not yet claimed: the clock, the step key, the escalation level."""

    row: ClockRow
    key: str
    level: int


class Retry(NamedTuple):
    """A claimed reminder to send again."""

    reminder_id: int
    row: ClockRow
    level: int


@dataclass
class Batch:
    """What one person is due: new reminders and failed ones to retry."""

    recipient: Recipient
    new: list[Due] = field(default_factory=list)
    retry: list[Retry] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.new) + len(self.retry)

    def items(self) -> tuple[DigestItem, ...]:
        """The digest's lines; built only for what is actually sent, not for every clock scanned."""
        entries: list[Due | Retry] = [*self.new, *self.retry]
        return tuple(_item(entry.row, entry.level) for entry in entries)


@dataclass
class SweepPlan:
    today: date
    batches: dict[int, Batch] = field(default_factory=dict)
    unassigned_clocks: int = 0

    def batch(self, recipient: Recipient) -> Batch:
        batch = self.batches.get(recipient.id)
        if batch is None:
            batch = self.batches[recipient.id] = Batch(recipient)
        return batch


class People:
    """The active users, and the managers each escalation level reaches."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(User.id, User.email, User.full_name, User.locale, User.time_zone,
                                      User.digest_opt_out, User.role, User.office_id)
                               .where(User.is_active))
        self.by_id: dict[int, Recipient] = {}
        self.managers_of: dict[int | None, list[int]] = defaultdict(list)
        self.all_managers: list[int] = []
        self.desk: list[int] = []
        for row in rows:
            self.by_id[row.id] = Recipient(row.id, (row.email or "").strip(), row.full_name, row.locale,
                                           row.time_zone, row.digest_opt_out, row.role, row.office_id)
            if row.role == Role.MANAGER:
                self.managers_of[row.office_id].append(row.id)
                self.all_managers.append(row.id)
            elif row.role == Role.DESK:
                self.desk.append(row.id)

    def personal(self, clock: ClockRow) -> list[int]:
        """Who answers for a clock, as "My deadlines" shows it (services.clocks): the person it names,
        else the request's assignee, else, when neither is an active user, every desk officer."""
        if clock.responsible_id in self.by_id:
            return [clock.responsible_id]
        if clock.assignee_id in self.by_id:
            return [clock.assignee_id]
        return self.desk

    def escalation(self, office_id: int) -> list[int]:
        """The managers of the request's office, or every manager when the office has none. Each
        level alerts them again, marked with its level (offices have no hierarchy to climb)."""
        return self.managers_of.get(office_id) or self.all_managers

    def may_open(self, user_id: int, clock: ClockRow) -> bool:
        """Whether the user may open the clock's request now: a digest names nothing else."""
        return may_see_request(self.by_id[user_id], clock.office_id, Stage(clock.stage),
                               assignee_id=clock.assignee_id, translation_asked=clock.translation_asked)


def _open_clocks() -> Select:
    # the kind and stage as stored strings: converting 20,000 enum values costs more than the scan itself
    return (select(Clock.id, Clock.request_id, type_coerce(Clock.kind, String).label("kind"), Clock.due_on,
                   Clock.revision, Clock.responsible_id, AssistanceRequest.reference,
                   AssistanceRequest.country_iso2, AssistanceRequest.office_id, AssistanceRequest.assignee_id,
                   type_coerce(AssistanceRequest.stage, String).label("stage"),
                   AssistanceRequest.translation_asked)
            .join(AssistanceRequest, AssistanceRequest.id == Clock.request_id)
            .where(Clock.state.in_(OPEN_STATES), Clock.stopped_on.is_(None)))


def _item(row: ClockRow, level: int = 0) -> DigestItem:
    return DigestItem(clock_id=row.id, request_id=row.request_id, reference=row.reference,
                      country_iso2=row.country_iso2, kind=ClockKind(row.kind), due_on=row.due_on,
                      revision=row.revision, escalation_level=level)


def _claimed(session: Session, horizon: date) -> set[tuple[int, int, str]]:
    rows = session.connection().execute(select(Reminder.clock_id, Reminder.recipient_id, Reminder.step)
                           .join(Clock, Clock.id == Reminder.clock_id)
                           .where(Clock.state.in_(OPEN_STATES), Clock.stopped_on.is_(None),
                                  Clock.due_on <= horizon))
    return {(clock_id, recipient_id, step) for clock_id, recipient_id, step in rows}


def _add_new(plan: SweepPlan, people: People, claimed: set, row: ClockRow,
             steps: Callable[[date], tuple[str | None, int]]) -> None:
    step, level = steps(row.due_on)
    if step is not None:
        recipients = [uid for uid in people.personal(row) if people.may_open(uid, row)]
        plan.unassigned_clocks += not recipients
        key = step_key(step, row.revision)
        for uid in recipients:
            if (row.id, uid, key) not in claimed:
                plan.batch(people.by_id[uid]).new.append(Due(row, key, 0))
    if level:
        key = step_key(f"escalation_{level}", row.revision)
        for uid in people.escalation(row.office_id):
            if (row.id, uid, key) not in claimed and people.may_open(uid, row):
                plan.batch(people.by_id[uid]).new.append(Due(row, key, level))


def _add_retries(session: Session, plan: SweepPlan, people: People, now: datetime) -> None:
    """Failed sends, and claims whose send never reported back within the lease, of open clocks."""
    stale = and_(Reminder.state == ReminderState.PENDING, Reminder.claimed_at < now - CLAIM_LEASE)
    rows = session.connection().execute(
        _open_clocks().add_columns(Reminder.id.label("reminder_id"), Reminder.recipient_id,
                                          Reminder.step)
        .join(Reminder, Reminder.clock_id == Clock.id)
        .where(or_(Reminder.state == ReminderState.FAILED, stale)))
    for row in rows:
        recipient = people.by_id.get(row.recipient_id)
        clock = ClockRow._make(row[:len(ClockRow._fields)])
        if recipient is not None and people.may_open(recipient.id, clock):
            plan.batch(recipient).retry.append(Retry(row.reminder_id, clock, level_of(row.step)))


def plan_sweep(session: Session, *, now: datetime, policy: ReminderPolicy,
               calendar: WorkingDays) -> SweepPlan:
    """Everything due at `now` and not yet claimed, plus what is to be retried, per recipient."""
    limits = thresholds(policy, calendar, local_date(now, policy.time_zone))
    plan = SweepPlan(today=limits.today)
    people = People(session)
    claimed = _claimed(session, limits.horizon)
    scan = session.connection().execute(_open_clocks().where(Clock.due_on <= limits.horizon))
    # many clocks share a due date: decide each date's steps once
    steps = cache(lambda due_on: (personal_step(due_on, limits), escalation_level(due_on, limits)))
    for row in map(ClockRow._make, scan.all()):
        _add_new(plan, people, claimed, row, steps)
    _add_retries(session, plan, people, now)
    return plan


def digests_already_claimed(session: Session, recipient_ids: list[int],
                            days: set[date]) -> set[tuple[int, date]]:
    """(recipient, local day) pairs whose daily digest someone already claimed."""
    if not recipient_ids or not days:
        return set()
    rows = session.execute(select(DigestDay.recipient_id, DigestDay.day)
                           .where(DigestDay.day.in_(sorted(days))))
    wanted = set(recipient_ids)
    return {(rid, day) for rid, day in rows if rid in wanted}
