"""Server-side sign-in sessions, and the second factor's one-time recovery codes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mla.domain.enums import SessionEnd
from mla.models.base import Base, CreatedAt, enum_type
from mla.models.user import User


class UserSession(CreatedAt, Base):
    """One sign-in on one browser. The cookie carries a random id; only its SHA-256 is stored, so
    a copy of the database cannot be replayed as a cookie. A session that still awaits the second
    factor signs nobody in: it only lets that browser type the code."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    awaits_second_factor: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    end_reason: Mapped[SessionEnd | None] = mapped_column(enum_type(SessionEnd, "end_reason"))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """A code that stands in for the authenticator app once; stored as a SHA-256 hash (each code
    carries 60 random bits, so a slow hash would add nothing but time)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column()
