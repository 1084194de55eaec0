"""Operational state: when each background service was last seen alive."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from mla.models.base import Base, utcnow


class ServiceHeartbeat(Base):
    __tablename__ = "service_heartbeat"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[str] = mapped_column(String(200), default="")
