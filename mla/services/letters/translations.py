"""Translations of a request's free text: the target-language version of each field, entered by a
translator (the application never machine-translates), what a letter in a language still lacks, and
saving a translation with its audit record, refused over someone else's newer text."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mla.documents.catalog import load_catalog
from mla.domain.access import may_ask_for_translation, may_see
from mla.domain.enums import Role, Stage
from mla.domain.errors import N_, AccessDenied, DomainError, StaleEdit
from mla.models import AssistanceRequest, Measure, StageChange, TextTranslation, User
from mla.services.audit import record_event
from mla.services.versions import MISSING_VERSION

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
STALE_TRANSLATION = N_(
    "Someone else changed the translation of this field after you opened the page. Nothing was saved: "
    "your text is still in the box; compare it with the translation saved now, shown under it, and save "
    "again."
)


@dataclass(frozen=True)
class TranslatableText:
    """One field to translate: its key, its text in the drafting language, the translation so far, and
    the version of that translation (0 when none was ever saved), which the page posts back."""

    field_key: str
    field: str
    source: str
    translation: str | None
    measure_number: int | None = None
    version: int = 0


def measure_key(measure_id: int, column: str) -> str:
    return f"measure:{measure_id}:{column}"


def _stored(session: Session, request_id: int, language: str) -> dict[str, TextTranslation]:
    rows = session.scalars(select(TextTranslation).where(TextTranslation.request_id == request_id,
                                                         TextTranslation.language == language))
    return {row.field_key: row for row in rows}


def translations_of(session: Session, request_id: int, language: str) -> dict[str, str]:
    """The translations entered, by field key; a translation emptied since is not one."""
    return {key: row.text for key, row in _stored(session, request_id, language).items() if row.text}


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
    stored = _stored(session, item.id, language)

    def text(key: str, field: str, source: str, number: int | None = None) -> TranslatableText:
        row = stored.get(key)
        return TranslatableText(key, field, source, row.text or None if row else None, number,
                                row.version if row else 0)

    texts = [text(name, name, getattr(item, name)) for name in REQUEST_FIELDS
             if (wanted is None or name in wanted) and getattr(item, name).strip()]
    for number, measure in enumerate(_measures(session, item.id), start=1):
        for column in MEASURE_FIELDS:
            if (wanted is None or f"measure.{column}" in wanted) and getattr(measure, column).strip():
                texts.append(text(measure_key(measure.id, column), column, getattr(measure, column), number))
    if signatory is not None and wanted is None:
        sources = {"signatory_name": signatory.full_name, "signatory_position": signatory.position}
        texts += [text(key, key, sources[key]) for key in SIGNATORY_FIELDS if sources[key].strip()]
    return texts


def missing_translations(session: Session, item: AssistanceRequest, language: str,
                         fields: Iterable[str]) -> list[TranslatableText]:
    """What a letter printing `fields` in `language` still needs translated; nothing in the drafting
    language."""
    if language == item.drafting_language:
        return []
    return [text for text in translatable_texts(session, item, language, fields=fields)
            if not (text.translation or "").strip()]


def has_left_translation(session: Session, request_id: int) -> bool:
    """Whether the request has been in the translation stage and moved on (so a translator who had it
    open may have typed into it); false for a request that does not exist."""
    return session.scalar(select(StageChange.id).where(StageChange.request_id == request_id,
                                                       StageChange.from_stage == Stage.TRANSLATION)
                          .limit(1)) is not None


def _check(session: Session, actor: User, item: AssistanceRequest, field_key: str, language: str) -> None:
    if actor.role not in TRANSLATOR_ROLES or not may_see(actor, item):
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


def ask_for_translation(session: Session, *, actor: User, now: datetime, item: AssistanceRequest) -> None:
    """The desk or a manager asks the translators to translate `item` (and its letters) at the stage it
    stands: translators then see it until it ends. Audited, never committed."""
    if not may_see(actor, item) or not may_ask_for_translation(actor, item.stage):
        raise AccessDenied(N_("You may not ask for a translation of this request."))
    if item.translation_asked:
        return
    item.translation_asked = True
    record_event(session, actor=actor, now=now, action="translation.ask", object_type="request",
                 object_id=item.id, request_id=item.id, changes={"translation_asked": [False, True]})


def _write(session: Session, row: TextTranslation | None, values: dict[str, Any]) -> TextTranslation:
    """Write one field's translation in a savepoint: when another save came in between the check and
    the write (a first translation added, or the row's version moved on), only this write is undone,
    the session stays usable for the page's other fields, and the save is refused as stale."""
    try:
        with session.begin_nested():
            if row is None:
                row = TextTranslation(**values)
                session.add(row)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
    except (IntegrityError, StaleDataError) as exc:
        raise StaleEdit(STALE_TRANSLATION, field=values["field_key"]) from exc
    return row


def save_translation(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                     field_key: str, language: str, text: str,
                     expected_version: int | None) -> TextTranslation | None:
    """Store the translation of one field as typed over the version the page showed (0: none yet);
    refused when someone else changed it since, unless both typed the same. An empty text empties the
    translation but keeps its row, so that its version still counts. Audited, never committed."""
    _check(session, actor, item, field_key, language)
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise DomainError(N_("Enter at most %(count)s characters."), field=field_key,
                          params={"count": MAX_TEXT})
    if expected_version is None:
        raise StaleEdit(MISSING_VERSION, field=field_key)
    row = session.scalar(select(TextTranslation).where(
        TextTranslation.request_id == item.id, TextTranslation.field_key == field_key,
        TextTranslation.language == language))
    before = row.text if row is not None else ""
    if before == text:
        return row
    if (row.version if row is not None else 0) != expected_version:
        raise StaleEdit(STALE_TRANSLATION, field=field_key)
    row = _write(session, row, {"request_id": item.id, "field_key": field_key, "language": language,
                                "text": text, "translator_id": actor.id, "updated_at": now})
    record_event(session, actor=actor, now=now, action="translation.save", object_type="request",
                 object_id=item.id, request_id=item.id,
                 changes={"field": field_key, "language": language, "text": [before or None, text or None]})
    return row
