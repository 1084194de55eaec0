"""The request list's search: a case-insensitive substring of the reference, the partner's reference or the
case number, with `%`, `_` and `\\` typed literally, read from the trigram indexes of migration 0008 (FTS5
kept by triggers on SQLite, pg_trgm on PostgreSQL) from three characters, by a scan below that."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, create_engine, delete, func, select, text
from sqlalchemy.orm import Session

from mla.domain.enums import CaseStage, Direction, RequestKind, Role, Stage
from mla.migrations import upgrade
from mla.models import AssistanceRequest, NationalCase, Office, User
from mla.reference.loader import load_reference
from mla.services.operations.reference import load_reference_data
from mla.services.requests.listing import SORTS, one_pass_statement
from mla.services.requests.text_search import (
    any_case_glob,
    like_pattern,
    request_text_branches,
    request_text_clause,
)
from tests.conftest import insert_old_row

MakeRequest = Callable[..., AssistanceRequest]
TRIGRAM_INDEXES = ("ix_assistance_request_reference_trgm", "ix_assistance_request_partner_reference_trgm",
                   "ix_national_case_case_number_trgm")
# Partner references and case numbers with what the search must treat as plain text or fold.
SAMPLES = {  # name: (partner reference, case number)
    "percent": ("AB%_CD", "2026/117"),
    "plain": ("ABxyCD", "Дело-5/2026"),
    "underscore": ("AB1_CD", "ҶИНОЯТ-12"),
    "backslash": ("Q\\7-ÖZ", "*[?]-9"),
    "quote": ('SAY "HI"', "x"),
}


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def found(session: Session, query: str, among: dict[str, AssistanceRequest]) -> set[str]:
    """The names of the requests in `among` that the list's search for `query` finds."""
    ids = set(session.scalars(select(AssistanceRequest.id).where(request_text_clause(session, query))))
    return {name for name, item in among.items() if item.id in ids}


@pytest.fixture
def make_case(db_session: Session, office: Office) -> Callable[[str], NationalCase]:
    def make(number: str) -> NationalCase:
        case = NationalCase(office_id=office.id, case_number=number, stage=CaseStage.PRE_TRIAL)
        db_session.add(case)
        db_session.flush()
        return case

    return make


@pytest.fixture
def samples(make_request: MakeRequest,
            make_case: Callable[[str], NationalCase]) -> dict[str, AssistanceRequest]:
    return {name: make_request(partner_reference=partner, national_case_id=make_case(number).id)
            for name, (partner, number) in SAMPLES.items()}


def expected(samples: dict[str, AssistanceRequest], query: str) -> set[str]:
    """What the search must find: `query` inside one of the three fields, ignoring letter case."""
    wanted = query.lower()
    return {name for name, item in samples.items()
            if any(wanted in value.lower() for value in (item.reference, *SAMPLES[name]))}


@pytest.mark.parametrize("query", [
    # three characters or more: the trigram index
    "ab%_c", "b%_", "1_c", "xyc", "q\\7", "ÖZ-", "-öz", "дело-5", "ДЕЛО-5/2026", "ело", "ҷиноят", "ноЯТ",
    "*[?", "[?]", '"hi"', 'y "', "2026/1", "ZZZ",
    # one or two characters: the scan, with the same meaning
    "%", "_", "%_", "\\", "\\7", "де", "ДЕ", "ҷи", "öz", "*", "?", "[", "[?", '"', "/",
])
def test_the_search_finds_a_substring_of_any_field_in_any_case(db_session: Session, query: str,
                                                               samples: dict[str, AssistanceRequest]) -> None:
    assert found(db_session, query, samples) == expected(samples, query)


def test_the_reference_is_searched_and_typed_wildcards_match_only_themselves(
        db_session: Session, samples: dict[str, AssistanceRequest]) -> None:
    reference = samples["plain"].reference  # OUT-MLA-2026-0002 or so
    assert found(db_session, reference[-7:].lower(), samples) == {"plain"}
    assert found(db_session, reference, samples) == {"plain"}
    assert expected(samples, "%") == {"percent"}  # the old `%q%` pattern found every request
    assert found(db_session, "b%_", samples) == {"percent"}  # the old one: also ABxyCD and AB1_CD


def test_the_list_page_searches_through_the_index(client: FlaskClient, login_as: Callable[..., User],
                                                  samples: dict[str, AssistanceRequest]) -> None:
    login_as(Role.MANAGER)
    for query, name in (("дело-5", "plain"), ("де", "plain"), ("b%_", "percent")):
        body = client.get("/requests/", query_string={"q": query, "lang": "en"}).get_data(as_text=True)
        shown = {other for other, item in samples.items() if item.reference in body}
        assert shown == {name}, query


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_a_request_found_in_every_field_is_listed_and_counted_once(
        client: FlaskClient, login_as: Callable[..., User], make_request: MakeRequest,
        make_case: Callable[[str], NationalCase], sort: str) -> None:
    """The search's branches overlap here (all three fields hold the text): on PostgreSQL they are made
    disjoint and added up, on SQLite their union drops the duplicates; either way the request counts once."""
    login_as(Role.MANAGER)
    both = make_request(partner_reference="OUT-MLA-77", national_case_id=make_case("OUT-MLA/5").id)
    other = make_request(partner_reference="KZ-1")
    body = client.get("/requests/", query_string={"q": "out-mla", "sort": sort, "lang": "en"}).get_data(
        as_text=True)
    assert "2 requests" in body  # each reference holds OUT-MLA; `both` also in its other two fields
    assert body.count(both.reference) == 1 and body.count(other.reference) == 1


def test_a_case_number_edit_reaches_the_search(db_session: Session, make_request: MakeRequest,
                                               make_case: Callable[[str], NationalCase]) -> None:
    case, other = make_case("OLD-CASE-1"), make_case("Третье-3")
    item = make_request(national_case_id=case.id)
    among = {"item": item}
    assert found(db_session, "old-case", among) == {"item"}
    case.case_number = "НОВОЕ-7"
    db_session.commit()
    assert found(db_session, "old-case", among) == set()
    assert found(db_session, "новое-7", among) == {"item"}
    item.national_case_id = other.id  # what editing the request's case number does
    db_session.commit()
    assert found(db_session, "новое-7", among) == set()
    assert found(db_session, "ТРЕТЬЕ", among) == {"item"}


def test_a_reference_edit_reaches_the_search_and_a_deleted_request_leaves_the_index(
        db_session: Session, make_request: MakeRequest) -> None:
    item = make_request(partner_reference="KZ-1001")
    among = {"item": item}
    item.partner_reference = "KZ-2002"
    db_session.commit()
    assert found(db_session, "1001", among) == set() and found(db_session, "kz-2002", among) == {"item"}
    db_session.execute(delete(AssistanceRequest).where(AssistanceRequest.id == item.id))
    db_session.commit()
    assert found(db_session, "kz-2002", among) == set()
    if is_sqlite(db_session):
        indexed = text("SELECT count(*) FROM request_search WHERE rowid = :id")
        assert db_session.scalar(indexed, {"id": item.id}) == 0


def _large_table_statistics(connection: Connection) -> None:
    """Plan as for a full register. An earlier test's ANALYZE (the nightly planner-statistics job) leaves
    figures of a few rows in the pooled connection's memory even after its rollback, and with them SQLite
    rightly scans; with no figures it plans as for a large table, as it does on bench/'s 100,000 requests
    with theirs. The deletion is rolled back with the test; the reload empties the memory."""
    if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        connection.exec_driver_sql("DELETE FROM sqlite_stat1")
    connection.exec_driver_sql("ANALYZE sqlite_master")  # reloads the statistics tables


def _plan(connection: Connection, statement: str) -> str:
    if connection.dialect.name == "sqlite":
        _large_table_statistics(connection)
        return "\n".join(row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement))
    # On a few rows PostgreSQL would read the tables whole anyway; forbidding that shows an index can answer.
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement.replace("%", "%%")))


@pytest.mark.parametrize("query", ["дело-5", "b%_"])
def test_neither_the_count_nor_a_page_reads_the_whole_request_table(
        db_session: Session, query: str, samples: dict[str, AssistanceRequest]) -> None:
    if query == "b%_" and not is_sqlite(db_session):
        pytest.skip("pg_trgm takes trigrams from letters and digits only: none here, so it reads all")
    ids = select(AssistanceRequest.id).where(request_text_clause(db_session, query))
    count = select(func.count()).select_from(ids.subquery())
    page = ids.order_by(AssistanceRequest.id.desc()).offset(25).limit(25)
    one_pass = one_pass_statement(select(AssistanceRequest), SORTS["updated"], 3, 25,
                                  request_text_branches(db_session, query))
    connection = db_session.connection()
    for statement in (count, page, one_pass):
        sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
        plan = _plan(connection, sql)
        if is_sqlite(db_session):
            # every read of assistance_request looks rows up (by id, or by case through its index)
            reads = re.findall(r"^(\w+) assistance_request\b", plan, re.MULTILINE)
            assert reads and set(reads) == {"SEARCH"}, plan
            assert "SCAN request_search VIRTUAL TABLE INDEX 0:M" in plan, plan
            assert "SCAN national_case_search VIRTUAL TABLE INDEX 0:M" in plan, plan
        else:  # on the few cases here the planner may rather read national_case whole: that is its choice
            assert "Seq Scan on assistance_request" not in plan, plan
            for index in TRIGRAM_INDEXES[:2]:
                assert f"Bitmap Index Scan on {index}" in plan, plan


def test_the_index_objects_exist_at_the_head(db_session: Session) -> None:
    """A later batch migration that rebuilds assistance_request or national_case drops their triggers."""
    if is_sqlite(db_session):
        names = set(db_session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        wanted = {f"{table}_{event}" for table in ("request_search", "national_case_search")
                  for event in ("insert", "update", "delete")}
    else:
        names = set(db_session.scalars(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%trgm'")))
        wanted = set(TRIGRAM_INDEXES)
    assert wanted <= names


def test_the_migration_indexes_the_requests_already_there(fresh_databases: Callable[[], str]) -> None:
    url = fresh_databases()
    upgrade(url, "0007_request_next_due")
    engine = create_engine(url)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        load_reference_data(session, load_reference())
        office_id = insert_old_row(session, Office, code="OLD", name="Office", created_at=at)
        case_id = insert_old_row(session, NationalCase, office_id=office_id, case_number="Дело-5/2026",
                                 stage=CaseStage.PRE_TRIAL, title="", created_at=at)
        for number, (partner, case) in enumerate((("UZ-98892", None), ("", case_id)), start=1):
            insert_old_row(session, AssistanceRequest, reference=f"OLD-MLA-2025-{number:04}",
                           direction=Direction.OUTGOING, kind=RequestKind.MLA, stage=Stage.DRAFT,
                           office_id=office_id, country_iso2="KZ", partner_reference=partner,
                           national_case_id=case, created_at=at, updated_at=at, version=1)
        session.commit()
    upgrade(url)
    with Session(engine) as session:
        references = {query: sorted(session.scalars(select(AssistanceRequest.reference).where(
            request_text_clause(session, query)))) for query in ("old-mla", "z-988", "дело-5")}
    engine.dispose()
    assert references == {"old-mla": ["OLD-MLA-2025-0001", "OLD-MLA-2025-0002"],
                          "z-988": ["OLD-MLA-2025-0001"], "дело-5": ["OLD-MLA-2025-0002"]}


@pytest.mark.parametrize(("typed", "pattern"), [
    ("ab", "*[Aa][Bb]*"), ("дЕ", "*[Дд][Ее]*"), ("5/", "*5/*"), ("*?", "*[*][?]*"), ("[]", "*[[]]*"),
    ("ß", "*ß*"), ("^!", "*^!*"),
])
def test_the_scan_pattern_is_each_character_in_each_case(typed: str, pattern: str) -> None:
    assert any_case_glob(typed) == pattern


@pytest.mark.parametrize(("typed", "pattern"), [
    ("abc", "%abc%"), ("50%", "%50\\%%"), ("a_b", "%a\\_b%"), ("c:\\x", "%c:\\\\x%"),
])
def test_the_like_pattern_escapes_what_the_user_types(typed: str, pattern: str) -> None:
    assert like_pattern(typed) == pattern

