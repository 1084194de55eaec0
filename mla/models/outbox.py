"""The mail outbox (messages kept in the database when no SMTP server is set) and the daily digest claims."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mla.models.base import Base, CreatedAt


class OutboxMessage(CreatedAt, Base):
    """One message as it would have left over SMTP: the searchable parts, and `raw`, the whole
    RFC 5322 message with its attachments, so an admin can open it in a mail client."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(400))
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    attachment_names: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class DigestDay(CreatedAt, Base):
    """The claim on one person's digest of one local day: whoever inserts it first sends the
    day's digest, so no one gets two in a day even when two sweeps run at once."""

    __tablename__ = "digest_day"
    __table_args__ = (UniqueConstraint("recipient_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    reminder_count: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime] = mapped_column()
