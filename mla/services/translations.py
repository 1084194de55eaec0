"""Translations of a request's free text: the target-language version of each field, entered by a
translator (the application never machine-translates), what a letter in a language still lacks, and
saving a translation with its audit record."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.documents.catalog import load_catalog
from mla.domain.access import may_see_request
from mla.domain.enums import Role
from mla.domain.errors import N_, AccessDenied, DomainError
from mla.models import AssistanceRequest, Measure, TextTranslation, User
from mla.services.audit import record_event

# Request columns whose text a letter prints, in the order the translator sees them.
REQUEST_FIELDS = ("requesting_authority", "conducting_authority", "addressee", "subject_matter",
                  "facts_summary", "offences", "dual_criminality_note", "purpose", "evidence_location_reason",
                  "deadline_reason", "confidentiality_reason", "use_restrictions", "victim_protection",
                  "contact_person")
MEASURE_FIELDS = ("details", "procedure", "result_note")
# The signatory's name and position: used when given, never required (the letter is signed by hand).
SIGNATORY_FIELDS = ("signatory_name", "signatory_position")
TRANSLATOR_ROLES = frozenset({Role.TRANSLATOR, Role.DESK, Role.MANAGER})
MAX_TEXT = 20_000
_MEASURE_KEY = re.compile(r"^measure:(\d{1,10}):(details|procedure|result_note)$")


@dataclass(frozen=True)
class TranslatableText:
    """One field to translate: its key, its text in the drafting language, and the translation so far."""

    field_key: str
    field: str
    source: str
    translation: str | None
    measure_number: int | None = None


def measure_key(measure_id: int, column: str) -> str:
    return f"measure:{measure_id}:{column}"


def translations_of(session: Session, request_id: int, language: str) -> dict[str, str]:
    rows = session.scalars(select(TextTranslation).where(TextTranslation.request_id == request_id,
                                                         TextTranslation.language == language))
    return {row.field_key: row.text for row in rows}


def _measures(session: Session, request_id: int) -> list[Measure]:
    return list(session.scalars(select(Measure).where(Measure.request_id == request_id)
                                .order_by(Measure.position, Measure.id)))


def signatory_of(item: AssistanceRequest, actor: User | None) -> User | None:
    """Who signs a letter: the approving official, else the desk officer or manager writing it."""
    if item.approved_by is not None:
        return item.approved_by
    return actor if actor is not None and actor.role in {Role.DESK, Role.MANAGER} else None


def translatable_texts(session: Session, item: AssistanceRequest, language: str, *,
                       fields: Iterable[str] | None = None, signatory: User | None = None,
                       ) -> list[TranslatableText]:
    """The non-empty free-text fields of `item` (limited to `fields`, manifest style: "purpose",
    "measure.details"), with their translations into `language`."""
    wanted = set(fields) if fields is not None else None
    done = translations_of(session, item.id, language)
    texts = [TranslatableText(name, name, getattr(item, name), done.get(name)) for name in REQUEST_FIELDS
             if (wanted is None or name in wanted) and getattr(item, name).strip()]
    for number, measure in enumerate(_measures(session, item.id), start=1):
        for column in MEASURE_FIELDS:
            key = measure_key(measure.id, column)
            if (wanted is None or f"measure.{column}" in wanted) and getattr(measure, column).strip():
                texts.append(TranslatableText(key, column, getattr(measure, column), done.get(key), number))
    if signatory is not None and wanted is None:
        sources = {"signatory_name": signatory.full_name, "signatory_position": signatory.position}
        texts += [TranslatableText(key, key, sources[key], done.get(key)) for key in SIGNATORY_FIELDS
                  if sources[key].strip()]
    return texts


def missing_translations(session: Session, item: AssistanceRequest, language: str,
                         fields: Iterable[str]) -> list[TranslatableText]:
    """What a letter printing `fields` in `language` still needs translated; nothing in the drafting
    language."""
    if language == item.drafting_language:
        return []
    return [text for text in translatable_texts(session, item, language, fields=fields)
            if not (text.translation or "").strip()]


def _check(session: Session, actor: User, item: AssistanceRequest, field_key: str, language: str) -> None:
    if actor.role not in TRANSLATOR_ROLES or not may_see_request(actor, item.office_id, item.stage):
        raise AccessDenied(N_("You may not enter translations for this request."))
    if language not in load_catalog().languages() or language == item.drafting_language:
        raise DomainError(N_("Choose a language letters are written in, other than the drafting language."),
                          field="language")
    match = _MEASURE_KEY.match(field_key)
    if match:
        measure = session.get(Measure, int(match.group(1)))
        if measure is None or measure.request_id != item.id:
            raise DomainError(N_("This measure is not part of the request."), field=field_key)
    elif field_key not in REQUEST_FIELDS + SIGNATORY_FIELDS:
        raise DomainError(N_("This field cannot be translated."), field=field_key)


def save_translation(session: Session, *, actor: User, now: datetime, request: AssistanceRequest,
                     field_key: str, language: str, text: str) -> TextTranslation | None:
    """Store the translation of one field (an empty text removes it); audited, never committed."""
    _check(session, actor, request, field_key, language)
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise DomainError(N_("Enter at most %(count)s characters."), field=field_key,
                          params={"count": MAX_TEXT})
    row = session.scalar(select(TextTranslation).where(
        TextTranslation.request_id == request.id, TextTranslation.field_key == field_key,
        TextTranslation.language == language))
    before = row.text if row is not None else None
    if (before or "") == text:
        return row
    if not text:
        session.delete(row)
        row = None
    elif row is None:
        row = TextTranslation(request_id=request.id, field_key=field_key, language=language, text=text,
                              translator_id=actor.id, updated_at=now)
        session.add(row)
    else:
        row.text, row.translator_id, row.updated_at = text, actor.id, now
    session.flush()
    record_event(session, actor=actor, now=now, action="translation.save", object_type="request",
                 object_id=request.id, request_id=request.id,
                 changes={"field": field_key, "language": language, "text": [before, text or None]})
    return row
