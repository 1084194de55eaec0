"""Stored files: content-addressed blobs, the attachments users upload, and the letters
the application generates; all live in the database so it is the one thing to back up."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mla.domain.enums import LetterKind
from mla.models.base import Base, CreatedAt, enum_type, utcnow


class Blob(CreatedAt, Base):
    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(120))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), index=True
    )
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    filename: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class GeneratedDocument(Base):
    """A generated letter; generating again adds a version, never overwrites."""

    __tablename__ = "generated_document"
    __table_args__ = (UniqueConstraint("request_id", "letter_kind", "language", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), index=True
    )
    letter_kind: Mapped[LetterKind] = mapped_column(enum_type(LetterKind, "letter_kind"))
    language: Mapped[str] = mapped_column(String(16))
    second_language: Mapped[str | None] = mapped_column(String(16))
    version_no: Mapped[int] = mapped_column(Integer)
    template_version: Mapped[str] = mapped_column(String(80))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
