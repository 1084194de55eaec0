"""The migrations make exactly the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect, text

from mla.db import get_database
from mla.migrations import current_revision, head_revision, include_name
from mla.models import Base


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
