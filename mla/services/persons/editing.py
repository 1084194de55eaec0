"""Persons named in a request (DOMAIN.md §1.6 field 11, §8.2): adding, changing, removing them."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mla.domain.editing import content_closed_message, may_edit_content
from mla.domain.enums import PersonRole
from mla.domain.errors import N_, DomainError, StageClosed
from mla.domain.names import person_key
from mla.domain.search_query import document_number_keys
from mla.models import AssistanceRequest, Person, PersonDocument, User
from mla.services.audit import record_event
from mla.services.oversight.audit_reading import seal_values_about
from mla.services.versions import STALE_REMOVAL, check_version, flush_checked

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
PROTECTABLE_ROLES = frozenset({PersonRole.VICTIM, PersonRole.WITNESS})
GENDERS = ("", "female", "male")
# Language-neutral, so that the same pseudonym reads alike in a Russian, English or Dari letter.
PSEUDONYM_PREFIX = "P-"
_PSEUDONYM_NUMBER = re.compile(r"^P-(\d{1,6})$")
_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
MAX_LENGTHS = {
    "name_original": 300, "name_latin": 300, "name_cyrillic": 300, "patronymic": 200,
    "parents_names": 300, "birth_place": 200, "nationality": 100, "gender": 20, "pseudonym": 100,
    "victim_language": 16, "aliases": 5000, "id_documents": 5000, "address": 5000,
    "disclosure_reason": 5000,
}
# What the audit log may show of a protected person; of the rest it records field names only.
NON_IDENTIFYING = frozenset({"role", "is_protected", "pseudonym", "disclose_identity", "is_child",
                             "victim_language"})
STALE_PERSON = N_(
    "Someone else saved this person after you opened the form. Nothing of yours was saved: your changes "
    "are still in the form; compare them with the saved person and save again."
)


@dataclass(frozen=True)
class PersonInput:
    role: PersonRole
    name_original: str
    name_latin: str = ""
    name_cyrillic: str = ""
    patronymic: str = ""
    parents_names: str = ""
    birth_date: date | None = None
    birth_place: str = ""
    nationality: str = ""
    id_documents: str = ""
    address: str = ""
    gender: str = ""
    is_protected: bool = False
    pseudonym: str = ""
    disclose_identity: bool = False
    disclosure_reason: str = ""
    is_child: bool = False
    victim_language: str = ""
    aliases: str = ""


def _cleaned(data: PersonInput) -> dict[str, Any]:
    values = asdict(data)
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = value.strip()
    try:
        values["role"] = PersonRole(values["role"])
    except ValueError as exc:
        raise DomainError(N_("Choose the person's role."), field="role") from exc
    return values


def _check_texts(values: dict[str, Any]) -> None:
    if not values["name_original"]:
        raise DomainError(N_("Enter the name as written in the original script."), field="name_original")
    for key, limit in MAX_LENGTHS.items():
        if len(values[key]) > limit:
            raise DomainError(N_("Enter at most %(count)s characters."), field=key,
                              params={"count": limit})
    if values["gender"] not in GENDERS:
        raise DomainError(N_("Choose a gender from the list."), field="gender")
    if values["victim_language"] and not _LANGUAGE_CODE.match(values["victim_language"]):
        raise DomainError(N_("Enter a language code such as uz, ru or fa_AF."), field="victim_language")


def _check_rules(values: dict[str, Any], today: date) -> None:
    born = values["birth_date"]
    if born is not None and born > today:
        raise DomainError(N_("The date of birth cannot be in the future."), field="birth_date")
    if born is not None and born < EARLIEST_BIRTH_DATE:
        raise DomainError(N_("The date of birth cannot be before 1900."), field="birth_date")
    if values["is_protected"] and values["role"] not in PROTECTABLE_ROLES:
        raise DomainError(N_("Only a victim or a witness can be marked as a protected person."),
                          field="is_protected")
    if values["disclose_identity"] and not values["is_protected"]:
        raise DomainError(N_("Disclosure applies only to a protected person."), field="disclose_identity")
    if values["disclose_identity"] and not values["disclosure_reason"]:
        raise DomainError(N_("Give the reason for disclosing the protected person's identity."),
                          field="disclosure_reason")
    if values["is_child"] and values["role"] == PersonRole.LEGAL_PERSON:
        raise DomainError(N_("Only a natural person can be marked as a child."), field="is_child")


def _assign_pseudonym(session: Session, item: AssistanceRequest, values: dict[str, Any],
                      person: Person | None) -> None:
    """Give a protected person a pseudonym unique within the request: the one typed, else the
    next free P-n."""
    stmt = select(Person.pseudonym).where(Person.request_id == item.id, Person.pseudonym != "")
    if person is not None:
        stmt = stmt.where(Person.id != person.id)
    taken = set(session.scalars(stmt))
    if values["pseudonym"]:
        if values["pseudonym"] in taken:
            raise DomainError(N_("Another person in this request already has this pseudonym."),
                              field="pseudonym")
        return
    if values["is_protected"]:
        numbers = [int(m.group(1)) for m in map(_PSEUDONYM_NUMBER.match, taken) if m]
        values["pseudonym"] = f"{PSEUDONYM_PREFIX}{max(numbers, default=0) + 1}"


def _validated(session: Session, item: AssistanceRequest, data: PersonInput, now: datetime,
               person: Person | None) -> dict[str, Any]:
    values = _cleaned(data)
    _check_texts(values)
    _check_rules(values, now.date())
    _assign_pseudonym(session, item, values, person)
    return values


def _require_editable(actor: User, item: AssistanceRequest, person: Person | None = None) -> None:
    if not may_edit_content(actor.role, item.direction, item.stage):
        raise StageClosed(content_closed_message(
            actor.role, item.direction, item.stage,
            N_("The persons of this request cannot be changed at its current stage.")))
    if person is not None and person.request_id != item.id:
        raise DomainError(N_("This person belongs to another request."))


def _snapshot(person: Person) -> dict[str, Any]:
    return {key: getattr(person, key) for key in PersonInput.__dataclass_fields__}


def _audit_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _audit_changes(before: dict[str, Any], after: dict[str, Any], protected: bool) -> dict[str, Any]:
    """{field: [before, after]} for changed fields; for a protected person the identifying
    fields are listed by name under "withheld", never with their values."""
    changed = [key for key in PersonInput.__dataclass_fields__ if before.get(key) != after.get(key)]
    if not protected:
        return {key: [_audit_value(before.get(key)), _audit_value(after.get(key))] for key in changed}
    changes: dict[str, Any] = {key: [_audit_value(before.get(key)), _audit_value(after.get(key))]
                               for key in changed if key in NON_IDENTIFYING}
    withheld = [key for key in changed if key not in NON_IDENTIFYING]
    if withheld:
        changes["withheld"] = withheld
    return changes


def _record(session: Session, actor: User, now: datetime, action: str, person: Person,
            before: dict[str, Any], after: dict[str, Any]) -> None:
    protected = bool(before.get("is_protected") or after.get("is_protected"))
    if after.get("is_protected") and not before.get("is_protected"):
        # What was recorded before the flag names her: only those who may see her identity read it now.
        seal_values_about(session, object_type="person", object_id=person.id)
    record_event(session, actor=actor, now=now, action=action, object_type="person",
                 object_id=person.id, request_id=person.request_id,
                 changes=_audit_changes(before, after, protected), is_protected=protected)


def _name_key(values: dict[str, Any]) -> str:
    """The folded key the person search looks up (mla.domain.names); none for a protected person."""
    return person_key(name_original=values["name_original"], name_cyrillic=values["name_cyrillic"],
                      name_latin=values["name_latin"], aliases=values["aliases"],
                      is_protected=values["is_protected"])


def request_of(session: Session, person: Person) -> AssistanceRequest:
    """The request a person record is in. Deleting a request deletes its persons, so it is missing only
    when someone deleted both after this record was read: the user is told the record is gone."""
    request = session.get(AssistanceRequest, person.request_id)
    if request is None:
        raise DomainError(N_("This record no longer exists."))
    return request


def store_document_numbers(session: Session, person: Person) -> None:
    """Keep the indexed document numbers (person_document) in step with the person's id_documents.
    A protected person's numbers are kept too: the search shows such a match only to those who may
    see the identity (services.search.present)."""
    session.execute(delete(PersonDocument).where(PersonDocument.person_id == person.id))
    session.add_all(PersonDocument(person_id=person.id, number_key=key)
                    for key in sorted(document_number_keys(person.id_documents)))
    session.flush()


def _non_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in ("", None, False)}


def add_person(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
               data: PersonInput) -> Person:
    _require_editable(actor, item)
    values = _validated(session, item, data, now, None)
    person = Person(request_id=item.id, name_key=_name_key(values), **values)
    session.add(person)
    session.flush()
    store_document_numbers(session, person)
    _record(session, actor, now, "person.add", person, {}, _non_empty(values))
    return person


def update_person(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                  person: Person, expected_version: int | None, data: PersonInput) -> Person:
    """Save the form opened on `expected_version`; refused when someone else saved the person since."""
    _require_editable(actor, item, person)
    check_version(person, expected_version, STALE_PERSON)
    values = _validated(session, item, data, now, person)
    before = _snapshot(person)
    for key, value in values.items():
        setattr(person, key, value)
    person.name_key = _name_key(values)
    flush_checked(session, STALE_PERSON)
    store_document_numbers(session, person)
    _record(session, actor, now, "person.update", person, before, values)
    return person


def remove_person(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                  person: Person, expected_version: int | None) -> None:
    """Remove the person as the page showed it (`expected_version`), not a version someone changed since."""
    _require_editable(actor, item, person)
    check_version(person, expected_version, STALE_REMOVAL)
    before = _non_empty(_snapshot(person))
    _record(session, actor, now, "person.remove", person, before, {})
    session.delete(person)
    flush_checked(session, STALE_REMOVAL)


def record_identity_shown(session: Session, *, actor: User, now: datetime, request_id: int,
                          persons: list[Person], remote_addr: str = "") -> None:
    """Record that protected persons' identities were shown to `actor` (DOMAIN.md §8.7)."""
    shown = [person.id for person in persons if person.is_protected]
    if shown:
        record_event(session, actor=actor, now=now, action="person.identity_shown", object_type="request",
                     object_id=request_id, request_id=request_id, changes={"persons": shown},
                     remote_addr=remote_addr)
