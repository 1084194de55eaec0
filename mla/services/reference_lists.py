"""The reference tables as the forms and pages list them: countries, offence categories, refusal grounds,
kinds of assistance and treaties, each in its own order."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.models import AssistanceType, CountryProfile, OffenceCategory, RefusalGround, Treaty


def list_country_codes(session: Session, *, partners_only: bool = False) -> list[str]:
    """The codes of the countries with a profile, in code order; without the home country if asked."""
    stmt = select(CountryProfile.iso2).order_by(CountryProfile.iso2)
    if partners_only:
        stmt = stmt.where(CountryProfile.is_home.is_(False))
    return list(session.scalars(stmt))


def list_offence_categories(session: Session) -> list[OffenceCategory]:
    return list(session.scalars(select(OffenceCategory).order_by(OffenceCategory.position)))


def list_refusal_grounds(session: Session) -> list[RefusalGround]:
    return list(session.scalars(select(RefusalGround).order_by(RefusalGround.position)))


def list_assistance_types(session: Session) -> list[AssistanceType]:
    stmt = select(AssistanceType).order_by(AssistanceType.position, AssistanceType.code)
    return list(session.scalars(stmt))


def list_treaties(session: Session) -> list[Treaty]:
    return list(session.scalars(select(Treaty).order_by(Treaty.code)))
