"""The request list's text search: a case-insensitive substring of the request's reference, the partner's
reference or its national case number, read from the trigram indexes of migration 0008 (FTS5 tables on
SQLite, pg_trgm GIN indexes on PostgreSQL)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    column,
    literal_column,
    not_,
    or_,
    select,
    table,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from mla.models import AssistanceRequest, NationalCase

MIN_INDEXED_LENGTH = 3  # a trigram index cannot answer a shorter substring
LIKE_ESCAPE = "\\"


def request_text_clause(session: Session, text: str) -> ColumnElement[bool]:
    """True for the requests whose reference, partner reference or case number contains `text` in any
    letter case (Cyrillic too); `%`, `_` and `\\` are plain characters."""
    return matching_any(request_text_branches(session, text))


@dataclass(frozen=True)
class Branches:
    """The search as conditions, each read through its own index, whose matches together are the search's:
    a caller may combine the requests each selects (with its other filters inside each branch) and so never
    join the whole table to the matches. `disjoint`: no request meets two of them, so their rows add up
    without removing duplicates (UNION ALL)."""

    conditions: list[ColumnElement[bool]]
    disjoint: bool

    def combine(self, selects: list[Select]) -> Select | CompoundSelect:
        """One select per condition, as one."""
        if len(selects) == 1:
            return selects[0]
        return union_all(*selects) if self.disjoint else union(*selects)


def request_text_branches(session: Session, text: str) -> Branches:
    """The search's branches; one condition for a short text, which scans."""
    is_sqlite = session.get_bind().dialect.name == "sqlite"
    if len(text) < MIN_INDEXED_LENGTH:
        # One or two characters: no trigram to look up, so this reads every request, as the search always did.
        return Branches([_sqlite_scan(text) if is_sqlite else _postgres_scan(text)], disjoint=True)
    if is_sqlite:
        return Branches(_sqlite_fts_branches(text), disjoint=False)
    return Branches(_postgres_trigram_branches(text), disjoint=True)


def matching_any(branches: Branches) -> ColumnElement[bool]:
    """One condition for the requests of all branches. An OR of the branches, with the case subquery, would
    make PostgreSQL read the whole table; collecting the ids in an array instead (= ANY(ARRAY(...))) is
    quadratic when most requests match."""
    if len(branches.conditions) == 1:
        return branches.conditions[0]
    return AssistanceRequest.id.in_(branches.combine(
        [select(AssistanceRequest.id).where(condition) for condition in branches.conditions]))


def like_pattern(text: str) -> str:
    """`%text%` for LIKE ... ESCAPE '\\', with the user's own `\\`, `%` and `_` matching only themselves."""
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%")
    return "%" + escaped.replace("_", LIKE_ESCAPE + "_") + "%"


def _postgres_trigram_branches(text: str) -> list[ColumnElement[bool]]:
    """One branch per column, each read through its own pg_trgm index and made disjoint from those before
    it (both reference columns are NOT NULL), which spares PostgreSQL hashing every match to drop the
    duplicates: 15% of a broad search's time."""
    pattern = like_pattern(text)
    cases = select(NationalCase.id).where(NationalCase.case_number.ilike(pattern, escape=LIKE_ESCAPE))
    in_reference = AssistanceRequest.reference.ilike(pattern, escape=LIKE_ESCAPE)
    in_partner_reference = AssistanceRequest.partner_reference.ilike(pattern, escape=LIKE_ESCAPE)
    return [in_reference,
            in_partner_reference & not_(in_reference),
            AssistanceRequest.national_case_id.in_(cases) & not_(in_reference) & not_(in_partner_reference)]


def _postgres_scan(text: str) -> ColumnElement[bool]:
    pattern = like_pattern(text)
    cases = select(NationalCase.id).where(NationalCase.case_number.ilike(pattern, escape=LIKE_ESCAPE))
    return or_(AssistanceRequest.reference.ilike(pattern, escape=LIKE_ESCAPE),
               AssistanceRequest.partner_reference.ilike(pattern, escape=LIKE_ESCAPE),
               AssistanceRequest.national_case_id.in_(cases))


def _fts_match(fts_table: str, text: str) -> Select[int]:
    """The rowids of an FTS5 trigram table (rowid = the indexed row's id) holding `text` in one of its
    columns. `text` is one quoted phrase, so FTS5 query syntax in it is plain text; the tokenizer's
    case_sensitive 0 folds Unicode letters, where SQLite's LIKE folds only ASCII."""
    fts = table(fts_table, column("rowid"))
    phrase = '"' + text.replace('"', '""') + '"'
    return select(fts.c.rowid).where(literal_column(fts_table).op("MATCH")(phrase))


def _sqlite_fts_branches(text: str) -> list[ColumnElement[bool]]:
    return [AssistanceRequest.id.in_(_fts_match("request_search", text)),
            AssistanceRequest.national_case_id.in_(_fts_match("national_case_search", text))]


def any_case_glob(text: str) -> str:
    """A GLOB pattern for `text` anywhere, in any letter case: each letter becomes the class of its cases
    ("дЕ" gives "*[Дд][Ее]*"); GLOB's own wildcards (*, ? and [) become one-character classes."""
    parts = []
    for char in text:
        # one-character forms only: "ß".upper() is "SS"
        forms = sorted(form for form in {char, char.lower(), char.upper()} if len(form) == 1)
        if len(forms) > 1:
            parts.append("[" + "".join(forms) + "]")
        else:
            parts.append(f"[{char}]" if char in "*?[" else char)
    return "*" + "".join(parts) + "*"


def _sqlite_scan(text: str) -> ColumnElement[bool]:
    """SQLite's LIKE and lower() fold only ASCII letters, so the scan matches letter cases with GLOB
    classes instead: "де" finds "Дело" here as "дел" does through the index."""
    pattern = any_case_glob(text)
    cases = select(NationalCase.id).where(NationalCase.case_number.op("GLOB")(pattern))
    return or_(AssistanceRequest.reference.op("GLOB")(pattern),
               AssistanceRequest.partner_reference.op("GLOB")(pattern),
               AssistanceRequest.national_case_id.in_(cases))
