"""Clocks (named deadlines of a request) and the reminders each one gives rise to."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mla.domain.enums import ClockKind, ClockState, Counting, ReminderState
from mla.models.base import Base, CreatedAt, enum_type


class Clock(CreatedAt, Base):
    """One running (or stopped) deadline, counted on the calendar of `calendar_iso2`."""

    __tablename__ = "clock"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ClockKind] = mapped_column(enum_type(ClockKind, "kind"))
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[ClockState] = mapped_column(enum_type(ClockState, "state"), index=True)
    counting: Mapped[Counting] = mapped_column(enum_type(Counting, "counting"))
    calendar_iso2: Mapped[str] = mapped_column(ForeignKey("country_profile.iso2"))
    started_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    paused_on: Mapped[date | None] = mapped_column(Date)
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    stopped_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revision: Mapped[int] = mapped_column(Integer, default=0)


class Reminder(Base):
    """A reminder of one clock for one person at one step (before_5, due, overdue,
    escalation_1, ...); the unique key is the claim that makes sending exactly-once."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("clock_id", "recipient_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clock_id: Mapped[int] = mapped_column(ForeignKey("clock.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[ReminderState] = mapped_column(enum_type(ReminderState, "state"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
