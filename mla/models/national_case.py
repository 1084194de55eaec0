"""National criminal cases that requests serve."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mla.domain.enums import CaseStage
from mla.models.base import Base, CreatedAt, enum_type


class NationalCase(CreatedAt, Base):
    __tablename__ = "national_case"
    __table_args__ = (UniqueConstraint("office_id", "case_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    case_number: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    stage: Mapped[CaseStage] = mapped_column(enum_type(CaseStage, "stage"))
    offence_category_code: Mapped[str | None] = mapped_column(
        ForeignKey("offence_category.code")
    )
