"""A protected person's name typed in a request's free text: the texts that leave the office (the
request's, its measures', their translations), the protected persons of the request, and writing the
pseudonym in place of the name, audited, over the versions of the records the user saw."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.access import may_see
from mla.domain.checks import Finding, protected_name_findings
from mla.domain.editing import content_closed_message, may_replace_protected_names
from mla.domain.errors import N_, AccessDenied, DomainError, StageClosed
from mla.domain.protected_names import FreeText, NameHit, ProtectedPerson, name_hits, pseudonymised
from mla.models import AssistanceRequest, Measure, Person, TextTranslation, User
from mla.services.audit import record_event
from mla.services.letters.translations import MEASURE_FIELDS, REQUEST_FIELDS
from mla.services.versions import check_version, flush_checked

STALE_TEXT = N_("The text was changed after you opened the page, so no name was replaced. Look at the text "
                "saved now and replace the names again.")
REQUEST_RECORD = "request"
Record = AssistanceRequest | Measure | TextTranslation


def protected_persons(session: Session, item: AssistanceRequest) -> list[ProtectedPerson]:
    """The persons of the request whom the letters name by pseudonym (protected, identity not disclosed)."""
    rows = session.scalars(select(Person).where(
        Person.request_id == item.id, Person.is_protected.is_(True), Person.disclose_identity.is_(False))
        .order_by(Person.id))
    return [ProtectedPerson.of(p.pseudonym, name_original=p.name_original, name_cyrillic=p.name_cyrillic,
                               name_latin=p.name_latin, aliases=p.aliases, patronymic=p.patronymic)
            for p in rows]


def _measures(session: Session, item: AssistanceRequest) -> list[Measure]:
    return list(session.scalars(select(Measure).where(Measure.request_id == item.id)
                                .order_by(Measure.position, Measure.id)))


def _translated_field(field_key: str, numbers: Mapping[int, int]) -> tuple[str, int | None] | None:
    """The field a translation's key names, and its measure's number; None for the signatory's fields."""
    parts = field_key.split(":")
    if len(parts) == 3 and parts[0] == "measure" and parts[1].isdigit() and parts[2] in MEASURE_FIELDS:
        number = numbers.get(int(parts[1]))
        return (parts[2], number) if number is not None else None
    return (field_key, None) if field_key in REQUEST_FIELDS else None


def free_texts(session: Session, item: AssistanceRequest,
               fields: Iterable[str] | None = None) -> list[FreeText]:
    """The non-empty free text of the request that letters print, translations included (limited to
    `fields`, manifest style: "purpose", "measure.details"). A text's key names its record and column:
    "purpose", "measure:<id>:details", "translation:<id>"."""
    wanted = set(fields) if fields is not None else None

    def printed(column: str, in_measure: bool) -> bool:
        return wanted is None or (f"measure.{column}" if in_measure else column) in wanted

    measures = _measures(session, item)
    numbers = {measure.id: number for number, measure in enumerate(measures, start=1)}
    texts = [FreeText(name, name, getattr(item, name)) for name in REQUEST_FIELDS
             if printed(name, False) and getattr(item, name).strip()]
    texts += [FreeText(f"measure:{m.id}:{column}", column, getattr(m, column), numbers[m.id])
              for m in measures for column in MEASURE_FIELDS
              if printed(column, True) and getattr(m, column).strip()]
    for row in session.scalars(select(TextTranslation).where(TextTranslation.request_id == item.id)
                               .order_by(TextTranslation.id)):
        field = _translated_field(row.field_key, numbers)
        if field is not None and printed(field[0], field[1] is not None) and row.text.strip():
            texts.append(FreeText(f"translation:{row.id}", field[0], row.text, field[1], row.language))
    return texts


def name_leaks(session: Session, item: AssistanceRequest, fields: Iterable[str] | None = None
               ) -> tuple[Finding, ...]:
    """The blocking findings for protected persons' names in the free text (limited to `fields`)."""
    return tuple(protected_name_findings(free_texts(session, item, fields), protected_persons(session, item)))


def record_key(text: FreeText) -> str:
    """The record a text is stored in: "request", "measure:<id>" or "translation:<id>"."""
    key = text.key
    if key.startswith("measure:"):
        return key.rsplit(":", 1)[0]
    return key if key.startswith("translation:") else REQUEST_RECORD


def leaked_names(session: Session, item: AssistanceRequest) -> tuple[tuple[Finding, ...], dict[str, int]]:
    """Where protected persons' names are written, and the version of each record holding one, which
    the page posts back with the replacement."""
    persons = protected_persons(session, item)
    hits = name_hits(free_texts(session, item), persons)
    findings = protected_name_findings(dict.fromkeys(hit.text for hit in hits), persons)
    return tuple(findings), {key: record.version for key, record in _records(session, item, hits).items()}


def _records(session: Session, item: AssistanceRequest, hits: Iterable[NameHit]) -> dict[str, Record]:
    records: dict[str, Record] = {}
    for hit in hits:
        key = record_key(hit.text)
        if key in records:
            continue
        kind, _sep, number = key.partition(":")
        record: Record | None = item
        if kind == "measure":
            record = session.get(Measure, int(number))
        elif kind == "translation":
            record = session.get(TextTranslation, int(number))
        if record is not None:
            records[key] = record
    return records


def replace_protected_names(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                            seen: Mapping[str, int | None]) -> tuple[str, ...]:
    """Write each protected person's pseudonym where their name is typed in the free text; refused when
    a record holding a name changed since the page showed it (`seen`: its version, by record key).
    Audited without the names; returns the texts changed, by key. Flushes only."""
    if not may_see(actor, item):
        raise AccessDenied(N_("You may not see this request."))
    if not may_replace_protected_names(actor.role, item.direction, item.stage):
        raise StageClosed(content_closed_message(actor.role, item.direction, item.stage, N_(
            "The text of this request cannot be changed at its current stage.")))
    persons = protected_persons(session, item)
    hits = name_hits(free_texts(session, item), persons)
    if not hits:
        raise DomainError(N_("No name of a protected person is written in the text of this request."))
    records = _records(session, item, hits)
    for key, record in records.items():
        # a name written since the page was shown (no version posted for its record) is stale too
        check_version(record, seen.get(key, -1), STALE_TEXT)
    texts = tuple(dict.fromkeys(hit.text for hit in hits))
    for text in texts:
        record = records[record_key(text)]
        column = "text" if isinstance(record, TextTranslation) else text.key.rsplit(":", 1)[-1]
        setattr(record, column, pseudonymised(text.text, persons))
    flush_checked(session, STALE_TEXT)
    record_event(session, actor=actor, now=now, action="request.pseudonymise", object_type="request",
                 object_id=item.id, request_id=item.id,
                 changes={"texts": [text.key for text in texts],
                          "pseudonyms": sorted({hit.pseudonym for hit in hits})})
    return tuple(text.key for text in texts)
