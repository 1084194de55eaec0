"""Loading the shipped reference data files into the database (insert or update, never delete)."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.models import (
    AssistanceType,
    CountryProfile,
    OffenceCategory,
    RefusalGround,
    Treaty,
    TreatyParty,
)
from mla.reference.loader import CountryProfile as CountryData
from mla.reference.loader import Fact, ReferenceData
from mla.reference.loader import Treaty as TreatyData


def _fact(fact: Fact) -> dict[str, Any]:
    return asdict(fact)


def _country_values(country: CountryData, version: str) -> dict[str, Any]:
    return {
        "iso3": country.iso3, "iso_numeric": country.iso_numeric, "is_home": country.is_home,
        "time_zone": country.time_zone, "weekend_days": list(country.weekend_days),
        "holiday_calendar": country.holiday_calendar,
        "official_languages": list(country.official_languages),
        "request_languages": list(country.request_languages),
        "channels": list(country.channels),
        "central_authorities": [
            {"name": dict(a.name), "stage": a.stage, "notes": a.notes, **_fact(a.fact)}
            for a in country.central_authorities
        ],
        "formal_requirements": list(country.formal_requirements),
        "memberships": {"cis": country.cis_member, "sco": country.sco_member,
                        "caricc": country.caricc_member, "interpol": country.interpol_member},
        "notes": country.notes,
        "facts": {name: _fact(fact) for name, fact in country.facts.items()},
        "data_version": version,
    }


def _upsert(session: Session, model: type, key: dict[str, Any], values: dict[str, Any]) -> Any:
    row = session.get(model, tuple(key.values()) if len(key) > 1 else next(iter(key.values())))
    if row is None:
        row = model(**key)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    return row


def _sync_treaty(session: Session, treaty: TreatyData, version: str) -> None:
    _upsert(session, Treaty, {"code": treaty.code}, {
        "kind": treaty.kind, "scope": treaty.scope, "name": dict(treaty.name),
        "citation": treaty.citation, "basis_phrase": dict(treaty.basis_phrase),
        "fact": _fact(treaty.fact), "data_version": version,
    })
    session.flush()
    existing = {p.country_iso2: p for p in session.scalars(
        select(TreatyParty).where(TreatyParty.treaty_code == treaty.code))}
    for party in treaty.parties:
        row = existing.get(party.country) or TreatyParty(treaty_code=treaty.code,
                                                         country_iso2=party.country)
        row.status = party.status
        row.in_force_on = date.fromisoformat(party.in_force_on) if party.in_force_on else None
        row.fact = _fact(party.fact)
        session.add(row)


def load_reference_data(session: Session, data: ReferenceData) -> dict[str, int]:
    """Bring the database's reference tables up to `data`; returns counts per table."""
    for country in data.countries.values():
        _upsert(session, CountryProfile, {"iso2": country.iso2}, _country_values(country, data.version))
    session.flush()
    for treaty in data.treaties.values():
        _sync_treaty(session, treaty, data.version)
    for position, item in enumerate(data.assistance_types.values()):
        _upsert(session, AssistanceType, {"code": item.code}, {
            "untoc_ref": item.untoc_ref, "is_coercive": item.is_coercive,
            "police_channel_ok": item.police_channel_ok, "labels": dict(item.labels),
            "fact": _fact(item.fact), "position": position})
    for position, ground in enumerate(data.refusal_grounds.values()):
        _upsert(session, RefusalGround, {"code": ground.code}, {
            "ref": ground.ref, "is_permitted": ground.permitted, "labels": dict(ground.labels),
            "fact": _fact(ground.fact), "position": position})
    for position, category in enumerate(data.offence_categories.values()):
        _upsert(session, OffenceCategory, {"code": category.code},
                {"labels": dict(category.labels), "position": position})
    session.flush()
    return {"countries": len(data.countries), "treaties": len(data.treaties),
            "assistance_types": len(data.assistance_types),
            "refusal_grounds": len(data.refusal_grounds),
            "offence_categories": len(data.offence_categories)}
