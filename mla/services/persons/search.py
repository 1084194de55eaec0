"""Owns finding persons and requests from the one search box: names across scripts ranked by similarity,
narrowed by date of birth, and references, partner references, case and identity document numbers.

Names are found through the indexed Person.name_key (mla.domain.names): a few index ranges on the
surname and given-name skeletons give a bounded set of candidates, which RapidFuzz then ranks. Nothing
is folded or scored row by row in SQL, so a query costs the same at 3,000 persons as at 300,000.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process
from sqlalchemy import select, union_all
from sqlalchemy.orm import Session, load_only

from mla.domain.access import may_see, may_see_protected_identity
from mla.domain.enums import Direction, Role
from mla.domain.errors import N_, AccessDenied
from mla.domain.names import NameQuery, skeleton, stored_spellings
from mla.domain.search_query import SearchQuery, document_number_key
from mla.models import AssistanceRequest, NationalCase, Office, Person, PersonDocument, User
from mla.services.requests.queries import visibility_clause

SEARCH_ROLES = frozenset({Role.DRAFTER, Role.DESK, Role.MANAGER})
MATCH_THRESHOLD = 75
# With the same date of birth a weaker name match is still worth showing (an Arabic-script spelling).
SAME_BIRTH_DATE_THRESHOLD = 60
SAME_SKELETON = 80
MAX_RESULTS = 30
BLOCK_LIMIT = 300
TYPO_LIMIT = 100
BIRTH_DATE_LIMIT = 2000
DOCUMENT_LIMIT = 50
# What a result row shows: loading only these keeps a page of results cheap.
SHOWN_PERSON = (Person.id, Person.request_id, Person.role, Person.name_original, Person.name_latin,
                Person.name_cyrillic, Person.birth_date, Person.is_protected, Person.pseudonym,
                Person.identity_group)
SHOWN_REQUEST = (AssistanceRequest.id, AssistanceRequest.reference, AssistanceRequest.direction,
                 AssistanceRequest.country_iso2, AssistanceRequest.stage, AssistanceRequest.office_id,
                 AssistanceRequest.created_at, AssistanceRequest.version)
_SHOWN = (load_only(*SHOWN_PERSON), load_only(*SHOWN_REQUEST), load_only(Office.id, Office.name))


@dataclass(frozen=True)
class PersonMatch:
    """A person in a request the user may see: everything the request page would show."""

    person: Person
    item: AssistanceRequest
    score: int
    show_identity: bool
    hidden: bool = False

    @property
    def person_id(self) -> int:
        return self.person.id


@dataclass(frozen=True)
class HiddenMatch:
    """A person in a request the user may not see: only that it exists, and where."""

    person_id: int
    country_iso2: str
    direction: Direction
    created_on: date
    office_name: str
    score: int
    hidden: bool = True


@dataclass
class SearchResult:
    query: SearchQuery
    persons: list[PersonMatch | HiddenMatch] = field(default_factory=list)
    requests: list[AssistanceRequest] = field(default_factory=list)
    more_persons: bool = False


def _word_tables(query_words: Sequence[str], words: Sequence[str]) -> list[dict[str, float]]:
    """For each query word, its similarity to every candidate word (0-100). Words with the same consonant
    skeleton count as at least SAME_SKELETON alike: Ibragimov and Ibrohimov, Jo'raev and Juraev."""
    tables = []
    for query_word in query_words:
        frame = skeleton(query_word)
        table = {word: score for word, score, _ in process.extract(query_word, words, scorer=fuzz.ratio,
                                                                    limit=None)}
        if len(frame) >= 3:
            for word, score in table.items():
                if score < SAME_SKELETON and skeleton(word) == frame:
                    table[word] = SAME_SKELETON
        tables.append(table)
    return tables


def _cover(weighted: Sequence[tuple[int, dict[str, float]]], words: Sequence[str]) -> float:
    """Sum over the query words of length x best similarity to a word of the spelling."""
    total = 0.0
    for length, table in weighted:
        best = 0.0
        for word in words:
            score = table[word]
            if score > best:
                best = score
        total += length * best
    return total


def rank_keys(query_key: str, keys: dict[int, str],
              threshold: int = MATCH_THRESHOLD) -> list[tuple[int, int]]:
    """(person id, score) for the stored keys whose best spelling reaches `threshold`, best first.
    A spelling scores each query word matched to its best word, weighted by length (90%), and the two
    compared as wholes, so that extra or missing words and their order count a little (10%)."""
    query_words = query_key.split()
    spellings = {person_id: stored_spellings(key) for person_id, key in keys.items()}
    unique = {spelling for found in spellings.values() for spelling in found}
    words = list({word for spelling in unique for word in spelling.split()})
    if not query_words or not words:
        return []
    weighted = list(zip((len(word) for word in query_words), _word_tables(query_words, words), strict=True))
    length = sum(len(word) for word in query_words)
    scores: dict[str, int] = {}
    for spelling in unique:
        cover = 0.9 * _cover(weighted, spelling.split()) / length
        # The whole-name comparison adds at most 10: skip it where it cannot lift the score to the threshold.
        scores[spelling] = round(cover + 0.1 * fuzz.token_sort_ratio(query_key, spelling)) \
            if cover + 10 >= threshold else 0
    best = {person_id: max((scores[s] for s in found), default=0) for person_id, found in spellings.items()}
    return sorted(((pid, score) for pid, score in best.items() if score >= threshold),
                  key=lambda item: (-item[1], -item[0]))


def key_range(prefix: str) -> tuple[str, str]:
    """The index range of keys that start with `prefix` (keys are lowercase ASCII letters and digits)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


_PERSON = Person.__table__


def _blocks(session: Session, prefixes: Sequence[str], limit: int) -> dict[int, str]:
    """Up to `limit` stored keys for each prefix, in one statement (one round trip to the server). Each
    range is read in index order, so that the database stops after `limit` entries of a common surname
    instead of collecting them all first; Core rows, as there are hundreds, without ORM bookkeeping."""
    if not prefixes:
        return {}
    parts = []
    for prefix in prefixes:
        low, high = key_range(prefix)
        part = (select(_PERSON.c.id, _PERSON.c.name_key)
                .where(_PERSON.c.name_key >= low, _PERSON.c.name_key < high)
                .order_by(_PERSON.c.name_key).limit(limit).subquery())
        parts.append(select(part.c.id, part.c.name_key))
    rows = session.connection().execute(union_all(*parts))
    return {person_id: key for person_id, key in rows}


def name_candidates(session: Session, words: Sequence[str], birth_date: date | None = None,
                    limit: int = BLOCK_LIMIT) -> dict[int, str]:
    """Stored keys worth scoring against a name: persons born on `birth_date` when it is given, else
    those whose surname and given-name skeletons match the query's words in either order."""
    if birth_date is not None:
        rows = session.connection().execute(select(_PERSON.c.id, _PERSON.c.name_key).where(
            _PERSON.c.birth_date == birth_date, _PERSON.c.name_key != "").limit(BIRTH_DATE_LIMIT))
        return {person_id: key for person_id, key in rows}
    return _blocks(session, NameQuery(tuple(words)).prefixes(), limit)


def _require_searcher(actor: User) -> None:
    if actor.role not in SEARCH_ROLES:
        raise AccessDenied(N_("Your role does not search persons or requests."))


def _load(session: Session, ids: Iterable[int]) -> dict[int, tuple[Person, AssistanceRequest, Office]]:
    rows = session.execute(select(Person, AssistanceRequest, Office)
                           .join(AssistanceRequest, Person.request_id == AssistanceRequest.id)
                           .join(Office, AssistanceRequest.office_id == Office.id)
                           .where(Person.id.in_(list(ids)))
                           .options(*_SHOWN))
    return {person.id: (person, request, office) for person, request, office in rows}


Match = PersonMatch | HiddenMatch


def present(session: Session, actor: User, scored: Sequence[tuple[int, int]]) -> list[Match]:
    """The scored persons as this user may see them: in full where they may see the request, as a bare
    "a match exists" otherwise; a protected person outside the user's reach is left out altogether."""
    loaded = _load(session, [pid for pid, _score in scored])
    shown: list[Match] = []
    for person_id, score in scored:
        if person_id not in loaded:
            continue
        person, request, office = loaded[person_id]
        if may_see(actor, request):
            shown.append(PersonMatch(person, request, score, may_see_protected_identity(actor)))
        elif not person.is_protected:
            shown.append(HiddenMatch(person.id, request.country_iso2, request.direction,
                                     request.created_at.date(), office.name, score))
    return shown


def _by_name(session: Session, query: SearchQuery) -> list[tuple[int, int]]:
    keys = name_candidates(session, query.name_words, query.birth_date)
    threshold = MATCH_THRESHOLD if query.birth_date is None else SAME_BIRTH_DATE_THRESHOLD
    ranked = rank_keys(" ".join(query.name_words), keys, threshold)
    if ranked or query.birth_date is not None:
        return ranked
    keys.update(_blocks(session, NameQuery(query.name_words).typo_prefixes(), TYPO_LIMIT))
    return rank_keys(" ".join(query.name_words), keys, threshold)


def _by_birth_date(session: Session, actor: User, born: date) -> list[tuple[int, int]]:
    """Persons born that day in requests the user may see (a date alone says too little to tell a drafter
    about other offices' requests)."""
    rows = session.scalars(select(Person.id)
                           .join(AssistanceRequest, Person.request_id == AssistanceRequest.id)
                           .where(Person.birth_date == born, visibility_clause(actor))
                           .order_by(Person.id.desc()).limit(MAX_RESULTS + 1))
    return [(person_id, 100) for person_id in rows]


def _by_document(session: Session, numbers: Sequence[str], born: date | None) -> list[tuple[int, int]]:
    """Persons with one of these identity-document numbers: one lookup in the indexed person_document."""
    keys = sorted({document_number_key(number) for number in numbers})
    stmt = (select(PersonDocument.person_id).where(PersonDocument.number_key.in_(keys))
            .order_by(PersonDocument.person_id.desc()).limit(DOCUMENT_LIMIT))
    if born is not None:
        stmt = stmt.join(Person, Person.id == PersonDocument.person_id).where(Person.birth_date == born)
    return [(person_id, 100) for person_id in dict.fromkeys(session.scalars(stmt))]


def _requests_by_number(session: Session, actor: User, numbers: Sequence[str]) -> list[AssistanceRequest]:
    """Requests the user may see whose reference, partner reference or case number is one of the numbers,
    one indexed lookup per column (an OR across columns would read every row)."""
    forms = sorted({form for number in numbers for form in (number, number.upper(), number.lower())})
    cases = list(session.scalars(select(NationalCase.id).where(NationalCase.case_number.in_(forms))
                                 .limit(MAX_RESULTS)))
    clauses = [AssistanceRequest.reference.in_(forms), AssistanceRequest.partner_reference.in_(forms)]
    if cases:
        clauses.append(AssistanceRequest.national_case_id.in_(cases))
    ids: set[int] = set()
    for clause in clauses:
        ids.update(session.scalars(select(AssistanceRequest.id).where(clause, visibility_clause(actor))
                                   .limit(MAX_RESULTS)))
    return list(session.scalars(select(AssistanceRequest).where(AssistanceRequest.id.in_(ids))
                                .order_by(AssistanceRequest.id.desc()).limit(MAX_RESULTS)))


def search(session: Session, *, actor: User, query: SearchQuery) -> SearchResult:
    """Persons and requests the query finds, best first, as the user may see them."""
    _require_searcher(actor)
    result = SearchResult(query=query)
    scored: list[tuple[int, int]] = []
    if query.has_name:
        scored = _by_name(session, query)
    elif query.birth_date is not None and not query.numbers:
        scored = _by_birth_date(session, actor, query.birth_date)
    if query.document_numbers:
        found = dict(scored)
        scored += [hit for hit in _by_document(session, query.document_numbers, query.birth_date)
                   if hit[0] not in found]
    if query.numbers:
        result.requests = _requests_by_number(session, actor, query.numbers)
    result.more_persons = len(scored) > MAX_RESULTS
    result.persons = present(session, actor, scored[:MAX_RESULTS])
    return result
