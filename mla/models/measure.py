"""Requested measures: what is asked for, how, and what came of it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from mla.domain.enums import MeasureStatus
from mla.models.base import Base, CreatedAt, Versioned, enum_type


class Measure(CreatedAt, Versioned, Base):
    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), index=True
    )
    assistance_type_code: Mapped[str] = mapped_column(ForeignKey("assistance_type.code"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[str] = mapped_column(Text, default="")
    procedure: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MeasureStatus] = mapped_column(
        enum_type(MeasureStatus, "status"), default=MeasureStatus.PENDING
    )
    result_note: Mapped[str] = mapped_column(Text, default="")
    evidence_received_on: Mapped[date | None] = mapped_column(Date)
