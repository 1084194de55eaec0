"""The `mla` command line: schema, reference data, first admin, request listing."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.orm import Session

from mla.cli import main
from mla.domain.enums import Role
from mla.models import AuditEvent, CountryProfile, Treaty, User
from mla.services.demo import seed_demo
from tests.conftest import FIXED_NOW


@pytest.fixture
def runner(fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MLA_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("MLA_DATABASE_URL", fresh_database_url)
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
    result = runner.invoke(main, ["create-user", "--email", "Chief@Example.org", "--name",
                                  "Главный Администратор", "--role", "admin"],
                           input="a long admin password\n")
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
        (["--email", "x@example.org", "--name", "X", "--role", "desk", "--office", "ZZZ"],
         "long enough pw\n", "no office"),
        (["--email", "x@example.org", "--name", "X", "--role", "king"], "long enough pw\n", "king"),
    ],
)
def test_create_user_bad_input_is_a_clear_error(runner: CliRunner, args: list, password: str,
                                                 message: str, fresh_database_url: str) -> None:
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
    with Session(engine) as session:
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
    assert {"assistance_request", "person", "measure", "stage_change", "clock", "reminder",
            "blob", "attachment", "generated_document", "audit_event", "country_profile",
            "treaty", "treaty_party", "user_account", "office", "alembic_version"} <= tables
