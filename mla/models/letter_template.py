"""Letter template versions uploaded by administrators, and which one is in use per kind and language."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mla.domain.enums import LetterKind
from mla.models.base import Base, enum_type, utcnow


class LetterTemplateVersion(Base):
    """One uploaded .docx (its bytes in `blob`). `is_active` is True for the version in use and NULL for
    every other, so the unique constraint allows one version in use per kind and language; with none in
    use, the template shipped in letter_templates/ serves."""

    __tablename__ = "letter_template_version"
    __table_args__ = (
        UniqueConstraint("letter_kind", "language", "version_no"),
        UniqueConstraint("letter_kind", "language", "is_active", name="uq_letter_template_version_active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_kind: Mapped[LetterKind] = mapped_column(enum_type(LetterKind, "letter_kind"))
    language: Mapped[str] = mapped_column(String(16))
    version_no: Mapped[int] = mapped_column(Integer)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    note: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool | None] = mapped_column(Boolean)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
