"""The `mla` command line: schema, reference data, first admin, request listing."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.orm import Session

from mla.cli import main
from mla.demo.seed import seed_demo
from mla.domain.enums import Role
from mla.models import AssistanceRequest, AuditEvent, CountryProfile, Treaty, User
from mla.services.audit import audit_session_info
from tests.conftest import FIXED_NOW, TEST_AUDIT_KEY


@pytest.fixture
def runner(fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MLA_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("MLA_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("MLA_AUDIT_KEY", TEST_AUDIT_KEY.decode())
    return CliRunner()


def test_help_lists_every_command(runner: CliRunner) -> None:
    output = runner.invoke(main, ["--help"]).output
    for command in ["db", "reference", "create-user", "demo", "scheduler", "requests"]:
        assert command in output


def test_db_upgrade_then_reference_load(runner: CliRunner, fresh_database_url: str) -> None:
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(main, ["reference", "load"])
    assert result.exit_code == 0, result.output
    assert "12 countries" in result.output
    engine = create_engine(fresh_database_url)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(CountryProfile)) == 12
        tajikistan = session.get(CountryProfile, "TJ")
        assert tajikistan.is_home and tajikistan.facts["weekend_days"]["confidence"] in "TPB"
        assert session.get(Treaty, "minsk_1993") is not None
    assert runner.invoke(main, ["reference", "load"]).exit_code == 0
    engine.dispose()


def test_create_user_reads_the_password_from_stdin(runner: CliRunner, fresh_database_url: str) -> None:
    runner.invoke(main, ["db", "upgrade"])
    result = runner.invoke(
        main,
        ["create-user", "--email", "Chief@Example.org", "--name", "Главный Администратор", "--role", "admin"],
        input="a long admin password\n",
    )
    assert result.exit_code == 0, result.output
    engine = create_engine(fresh_database_url)
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.email == "chief@example.org"))
        assert user.role == Role.ADMIN and user.password_hash.startswith("scrypt:")
        assert session.scalar(select(AuditEvent.action)) == "user.create"
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--email", "x@example.org", "--name", "X", "--role", "admin"], "short\n", "at least 10"),
        (["--email", "bad", "--name", "X", "--role", "admin"], "long enough pw\n", "valid e-mail"),
        (
            ["--email", "x@example.org", "--name", "X", "--role", "desk", "--office", "ZZZ"],
            "long enough pw\n",
            "no office",
        ),
        (["--email", "x@example.org", "--name", "X", "--role", "king"], "long enough pw\n", "king"),
    ],
)
def test_create_user_bad_input_is_a_clear_error(
    runner: CliRunner, args: list, password: str, message: str, fresh_database_url: str
) -> None:
    runner.invoke(main, ["db", "upgrade"])
    result = runner.invoke(main, ["create-user", *args], input=password)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    engine = create_engine(fresh_database_url)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
    engine.dispose()


def test_requests_list_prints_json(runner: CliRunner, fresh_database_url: str) -> None:
    runner.invoke(main, ["db", "upgrade"])
    runner.invoke(main, ["reference", "load"])
    engine = create_engine(fresh_database_url)
    with Session(engine, info=audit_session_info(TEST_AUDIT_KEY)) as session:
        seed_demo(session, now=FIXED_NOW)
        session.commit()
    engine.dispose()
    result = runner.invoke(main, ["requests", "list", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert len(items) == 40
    assert {"reference", "kind", "direction", "country", "stage", "deadline_on"} <= set(items[0])
    table = runner.invoke(main, ["requests", "list"]).output
    assert items[0]["reference"] in table


def test_fresh_upgrade_makes_every_table(runner: CliRunner, fresh_database_url: str) -> None:
    runner.invoke(main, ["db", "upgrade"])
    engine = create_engine(fresh_database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {
        "assistance_request",
        "person",
        "measure",
        "stage_change",
        "clock",
        "reminder",
        "blob",
        "attachment",
        "generated_document",
        "audit_event",
        "country_profile",
        "treaty",
        "treaty_party",
        "user_account",
        "office",
        "alembic_version",
    } <= tables


def test_backup_restore_and_verify_audit_from_the_command_line(
    runner: CliRunner,
    fresh_databases,
    fresh_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner.invoke(main, ["db", "upgrade"])
    runner.invoke(main, ["reference", "load"])
    source = create_engine(fresh_database_url)
    with Session(source, info=audit_session_info(TEST_AUDIT_KEY)) as session:
        seed_demo(session, now=FIXED_NOW)
        session.commit()
    assert "The audit chain is whole" in runner.invoke(main, ["verify-audit"]).output
    made = runner.invoke(main, ["backup", str(tmp_path / "b")])
    assert made.exit_code == 0, made.output
    refused = runner.invoke(main, ["restore", str(tmp_path / "b")])
    assert refused.exit_code == 1 and "holds data already" in refused.output
    target = fresh_databases()
    monkeypatch.setenv("MLA_DATABASE_URL", target)
    monkeypatch.setenv("MLA_INSTANCE_PATH", str(tmp_path / "second"))
    restored = runner.invoke(main, ["restore", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output
    assert "every table matches its manifest" in restored.output
    assert len(json.loads(runner.invoke(main, ["requests", "list", "--json"]).output)) == 40
    source.dispose()


def test_verify_audit_names_the_record_where_the_chain_breaks(
    runner: CliRunner, fresh_database_url: str
) -> None:
    runner.invoke(main, ["db", "upgrade"])
    runner.invoke(
        main,
        ["create-user", "--email", "a@example.org", "--name", "A", "--role", "admin"],
        input="long enough password\n",
    )
    runner.invoke(
        main,
        ["create-user", "--email", "b@example.org", "--name", "B", "--role", "desk"],
        input="long enough password\n",
    )
    engine = create_engine(fresh_database_url)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        else:
            connection.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        first = connection.exec_driver_sql("SELECT min(id) FROM audit_event").scalar()
        connection.exec_driver_sql(f"UPDATE audit_event SET action = 'user.nothing' WHERE id = {first}")
    engine.dispose()
    result = runner.invoke(main, ["verify-audit"])
    assert result.exit_code == 1
    assert f"breaks at record {first}" in result.output and "was changed" in result.output


def test_the_demo_desk_renders_letters_from_the_command_line(
    runner: CliRunner, fresh_database_url: str, tmp_path: Path
) -> None:
    runner.invoke(main, ["db", "upgrade"])
    runner.invoke(main, ["reference", "load"])
    engine = create_engine(fresh_database_url)
    with Session(engine, info=audit_session_info(TEST_AUDIT_KEY)) as session:
        seed_demo(session, now=FIXED_NOW)
        session.commit()
        reference = session.scalar(select(AssistanceRequest.reference).where(
            AssistanceRequest.direction == "incoming", AssistanceRequest.country_iso2 == "AF"))
    engine.dispose()
    out = tmp_path / "ack.docx"
    result = runner.invoke(main, ["render-letter", "--request", reference, "--kind", "acknowledgement",
                                  "--lang", "fa_AF", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    refused = runner.invoke(main, ["render-letter", "--request", "NO-SUCH-REF", "--kind", "acknowledgement",
                                   "--lang", "fa_AF", "-o", str(tmp_path / "x.docx")])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
