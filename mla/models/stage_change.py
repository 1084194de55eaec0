"""The history of a request's stages: who moved it, when, from where to where, and why."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mla.domain.enums import Stage
from mla.models.base import Base, enum_type, utcnow
from mla.models.user import User


class StageChange(Base):
    """One move of a request; a dispatch (transmission, more information sent, evidence returned) also
    keeps its date, channel and register number."""

    __tablename__ = "stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), index=True
    )
    move: Mapped[str] = mapped_column(String(60))
    from_stage: Mapped[Stage | None] = mapped_column(enum_type(Stage, "from_stage"))
    to_stage: Mapped[Stage] = mapped_column(enum_type(Stage, "to_stage"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A move that sends something to the partner (workflow.is_dispatch): its own date, channel and number,
    # whatever the request's first transmission recorded.
    sent_on: Mapped[date | None] = mapped_column(Date)
    channel_code: Mapped[str | None] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(100), default="")

    actor: Mapped[User | None] = relationship()
