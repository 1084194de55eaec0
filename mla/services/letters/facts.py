"""Gathering what a letter says from a stored request, in one language: its free text from the
translations (or as drafted), the parties by direction, the request it supplements, persons and measures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.documents.context import LetterFacts, MeasureEntry, PersonEntry
from mla.domain.enums import LinkKind, Urgency
from mla.domain.parties import letter_parties
from mla.models import AssistanceRequest, Measure, Person, RequestLink, User
from mla.services.letters.translations import REQUEST_FIELDS, measure_key, translations_of


@dataclass(frozen=True)
class RequestParts:
    """The rows of a request a letter reads, loaded once for every language of the letter."""

    persons: tuple[Person, ...]
    measures: tuple[Measure, ...]
    original: AssistanceRequest | None


def load_parts(session: Session, item: AssistanceRequest) -> RequestParts:
    persons = session.scalars(select(Person).where(Person.request_id == item.id).order_by(Person.id))
    measures = session.scalars(select(Measure).where(Measure.request_id == item.id)
                               .order_by(Measure.position, Measure.id))
    original = session.scalar(select(AssistanceRequest).join(
        RequestLink, RequestLink.to_request_id == AssistanceRequest.id).where(
        RequestLink.from_request_id == item.id, RequestLink.kind == LinkKind.SUPPLEMENTARY))
    return RequestParts(tuple(persons), tuple(measures), original)


def letter_date(item: AssistanceRequest, now: datetime) -> date:
    """The letter's date: today in the time zone of the office that writes it."""
    return now.astimezone(ZoneInfo(item.office.time_zone)).date()


def _person(person: Person) -> PersonEntry:
    return PersonEntry(
        role=person.role.value, name_original=person.name_original, name_latin=person.name_latin,
        name_cyrillic=person.name_cyrillic, aliases=person.aliases, birth_date=person.birth_date,
        birth_place=person.birth_place, nationality=person.nationality, id_documents=person.id_documents,
        address=person.address, parents_names=person.parents_names, is_protected=person.is_protected,
        pseudonym=person.pseudonym, disclose_identity=person.disclose_identity)


def _measure(measure: Measure, texts: dict[str, str], in_drafting_language: bool) -> MeasureEntry:
    def text(column: str) -> str:
        original = getattr(measure, column)
        return original if in_drafting_language else texts.get(measure_key(measure.id, column), original)

    return MeasureEntry(assistance_type=measure.assistance_type_code, details=text("details"),
                        procedure=text("procedure"), status=measure.status.value,
                        result_note=text("result_note"))


def _signatory(signatory: User | None, texts: dict[str, str], in_drafting_language: bool) -> tuple[str, str]:
    """Name and position of who signs; in another language the translator's versions, else the name as
    stored and no position (a position left in the drafting language would read wrong)."""
    if signatory is None:
        return "", ""
    if in_drafting_language:
        return signatory.full_name, signatory.position
    return texts.get("signatory_name", signatory.full_name), texts.get("signatory_position", "")


def letter_facts(session: Session, item: AssistanceRequest, parts: RequestParts, *, language: str,
                 home_iso2: str, letter_on: date, signatory: User | None) -> LetterFacts:
    """The facts of a letter about `item` in `language` (translations must exist: see letters.py)."""
    in_drafting = language == item.drafting_language
    texts = {} if in_drafting else translations_of(session, item.id, language)
    free = {name: getattr(item, name) if in_drafting else texts.get(name, getattr(item, name))
            for name in REQUEST_FIELDS}
    sender, recipient = letter_parties(item.direction, free["requesting_authority"], free["addressee"])
    name, position = _signatory(signatory, texts, in_drafting)
    case = item.national_case
    original = parts.original
    return LetterFacts(
        direction=item.direction.value, reference=item.reference, country_iso2=item.country_iso2,
        home_iso2=home_iso2, letter_on=letter_on, drafting_language=item.drafting_language,
        sender=sender, recipient=recipient,
        partner_reference=item.partner_reference, outgoing_number=item.outgoing_number,
        case_number=case.case_number if case else "", case_stage=case.stage.value if case else "",
        conducting_authority=free["conducting_authority"],
        legal_bases=tuple(sorted(basis.treaty_code for basis in item.legal_bases)),
        subject_matter=free["subject_matter"], facts_summary=free["facts_summary"], offences=free["offences"],
        dual_criminality_note=free["dual_criminality_note"], purpose=free["purpose"],
        evidence_location_reason=free["evidence_location_reason"], is_urgent=item.urgency == Urgency.URGENT,
        deadline_on=item.deadline_on, deadline_reason=free["deadline_reason"],
        is_confidential=item.is_confidential, confidentiality_reason=free["confidentiality_reason"],
        use_restrictions=free["use_restrictions"], victim_protection=free["victim_protection"],
        contact_person=free["contact_person"], handling_code=item.handling_code,
        transmitted_on=item.transmitted_on, received_on=item.received_on,
        acknowledged_on=item.acknowledged_on,
        original_reference=original.reference if original else "",
        original_outgoing_number=original.outgoing_number if original else "",
        original_sent_on=original.transmitted_on if original else None,
        signatory_name=name, signatory_position=position,
        persons=tuple(_person(person) for person in parts.persons),
        measures=tuple(_measure(measure, texts, in_drafting) for measure in parts.measures))
