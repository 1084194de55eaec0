"""Persons named in a request, with their names in every script the desk needs."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mla.domain.enums import PersonRole
from mla.models.base import Base, CreatedAt, Versioned, enum_type


class Person(CreatedAt, Versioned, Base):
    """A person in one request. `name_key` is the cross-script folded key computed when
    the row is written; `identity_group` joins records the desk linked as one person."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[PersonRole] = mapped_column(enum_type(PersonRole, "role"))
    name_original: Mapped[str] = mapped_column(String(300))
    name_latin: Mapped[str] = mapped_column(String(300), default="")
    name_cyrillic: Mapped[str] = mapped_column(String(300), default="")
    aliases: Mapped[str] = mapped_column(Text, default="")
    patronymic: Mapped[str] = mapped_column(String(200), default="")
    parents_names: Mapped[str] = mapped_column(String(300), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    birth_place: Mapped[str] = mapped_column(String(200), default="")
    nationality: Mapped[str] = mapped_column(String(100), default="")
    id_documents: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    gender: Mapped[str] = mapped_column(String(20), default="")
    is_protected: Mapped[bool] = mapped_column(Boolean, default=False)
    pseudonym: Mapped[str] = mapped_column(String(100), default="")
    disclose_identity: Mapped[bool] = mapped_column(Boolean, default=False)
    disclosure_reason: Mapped[str] = mapped_column(Text, default="")
    is_child: Mapped[bool] = mapped_column(Boolean, default=False)
    victim_language: Mapped[str] = mapped_column(String(16), default="")
    name_key: Mapped[str] = mapped_column(String(300), default="", index=True)
    identity_group: Mapped[str | None] = mapped_column(String(40), index=True)


class PersonDocument(Base):
    """One identity-document number of a person, normalised (domain.search_query.document_number_key)
    and indexed, so that a search by passport number is one index lookup."""

    __tablename__ = "person_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    number_key: Mapped[str] = mapped_column(String(40), index=True)
