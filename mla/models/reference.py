"""Reference data kept in the database: country profiles, treaties, picklists, calendar days."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mla.models.base import Base, utcnow


class CountryProfile(Base):
    """A partner country as the desk needs it; `facts` holds, per field, its source and
    confidence mark (T/P/B/not found) so that unverified facts can be flagged."""

    __tablename__ = "country_profile"

    iso2: Mapped[str] = mapped_column(String(2), primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), unique=True)
    iso_numeric: Mapped[str] = mapped_column(String(3))
    is_home: Mapped[bool] = mapped_column(Boolean, default=False)
    time_zone: Mapped[str] = mapped_column(String(64))
    weekend_days: Mapped[list[int]] = mapped_column(JSON)
    holiday_calendar: Mapped[str] = mapped_column(String(8), default="")
    official_languages: Mapped[list[str]] = mapped_column(JSON)
    request_languages: Mapped[list[str]] = mapped_column(JSON)
    channels: Mapped[list[str]] = mapped_column(JSON)
    central_authorities: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    formal_requirements: Mapped[list[str]] = mapped_column(JSON)
    memberships: Mapped[dict[str, bool]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="")
    facts: Mapped[dict[str, dict[str, Any]]] = mapped_column(JSON)
    data_version: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Treaty(Base):
    __tablename__ = "treaty"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(10))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    citation: Mapped[str] = mapped_column(Text, default="")
    basis_phrase: Mapped[dict[str, str]] = mapped_column(JSON)
    fact: Mapped[dict[str, Any]] = mapped_column(JSON)
    data_version: Mapped[str] = mapped_column(String(32))

    parties: Mapped[list[TreatyParty]] = relationship(
        back_populates="treaty", cascade="all, delete-orphan"
    )


class TreatyParty(Base):
    __tablename__ = "treaty_party"
    __table_args__ = (UniqueConstraint("treaty_code", "country_iso2"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    treaty_code: Mapped[str] = mapped_column(ForeignKey("treaty.code", ondelete="CASCADE"))
    country_iso2: Mapped[str] = mapped_column(ForeignKey("country_profile.iso2"))
    status: Mapped[str] = mapped_column(String(12))
    in_force_on: Mapped[date | None] = mapped_column(Date)
    fact: Mapped[dict[str, Any]] = mapped_column(JSON)

    treaty: Mapped[Treaty] = relationship(back_populates="parties")


class AssistanceType(Base):
    __tablename__ = "assistance_type"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    untoc_ref: Mapped[str] = mapped_column(String(40), default="")
    is_coercive: Mapped[bool] = mapped_column(Boolean)
    police_channel_ok: Mapped[bool] = mapped_column(Boolean)
    labels: Mapped[dict[str, str]] = mapped_column(JSON)
    fact: Mapped[dict[str, Any]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)


class RefusalGround(Base):
    __tablename__ = "refusal_ground"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    ref: Mapped[str] = mapped_column(String(80), default="")
    is_permitted: Mapped[bool] = mapped_column(Boolean)
    labels: Mapped[dict[str, str]] = mapped_column(JSON)
    fact: Mapped[dict[str, Any]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)


class OffenceCategory(Base):
    __tablename__ = "offence_category"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    labels: Mapped[dict[str, str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)


class CalendarDay(Base):
    """A day an admin adds to a country's calendar: an extra holiday, or a decreed
    transfer that makes a weekend day a working day."""

    __tablename__ = "calendar_day"
    __table_args__ = (UniqueConstraint("country_iso2", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso2: Mapped[str] = mapped_column(ForeignKey("country_profile.iso2"))
    day: Mapped[date] = mapped_column(Date)
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
