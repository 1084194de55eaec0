"""Assistance requests (outgoing and incoming, MLA and police-to-police), their legal
bases, links to other requests, translations of their free text, and reference counters."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mla.domain.enums import Direction, LinkKind, RequestKind, Stage, Urgency
from mla.models.base import Base, CreatedAt, Versioned, enum_type, utcnow
from mla.models.national_case import NationalCase
from mla.models.user import Office, User


class AssistanceRequest(CreatedAt, Versioned, Base):
    """One request with the fields of DOMAIN.md §1.6; `version` guards concurrent edits."""

    __tablename__ = "assistance_request"
    # The list filters by one column and pages in id order, or sorts by deadline or last change: each
    # index ends on the id, so that a page deep in the list is read from the index alone.
    __table_args__ = (
        Index("ix_assistance_request_stage_id", "stage", "id"),
        Index("ix_assistance_request_office_id_id", "office_id", "id"),
        Index("ix_assistance_request_country_iso2_id", "country_iso2", "id"),
        Index("ix_assistance_request_deadline_on_id", "deadline_on", "id"),
        Index("ix_assistance_request_updated_at_id", "updated_at", "id"),
        Index("ix_assistance_request_next_due_on_id", "next_due_on", "id"),
        # An overdue list page in id order walks this narrow index instead of the wide rows.
        Index("ix_assistance_request_id_next_due_on", "id", "next_due_on"),
        # The dashboard's counts: each pair it groups by, then the next due date (and the office, which
        # limits a drafter's view); its open requests by stage, direction and kind; the oldest open ones,
        # walked from the first created.
        Index("ix_assistance_request_country_stage_due", "country_iso2", "stage", "next_due_on", "office_id"),
        Index("ix_assistance_request_office_assignee_due", "office_id", "assignee_id", "next_due_on"),
        Index("ix_assistance_request_stage_shape", "stage", "direction", "kind", "office_id"),
        Index("ix_assistance_request_created_open", "created_at", "id", "stage", "office_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    direction: Mapped[Direction] = mapped_column(enum_type(Direction, "direction"), index=True)
    kind: Mapped[RequestKind] = mapped_column(enum_type(RequestKind, "kind"), index=True)
    stage: Mapped[Stage] = mapped_column(enum_type(Stage, "stage"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    national_case_id: Mapped[int | None] = mapped_column(ForeignKey("national_case.id"), index=True)
    country_iso2: Mapped[str] = mapped_column(ForeignKey("country_profile.iso2"))
    # parties and legal basis
    requesting_authority: Mapped[str] = mapped_column(Text, default="")
    conducting_authority: Mapped[str] = mapped_column(Text, default="")
    addressee: Mapped[str] = mapped_column(Text, default="")
    channel_code: Mapped[str | None] = mapped_column(String(40))
    request_language: Mapped[str | None] = mapped_column(String(16))
    # the language its free text is written in; translations are into other languages
    drafting_language: Mapped[str] = mapped_column(String(16), default="ru")
    # the desk or a manager asked the translators for it, whatever its stage (domain.access)
    translation_asked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # case and facts
    subject_matter: Mapped[str] = mapped_column(Text, default="")
    facts_summary: Mapped[str] = mapped_column(Text, default="")
    offences: Mapped[str] = mapped_column(Text, default="")
    law_text_annexed: Mapped[bool] = mapped_column(Boolean, default=False)
    dual_criminality_note: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    evidence_location_reason: Mapped[str] = mapped_column(Text, default="")
    # urgency, confidentiality, protection
    urgency: Mapped[Urgency] = mapped_column(enum_type(Urgency, "urgency"), default=Urgency.NORMAL)
    deadline_on: Mapped[date | None] = mapped_column(Date)
    deadline_reason: Mapped[str] = mapped_column(Text, default="")
    # Kept by mla.services.clocks.lifecycle (domain.deadlines.next_due_on): the earlier of deadline_on and the
    # open clocks' due dates, None once ended; "overdue" and "due soon" are ranges of its index.
    next_due_on: Mapped[date | None] = mapped_column(Date)
    is_confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    confidentiality_reason: Mapped[str] = mapped_column(Text, default="")
    use_restrictions: Mapped[str] = mapped_column(Text, default="")
    victim_protection: Mapped[str] = mapped_column(Text, default="")
    handling_code: Mapped[str] = mapped_column(String(8), default="")
    prior_informal_contact: Mapped[str] = mapped_column(Text, default="")
    contact_person: Mapped[str] = mapped_column(Text, default="")
    costs_note: Mapped[str] = mapped_column(Text, default="")
    # references and transmission
    partner_reference: Mapped[str] = mapped_column(String(100), default="", index=True)
    outgoing_number: Mapped[str] = mapped_column(String(100), default="")
    received_on: Mapped[date | None] = mapped_column(Date)
    transmitted_on: Mapped[date | None] = mapped_column(Date)
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    refusal_ground_code: Mapped[str | None] = mapped_column(ForeignKey("refusal_ground.code"))
    # people
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    office: Mapped[Office] = relationship()
    national_case: Mapped[NationalCase | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    legal_bases: Mapped[list[RequestLegalBasis]] = relationship(cascade="all, delete-orphan")


class RequestLegalBasis(Base):
    __tablename__ = "request_legal_basis"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), primary_key=True
    )
    treaty_code: Mapped[str] = mapped_column(ForeignKey("treaty.code"), primary_key=True)


class RequestLink(CreatedAt, Base):
    """A directed link: `from_request` is supplementary to, converted into, a reply to,
    or related to `to_request`."""

    __tablename__ = "request_link"
    __table_args__ = (UniqueConstraint("from_request_id", "to_request_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), index=True
    )
    to_request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[LinkKind] = mapped_column(enum_type(LinkKind, "kind"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class TextTranslation(Versioned, Base):
    """The target-language version of one free-text field, entered by a translator;
    `field_key` is a request column ("facts_summary") or "measure:<id>:<column>"."""

    __tablename__ = "text_translation"
    __table_args__ = (UniqueConstraint("request_id", "field_key", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), index=True
    )
    field_key: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    translator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReferenceCounter(Base):
    """The last number given per prefix and year (OUT-MLA-2026), so references stay
    gap-free: the counter row is locked and bumped in the transaction that creates."""

    __tablename__ = "reference_counter"

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
