"""The reminder sweep: claim each due reminder in the database, then send one digest per person per day.

Exactly once: a reminder is claimed by inserting its Reminder row (unique per clock, recipient and step),
and a person's digest of the day by inserting its DigestDay row; both are committed BEFORE anything is
sent, so two sweeps or two schedulers never send the same reminder twice. The outcome of each send is
committed after it: sent, or failed with the error and one more attempt, for a later sweep to retry.
This is the one service that commits, because the claim must be durable before the mail leaves.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mla.domain.enums import ReminderState
from mla.domain.reminders import ReminderPolicy, WorkingDays, in_working_hours, local_now
from mla.models import DigestDay, Reminder
from mla.notify.digest import Digest, compose_digest
from mla.notify.mail import MailConnection, Mailer, MailError, MailUnavailable
from mla.services.clocks.calendars import calendar_for
from mla.services.clocks.reminder_plan import (
    CLAIM_LEASE,
    Batch,
    SweepPlan,
    digests_already_claimed,
    plan_sweep,
)
from mla.services.requests.queries import updated_rows

log = logging.getLogger(__name__)
SessionFactory = Callable[[], Session]


@dataclass(frozen=True)
class Delivery:
    recipient: str
    reminders: int
    subject: str = ""
    error: str = ""


@dataclass(frozen=True)
class Notice:
    recipient: str
    reason: str
    reminders: int


@dataclass(frozen=True)
class Ready:
    """A batch that may go now: the recipient's local day, and whether its digest claim is still open."""

    batch: Batch
    day: date
    claim_day: bool


@dataclass
class SweepReport:
    """What one sweep did; `planned` is what a dry run would have sent."""

    now: datetime
    dry_run: bool
    due: int = 0
    sent: list[Delivery] = field(default_factory=list)
    failed: list[Delivery] = field(default_factory=list)
    planned: list[Delivery] = field(default_factory=list)
    waiting: list[Notice] = field(default_factory=list)
    skipped: list[Notice] = field(default_factory=list)
    unassigned_clocks: int = 0

    def lines(self) -> list[str]:
        out = [f"sent {d.reminders} reminder(s) to {d.recipient}: {d.subject}" for d in self.sent]
        out += [f"would send {d.reminders} reminder(s) to {d.recipient}" for d in self.planned]
        out += [f"FAILED {d.reminders} reminder(s) to {d.recipient}, to be retried: {d.error}"
                for d in self.failed]
        out += [f"waiting: {n.reminders} reminder(s) for {n.recipient}: {n.reason}" for n in self.waiting]
        out += [f"skipped: {n.reminders} reminder(s) for {n.recipient}: {n.reason}" for n in self.skipped]
        if self.unassigned_clocks:
            out.append(f"skipped: {self.unassigned_clocks} clock(s) with no active user to remind")
        total = sum(d.reminders for d in self.sent)
        out.append(f"{'dry run: ' if self.dry_run else ''}{self.due} reminder(s) due, {total} sent "
                   f"in {len(self.sent)} digest(s), {len(self.failed)} failed")
        return out


def policy_from_config(config: Mapping[str, Any]) -> ReminderPolicy:
    return ReminderPolicy(offsets=tuple(config["REMINDER_OFFSETS"]),
                          escalation_days=tuple(config["ESCALATION_DAYS"]),
                          working_hours=tuple(config["WORKING_HOURS"]),
                          default_locale=config["DEFAULT_LOCALE"], time_zone=config["TIME_ZONE"],
                          base_url=config.get("BASE_URL", ""))


def _triage(session: Session, plan: SweepPlan, report: SweepReport, *, now: datetime,
            policy: ReminderPolicy, calendar: WorkingDays) -> list[Ready]:
    """The batches that may go now, with the recipient's local day; the rest wait or are skipped."""
    ready: list[Ready] = []
    local_days = {rid: local_now(now, batch.recipient.time_zone, policy.time_zone)
                  for rid, batch in plan.batches.items()}
    taken = digests_already_claimed(session, list(plan.batches), {t.date() for t in local_days.values()})
    for rid, batch in sorted(plan.batches.items()):
        who = batch.recipient
        local = local_days[rid]
        if who.opted_out:
            personal = [entry for entry in batch.new if not entry.level]
            batch.new = [entry for entry in batch.new if entry.level]
            if personal:
                report.skipped.append(Notice(who.email or who.name, "opted out of the digest", len(personal)))
        if not who.email:
            report.skipped.append(Notice(who.name, "no e-mail address", batch.size))
            log.warning("reminders: user %s has no e-mail address; %d reminder(s) wait", rid, batch.size)
            continue
        if batch.new and (rid, local.date()) in taken:
            report.waiting.append(Notice(who.email, "already had today's digest", len(batch.new)))
            batch.new = []
        if batch.size and not in_working_hours(local, policy.working_hours, calendar):
            report.waiting.append(Notice(who.email, "outside working hours", batch.size))
            continue
        if batch.size:
            ready.append(Ready(batch, local.date(), claim_day=(rid, local.date()) not in taken))
    return ready


def _claim(session_factory: SessionFactory, ready: Ready, *, now: datetime) -> list[int] | None:
    """Claim the day's digest, the new reminders and the retries in one committed transaction;
    None when another sweep got there first."""
    batch = ready.batch
    with session_factory() as session:
        try:
            claimed = [Reminder(clock_id=due.row.id, recipient_id=batch.recipient.id, step=due.key,
                                due_on=due.row.due_on, state=ReminderState.PENDING, claimed_at=now,
                                attempts=0)
                       for due in batch.new]
            if ready.claim_day:
                session.add(DigestDay(recipient_id=batch.recipient.id, day=ready.day,
                                      reminder_count=batch.size, claimed_at=now))
            session.add_all(claimed)
            session.flush()
            retry_ids = [retry.reminder_id for retry in batch.retry]
            if retry_ids and _reclaim(session, retry_ids, now) != len(retry_ids):
                session.rollback()
                return None
            session.commit()
        except IntegrityError:
            session.rollback()
            return None
        return [row.id for row in claimed] + retry_ids


def _reclaim(session: Session, ids: list[int], now: datetime) -> int:
    # The conditional update is the claim of a retry: of two sweeps, only one flips the rows.
    stale = and_(Reminder.state == ReminderState.PENDING, Reminder.claimed_at < now - CLAIM_LEASE)
    result = session.execute(
        update(Reminder).where(Reminder.id.in_(ids), or_(Reminder.state == ReminderState.FAILED, stale))
        .values(state=ReminderState.PENDING, claimed_at=now).execution_options(synchronize_session=False))
    return updated_rows(result)


def _record(session_factory: SessionFactory, ids: list[int], *, now: datetime, error: str | None) -> None:
    values: dict[str, Any] = {"attempts": Reminder.attempts + 1}
    if error is None:
        values.update(state=ReminderState.SENT, sent_at=now, last_error="")
    else:
        values.update(state=ReminderState.FAILED, last_error=error[:2000])
    with session_factory() as session:
        session.execute(update(Reminder).where(Reminder.id.in_(ids)).values(**values)
                        .execution_options(synchronize_session=False))
        session.commit()


def _deliver(session_factory: SessionFactory, connection: MailConnection, ready: Ready, *,
             now: datetime, policy: ReminderPolicy, sender: str) -> Delivery | None:
    """Claim, send, record one person's digest; None when another sweep had claimed it."""
    ids = _claim(session_factory, ready, now=now)
    if ids is None:
        return None
    batch = ready.batch
    who = ready.batch.recipient
    digest = Digest(recipient_email=who.email, recipient_name=who.name,
                    locale=who.locale or policy.default_locale, today=ready.day, items=batch.items(),
                    base_url=policy.base_url)
    message = compose_digest(digest, sender=sender, now=now)
    try:
        connection.send(message)
    except MailError as exc:
        log.warning("reminders: digest to %s failed, to be retried: %s", who.email, exc)
        _record(session_factory, ids, now=now, error=str(exc))
        raise
    _record(session_factory, ids, now=now, error=None)
    return Delivery(who.email, len(ids), str(message["Subject"]))


def send_due_reminders(session_factory: SessionFactory, *, now: datetime, mailer: Mailer, home_iso2: str,
                       dry_run: bool = False, policy: ReminderPolicy | None = None,
                       calendar: WorkingDays | None = None) -> SweepReport:
    """One sweep at `now`: everything due and not yet claimed, and every failed send, goes out in
    one digest per person, over one mail connection. Missed sweeps are caught up by the next one."""
    policy = policy or ReminderPolicy()
    report = SweepReport(now=now, dry_run=dry_run)
    with session_factory() as session:
        calendar = calendar or calendar_for(session, home_iso2)
        plan = plan_sweep(session, now=now, policy=policy, calendar=calendar)
        ready = _triage(session, plan, report, now=now, policy=policy, calendar=calendar)
        session.rollback()
    report.due = sum(batch.size for batch in plan.batches.values())
    report.unassigned_clocks = plan.unassigned_clocks
    if dry_run:
        report.planned = [Delivery(r.batch.recipient.email, r.batch.size) for r in ready]
        return report
    _send_all(session_factory, mailer, ready, report, now=now, policy=policy)
    return report


def _send_all(session_factory: SessionFactory, mailer: Mailer, ready: list[Ready],
              report: SweepReport, *, now: datetime, policy: ReminderPolicy) -> None:
    with mailer.connect() as connection:
        for position, item in enumerate(ready):
            batch = item.batch
            try:
                delivery = _deliver(session_factory, connection, item, now=now, policy=policy,
                                    sender=mailer.sender)
            except MailUnavailable as exc:
                report.failed.append(Delivery(batch.recipient.email, batch.size, error=str(exc)))
                for later in ready[position + 1:]:
                    report.waiting.append(Notice(later.batch.recipient.email, "mail server unavailable",
                                                 later.batch.size))
                return
            except MailError as exc:
                report.failed.append(Delivery(batch.recipient.email, batch.size, error=str(exc)))
                continue
            if delivery is None:
                report.waiting.append(Notice(batch.recipient.email, "claimed by another sweep", batch.size))
            else:
                report.sent.append(delivery)
