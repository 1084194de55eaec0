"""Owns who is the same person across requests: likely duplicates, linking records through
Person.identity_group, the requests a person appears in, and keeping the folded name keys current."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mla.domain.access import may_see, may_see_protected_identity
from mla.domain.errors import N_, AccessDenied, DomainError
from mla.domain.names import name_tokens, person_key, search_key, stored_spellings
from mla.models import AssistanceRequest, Person, User
from mla.services.audit import record_event
from mla.services.persons.editing import PersonInput, add_person, request_of, store_document_numbers
from mla.services.persons.search import (
    SEARCH_ROLES,
    HiddenMatch,
    PersonMatch,
    name_candidates,
    present,
    rank_keys,
)

DUPLICATE_THRESHOLD = 85
SAME_NAME = 95
MAX_DUPLICATES = 10
CLOSE_BIRTH_DAYS = 31


@dataclass(frozen=True)
class Duplicate:
    """A record that is likely the same person, and why: "same_birth_date", "close_birth_date" or
    "no_birth_date" (one of the two dates is not recorded)."""

    match: PersonMatch | HiddenMatch
    reason: str


def birth_date_relation(first: date | None, second: date | None) -> str | None:
    """How two dates of birth compare for a duplicate: the same, close (within a month, a year apart on
    the same day, or day and month swapped), unknown on one side, or too far apart (None)."""
    if first is None or second is None:
        return "no_birth_date"
    if first == second:
        return "same_birth_date"
    swapped = first.day <= 12 and (second.year, second.month, second.day) == (first.year, first.day,
                                                                              first.month)
    year_off = (first.month, first.day) == (second.month, second.day) and abs(first.year - second.year) == 1
    if swapped or year_off or abs((first - second).days) <= CLOSE_BIRTH_DAYS:
        return "close_birth_date"
    return None


_REASON_ORDER = {"same_birth_date": 0, "close_birth_date": 1, "no_birth_date": 2}


def likely_duplicates(session: Session, *, actor: User, names: Sequence[str], birth_date: date | None,
                      exclude_request_id: int | None = None, exclude_group: str | None = None,
                      exclude_person_id: int | None = None) -> list[Duplicate]:
    """Records in other requests with the same or a close folded name and a compatible date of birth;
    with a date on only one side, the name has to be nearly the same."""
    key = search_key(names)
    tokens = [token for name in names for token in name_tokens(name)]
    if not key or not tokens:
        return []
    candidates = name_candidates(session, tokens, None)
    if birth_date is not None:
        candidates.update(name_candidates(session, tokens, birth_date))
    scored = _best_scores(stored_spellings(key), candidates)
    rows = {row.id: row for row in session.execute(
        select(Person.id, Person.request_id, Person.birth_date, Person.identity_group)
        .where(Person.id.in_(list(scored))))}
    kept: list[tuple[int, int, str]] = []
    for person_id, score in scored.items():
        person = rows[person_id]
        if person.request_id == exclude_request_id or person.id == exclude_person_id or (
                exclude_group and person.identity_group == exclude_group):
            continue
        reason = birth_date_relation(birth_date, person.birth_date)
        if reason is None or (reason == "no_birth_date" and score < SAME_NAME):
            continue
        kept.append((person_id, score, reason))
    kept.sort(key=lambda item: (_REASON_ORDER[item[2]], -item[1], -item[0]))
    kept = kept[:MAX_DUPLICATES]
    reasons = {person_id: reason for person_id, _score, reason in kept}
    shown = present(session, actor, [(person_id, score) for person_id, score, _reason in kept])
    return [Duplicate(match, reasons[match.person_id]) for match in shown]


def _best_scores(spellings: Sequence[str], candidates: dict[int, str]) -> dict[int, int]:
    best: dict[int, int] = {}
    for spelling in spellings:
        for person_id, score in rank_keys(spelling, candidates, DUPLICATE_THRESHOLD):
            best[person_id] = max(score, best.get(person_id, 0))
    return best


def _require_linker(actor: User, item: AssistanceRequest) -> None:
    if actor.role not in SEARCH_ROLES or not may_see(actor, item):
        raise AccessDenied(N_("You may not change this person's links."))


def link_persons(session: Session, *, actor: User, now: datetime, person: Person, other: Person) -> str:
    """Record that two person records are the same person: both (and everyone already linked to either)
    get one identity group. Both records must be in requests the user may open: a record found in
    another office's request is only named, and the desk gives access to it first."""
    request = request_of(session, person)
    other_request = request_of(session, other)
    _require_linker(actor, request)
    if other.id == person.id:
        raise DomainError(N_("A record cannot be linked to itself."))
    if not may_see(actor, other_request):
        raise AccessDenied(N_("This record is in a request you may not open, so it cannot be linked: ask "
                              "the desk for access to that request first."))
    if other.is_protected and not may_see_protected_identity(actor):
        raise AccessDenied(N_("This record cannot be linked."))
    if person.identity_group and person.identity_group == other.identity_group:
        raise DomainError(N_("These records are already linked as the same person."))
    group = person.identity_group or other.identity_group or uuid.uuid4().hex
    merged = [g for g in (person.identity_group, other.identity_group) if g and g != group]
    if merged:
        session.execute(update(Person).where(Person.identity_group.in_(merged)).values(identity_group=group)
                        .execution_options(synchronize_session="fetch"))
    person.identity_group = other.identity_group = group
    session.flush()
    for source, target in ((person, other), (other, person)):
        record_event(session, actor=actor, now=now, action="person.link", object_type="person",
                     object_id=source.id, request_id=source.request_id,
                     changes={"linked_to": target.id, "identity_group": group})
    return group


def unlink_person(session: Session, *, actor: User, now: datetime, person: Person) -> None:
    """Take a record out of its identity group; a group left with one record is dissolved."""
    _require_linker(actor, request_of(session, person))
    group = person.identity_group
    if not group:
        raise DomainError(N_("This record is not linked to any other."))
    person.identity_group = None
    session.flush()
    rest = list(session.scalars(select(Person).where(Person.identity_group == group)))
    if len(rest) == 1:
        rest[0].identity_group = None
        session.flush()
    record_event(session, actor=actor, now=now, action="person.unlink", object_type="person",
                 object_id=person.id, request_id=person.request_id, changes={"identity_group": group})


def appearances(session: Session, *, actor: User, person: Person) -> list[PersonMatch | HiddenMatch]:
    """Every record of this person (itself and those linked to it), newest request first, as the user may
    see them: in full, or only the country, direction, date and office."""
    if person.identity_group:
        ids = list(session.scalars(select(Person.id).where(Person.identity_group == person.identity_group)
                                   .order_by(Person.request_id.desc())))
    else:
        ids = [person.id]
    return present(session, actor, [(person_id, 100) for person_id in ids])


def add_person_as(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                  data: PersonInput, same_as: int | None) -> Person:
    """Add a person to a request and, when the user chose one of the likely duplicates, link the two."""
    person = add_person(session, actor=actor, now=now, item=item, data=data)
    if same_as is not None:
        other = session.get(Person, same_as)
        if other is None:
            raise DomainError(N_("The record chosen as the same person no longer exists."))
        link_persons(session, actor=actor, now=now, person=person, other=other)
    return person


def rebuild_name_keys(session: Session, *, batch: int = 2_000) -> int:
    """Recompute Person.name_key and the indexed document numbers for every record, in batches by id:
    for records written before the search existed, or after a change of the folding rules in
    mla.domain.names. Returns how many name keys changed."""
    changed = 0
    last_id = 0
    while True:
        people = list(session.scalars(select(Person).where(Person.id > last_id).order_by(Person.id)
                                      .limit(batch)))
        if not people:
            return changed
        for person in people:
            key = person_key(name_original=person.name_original, name_cyrillic=person.name_cyrillic,
                             name_latin=person.name_latin, aliases=person.aliases,
                             is_protected=person.is_protected)
            if key != person.name_key:
                person.name_key = key
                changed += 1
            store_document_numbers(session, person)
        session.flush()
        last_id = people[-1].id
