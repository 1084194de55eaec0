"""Offices, user accounts and sign-in throttling."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mla.domain.enums import Role
from mla.models.base import Base, CreatedAt, enum_type


class Office(CreatedAt, Base):
    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Dushanbe")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The language its requests' free text is written in unless the form says otherwise (README).
    drafting_language: Mapped[str] = mapped_column(String(16), default="ru", server_default="ru")

    users: Mapped[list[User]] = relationship(back_populates="office")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class User(CreatedAt, Base):
    """A person who signs in. Their sign-ins are `UserSession` records; `totp_last_step` is the
    time step of the last second-factor code accepted, so no code is accepted twice."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    position: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    locale: Mapped[str | None] = mapped_column(String(16))
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Dushanbe")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    ical_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    digest_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    last_sign_in_at: Mapped[datetime | None] = mapped_column()
    # Moved by an administrator's edit of the account only (services.users.update_user), not by
    # sign-ins, language or feed changes: those touch no field of the edit form, and a version_id_col
    # would turn a sign-in at the same moment into a failed write. The server default keeps accounts
    # inserted by hand (scripts, tests) working.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    office: Mapped[Office | None] = relationship(back_populates="users")

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False


class SignInThrottle(Base):
    """Failures counted under one key: an e-mail and an address, an e-mail alone, or an account's
    second factor. E-mail keys are kept whether or not the account exists, so that slowing down
    does not reveal which addresses are registered."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column()
    last_failure_at: Mapped[datetime | None] = mapped_column()
