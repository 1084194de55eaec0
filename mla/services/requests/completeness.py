"""The completeness check of a stored request: its facts gathered for domain.checks."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.checks import (
    Finding,
    MeasureFacts,
    PersonFacts,
    RequestFacts,
    check_request,
)
from mla.models import AssistanceRequest, Measure, Person
from mla.reference.loader import load_reference
from mla.services.persons.protected_names import free_texts, protected_persons


def request_facts(session: Session, item: AssistanceRequest, home_iso2: str,
                  fields: Iterable[str] | None = None) -> RequestFacts:
    """The facts the check reads; the free text searched for protected names is what a letter printing
    `fields` prints (all of it when None)."""
    persons = session.scalars(select(Person).where(Person.request_id == item.id))
    measures = session.scalars(select(Measure).where(Measure.request_id == item.id)
                               .order_by(Measure.position))
    return RequestFacts(
        direction=item.direction.value, kind=item.kind.value, country_iso2=item.country_iso2,
        home_iso2=home_iso2, channel_code=item.channel_code,
        legal_bases=tuple(sorted(b.treaty_code for b in item.legal_bases)),
        request_language=item.request_language, requesting_authority=item.requesting_authority,
        conducting_authority=item.conducting_authority, addressee=item.addressee,
        subject_matter=item.subject_matter,
        facts_summary=item.facts_summary, offences=item.offences,
        law_text_annexed=item.law_text_annexed, dual_criminality_note=item.dual_criminality_note,
        purpose=item.purpose, urgency=item.urgency.value, deadline_on=item.deadline_on,
        deadline_reason=item.deadline_reason, is_confidential=item.is_confidential,
        confidentiality_reason=item.confidentiality_reason, victim_protection=item.victim_protection,
        measures=tuple(MeasureFacts(assistance_type=m.assistance_type_code, details=m.details,
                                    procedure=m.procedure) for m in measures),
        persons=tuple(PersonFacts(
            role=p.role.value, has_name=bool(p.name_original.strip()),
            has_nationality=bool(p.nationality.strip()), has_location=bool(p.address.strip()),
            has_birth_date=p.birth_date is not None, is_protected=p.is_protected,
            is_child=p.is_child, disclose_identity=p.disclose_identity) for p in persons),
        texts=tuple(free_texts(session, item, fields)), protected=tuple(protected_persons(session, item)),
    )


def completeness(session: Session, item: AssistanceRequest, home_iso2: str,
                 fields: Iterable[str] | None = None) -> tuple[Finding, ...]:
    return check_request(request_facts(session, item, home_iso2, fields), load_reference())
