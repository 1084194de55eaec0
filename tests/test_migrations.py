"""The migrations make exactly the schema the models describe, on SQLite and PostgreSQL."""
from collections.abc import Callable
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session

from mla.db import get_database
from mla.domain.enums import CaseStage, Direction, RequestKind, Stage
from mla.migrations import current_revision, head_revision, include_name, upgrade
from mla.models import AssistanceRequest, Base, NationalCase, Office
from mla.reference.loader import load_reference
from mla.services.operations.reference import load_reference_data
from mla.services.requests.text_search import request_text_clause
from tests.conftest import insert_old_row


def test_database_is_at_the_migration_head(app: Flask) -> None:
    assert current_revision(get_database(app).engine) == head_revision()


def test_migration_head_matches_the_models(app: Flask) -> None:
    with get_database(app).engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_name": include_name})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_enum_columns_are_guarded_by_check_constraints(app: Flask) -> None:
    engine = get_database(app).engine
    checks = {c["name"] for c in inspect(engine).get_check_constraints("assistance_request")}
    assert {"ck_assistance_request_stage", "ck_assistance_request_direction"} <= checks
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            connection.execute(text(
                "INSERT INTO office (code, name, city, time_zone, is_active, created_at) "
                "VALUES ('CHK', 'x', 'x', 'UTC', true, CURRENT_TIMESTAMP)"))
            office_id = connection.execute(text("SELECT id FROM office WHERE code='CHK'")).scalar()
            statement = text(
                "INSERT INTO user_account (email, full_name, password_hash, role, office_id, "
                "position, phone, time_zone, is_active, is_demo, digest_opt_out, "
                "created_at) VALUES ('x@y.z', 'x', 'x', 'superuser', :office, '', '', 'UTC', "
                "true, false, false, CURRENT_TIMESTAMP)")
            try:
                connection.execute(statement, {"office": office_id})
            except Exception as exc:  # the driver's IntegrityError differs per database
                assert "ck_user_account_role" in str(exc) or "CHECK" in str(exc)
            else:
                raise AssertionError("an unknown role was stored")
        finally:
            outer.rollback()


def test_foreign_keys_are_enforced(app: Flask) -> None:
    engine = get_database(app).engine
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            connection.execute(text(
                "INSERT INTO measure (request_id, assistance_type_code, position, details, "
                "procedure, status, result_note, version, created_at) VALUES (999999, 'statement', 0, "
                "'', '', 'pending', '', 1, CURRENT_TIMESTAMP)"))
        except Exception as exc:
            assert "FOREIGN KEY" in str(exc).upper()
        else:
            raise AssertionError("a measure of a missing request was stored")
        finally:
            outer.rollback()


def test_0012_drops_the_unused_columns_and_keeps_the_search_triggers(
        fresh_databases: Callable[[], str]) -> None:
    url = fresh_databases()
    upgrade(url, "0011_edit_versions")
    engine = create_engine(url)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        load_reference_data(session, load_reference())
        office_id = insert_old_row(session, Office, code="OLD", name="Office", created_at=at)
        case_id = insert_old_row(session, NationalCase, office_id=office_id, case_number="Дело-7/2026",
                                 stage=CaseStage.PRE_TRIAL, legal_qualification="ст. 130¹", created_at=at)
        insert_old_row(session, AssistanceRequest, reference="OLD-MLA-2025-0001",
                       direction=Direction.OUTGOING, kind=RequestKind.MLA, stage=Stage.DRAFT,
                       office_id=office_id, country_iso2="KZ", national_case_id=case_id,
                       legal_basis_note="Note", created_at=at, updated_at=at)
        session.commit()
    upgrade(url)
    columns = {table: {c["name"] for c in inspect(engine).get_columns(table)}
               for table in ("assistance_request", "national_case")}
    with Session(engine) as session:
        insert_old_row(session, AssistanceRequest, reference="NEW-MLA-2026-0001",
                       direction=Direction.OUTGOING, kind=RequestKind.MLA, stage=Stage.DRAFT,
                       office_id=session.scalar(select(Office.id)), country_iso2="KZ",
                       partner_reference="UZ-55501", created_at=at, updated_at=at)
        session.commit()
        found = {query: sorted(session.scalars(select(AssistanceRequest.reference).where(
            request_text_clause(session, query)))) for query in ("дело-7", "uz-555")}
    engine.dispose()
    assert "legal_basis_note" not in columns["assistance_request"]
    assert "legal_qualification" not in columns["national_case"]
    assert found == {"дело-7": ["OLD-MLA-2025-0001"], "uz-555": ["NEW-MLA-2026-0001"]}


def test_0014_gives_offices_russian_and_asks_no_translator(fresh_databases: Callable[[], str]) -> None:
    url = fresh_databases()
    upgrade(url, "0013_handoff_facts")
    engine = create_engine(url)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        load_reference_data(session, load_reference())
        office_id = insert_old_row(session, Office, code="OLD", name="Office", created_at=at)
        insert_old_row(session, AssistanceRequest, reference="OLD-MLA-2025-0001",
                       direction=Direction.INCOMING, kind=RequestKind.MLA, stage=Stage.REGISTERED,
                       office_id=office_id, country_iso2="AF", request_language="fa_AF", created_at=at,
                       updated_at=at, version=1)
        session.commit()
    upgrade(url)
    with Session(engine) as session:
        office = session.get_one(Office, office_id)
        item = session.scalars(select(AssistanceRequest)).one()
        facts = (office.drafting_language, item.drafting_language, item.translation_asked)
    engine.dispose()
    assert facts == ("ru", "ru", False)
