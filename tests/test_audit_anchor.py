"""The audit chain proves its own end: someone with database rights but not the audit key who removes
the last records, or rewrites one and recomputes every later hash, is found and named by
`mla verify-audit` against the checkpoints kept outside the database."""

import json
import logging
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from config import ConfigError, load_config
from mla.app import create_app
from mla.cli import main
from mla.jobs.tasks import checkpoint_audit_chain
from mla.models import AuditEvent
from mla.services.audit import event_hash, record_event
from tests.conftest import TEST_AUDIT_KEY


@pytest.fixture
def runner(fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MLA_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("MLA_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("MLA_AUDIT_KEY", TEST_AUDIT_KEY.decode())
    return CliRunner()


def _with_records(runner: CliRunner, count: int = 4) -> None:
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    for number in range(count):
        made = runner.invoke(main, ["create-user", "--email", f"u{number}@example.org", "--name",
                                    f"U{number}", "--role", "desk"], input="long enough password\n")
        assert made.exit_code == 0, made.output


def disable_audit_triggers(connection: Connection) -> None:
    """What someone with database rights can do."""
    if connection.dialect.name == "sqlite":
        for trigger in ("audit_event_no_update", "audit_event_no_delete", "audit_value_no_delete",
                        "audit_value_sealed_only"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    else:
        connection.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")
        connection.exec_driver_sql("ALTER TABLE audit_value DISABLE TRIGGER USER")


def remove_last_records(engine: Engine, count: int) -> list[int]:
    with engine.begin() as connection:
        disable_audit_triggers(connection)
        ids = [row[0] for row in connection.exec_driver_sql(
            f"SELECT id FROM audit_event ORDER BY id DESC LIMIT {count}")]
        for record in ids:
            connection.exec_driver_sql(f"DELETE FROM audit_value WHERE event_id = {record}")
            connection.exec_driver_sql(f"DELETE FROM audit_event WHERE id = {record}")
    return ids


def verify(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, ["verify-audit", *args])


def test_removing_the_last_records_is_found_against_the_checkpoint(
    runner: CliRunner, fresh_database_url: str
) -> None:
    _with_records(runner)
    made = runner.invoke(main, ["audit-checkpoint"])
    assert made.exit_code == 0, made.output
    assert verify(runner).exit_code == 0
    engine = create_engine(fresh_database_url)
    removed = remove_last_records(engine, 2)
    engine.dispose()
    result = verify(runner)
    assert result.exit_code == 1
    assert f"the chain ends at record {min(removed) - 1} but the checkpoint of" in result.output
    assert f"names record {max(removed)}" in result.output
    refused = runner.invoke(main, ["audit-checkpoint"])
    assert refused.exit_code == 1 and "no checkpoint was written: the chain ends at" in refused.output


def test_a_record_rewritten_and_the_chain_recomputed_is_found_by_its_keyed_hash(
    runner: CliRunner, fresh_database_url: str
) -> None:
    _with_records(runner)
    engine = create_engine(fresh_database_url)
    with Session(engine) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        target = events[1].id
        previous = events[0].hash
        rewritten = []
        for event in events[1:]:
            action = "user.nothing" if event.id == target else event.action
            session.expunge(event)
            event.action = action
            event.prev_hash = previous
            event.hash = previous = event_hash(event)
            rewritten.append({"id": event.id, "action": action, "prev": event.prev_hash, "hash": event.hash})
    with engine.begin() as connection:
        disable_audit_triggers(connection)
        connection.execute(text("UPDATE audit_event SET action = :action, prev_hash = :prev, hash = :hash "
                                "WHERE id = :id"), rewritten)
    engine.dispose()
    result = verify(runner)
    assert result.exit_code == 1
    assert f"breaks at record {target}: its keyed hash does not match" in result.output
    assert "rewritten with a key not ours" in result.output


def test_a_changed_value_is_found_and_named(runner: CliRunner, fresh_database_url: str) -> None:
    _with_records(runner, 2)
    engine = create_engine(fresh_database_url)
    with engine.begin() as connection:
        disable_audit_triggers(connection)
        first = connection.exec_driver_sql("SELECT min(id) FROM audit_event").scalar()
        connection.exec_driver_sql(f"UPDATE audit_value SET value = '\"admin\"' WHERE event_id = {first} "
                                   "AND field = 'role'")
    engine.dispose()
    result = verify(runner)
    assert result.exit_code == 1
    assert f"breaks at record {first}: its value 'role' does not match the digest" in result.output


def test_a_backup_carries_a_signed_checkpoint_that_proves_the_end(
    runner: CliRunner, fresh_database_url: str, tmp_path: Path
) -> None:
    _with_records(runner)
    made = runner.invoke(main, ["backup", str(tmp_path / "b")])
    assert made.exit_code == 0, made.output
    checkpoint = json.loads((tmp_path / "b" / "manifest.json").read_text())["audit_checkpoint"]
    assert checkpoint["count"] == 4 and checkpoint["mac"]
    assert verify(runner, "--backup", str(tmp_path / "b")).exit_code == 0
    engine = create_engine(fresh_database_url)
    removed = remove_last_records(engine, 1)
    engine.dispose()
    result = verify(runner, "--backup", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert f"names record {removed[0]}" in result.output
    assert "records at the end were removed" in result.output


@pytest.mark.parametrize(("line", "message"), [
    ("not json", "line 1 of {path} is not an audit checkpoint"),
    ('{"at": "x"}', "line 1 of {path} is not an audit checkpoint"),
    ("forged", "line 1 of {path} is not signed with our audit key"),
])
def test_a_forged_or_garbled_checkpoint_is_refused_with_a_message(
    runner: CliRunner, tmp_path: Path, line: str, message: str
) -> None:
    _with_records(runner, 1)
    assert runner.invoke(main, ["audit-checkpoint"]).exit_code == 0
    path = tmp_path / "instance" / "audit-checkpoints.jsonl"
    if line == "forged":  # a checkpoint that names fewer records, signed with another key
        data = json.loads(path.read_text())
        line = json.dumps({**data, "count": 0, "last_id": 0})
    path.write_text(line + "\n")
    result = verify(runner, "--checkpoint", str(path))
    assert result.exit_code == 1
    assert "the checkpoints cannot be used: " + message.format(path=path) in result.output
    assert "Traceback" not in result.output


def test_the_scheduler_checkpoints_the_chain_and_raises_the_alarm(
    app: Flask, db_session: Session, now, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "checkpoints.jsonl"
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_FILE", path)
    for number in range(3):
        record_event(db_session, actor=None, now=now, action=f"test.{number}", object_type="x")
    db_session.commit()
    with caplog.at_level(logging.INFO, logger="mla.audit"):
        checkpoint_audit_chain(app)
    assert len(path.read_text().splitlines()) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert any("audit checkpoint" in record.getMessage() for record in caplog.records)
    disable_audit_triggers(db_session.connection())
    last = db_session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    db_session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": last})
    caplog.clear()
    checkpoint_audit_chain(app)
    alarms = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert alarms and f"names record {last}" in alarms[0].getMessage()
    assert len(path.read_text().splitlines()) == 1


def test_production_refuses_to_start_without_the_audit_key(tmp_path: Path) -> None:
    production = {"MLA_SECRET_KEY": "s" * 64, "MLA_DATABASE_URL": "postgresql://db/mla"}
    with pytest.raises(ConfigError, match="MLA_AUDIT_KEY or MLA_AUDIT_KEY_FILE"):
        load_config("production", production)
    with pytest.raises(ConfigError, match="at least 32 characters"):
        load_config("production", {**production, "MLA_AUDIT_KEY": "short"})
    with pytest.raises(ConfigError, match="MLA_AUDIT_KEY_FILE cannot be read"):
        load_config("production", {**production, "MLA_AUDIT_KEY_FILE": str(tmp_path / "missing")})
    (tmp_path / "key").write_text("k" * 40 + "\n")
    config = load_config("production", {**production, "MLA_AUDIT_KEY_FILE": str(tmp_path / "key")})
    assert config["AUDIT_KEY"] == b"k" * 40


def test_development_makes_its_audit_key_once_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_database_url: str
) -> None:
    monkeypatch.delenv("MLA_AUDIT_KEY", raising=False)
    monkeypatch.delenv("MLA_AUDIT_KEY_FILE", raising=False)
    settings = {"ENV_NAME": "development", "INSTANCE_PATH": tmp_path, "DATABASE_URL": fresh_database_url}
    key = create_app(settings).config["AUDIT_KEY"]
    assert len(key) >= 32 and stat.S_IMODE((tmp_path / "audit.key").stat().st_mode) == 0o600
    assert create_app(settings).config["AUDIT_KEY"] == key


def test_the_database_lets_audit_values_only_be_sealed(db_session: Session, now) -> None:
    event = record_event(db_session, actor=None, now=now, action="test.keep", object_type="x",
                         changes={"name": "Каримов"})
    db_session.commit()
    for statement in (
        "UPDATE audit_value SET value = '\"someone else\"' WHERE event_id = :id",
        "UPDATE audit_value SET salt = 'x' WHERE event_id = :id",
        "DELETE FROM audit_value WHERE event_id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only|only ever sealed"), db_session.begin_nested():
            db_session.execute(text(statement), {"id": event.id})
    with db_session.begin_nested():
        db_session.execute(text("UPDATE audit_value SET is_protected = true WHERE event_id = :id"),
                           {"id": event.id})
    with pytest.raises(DBAPIError, match="only ever sealed"), db_session.begin_nested():
        db_session.execute(text("UPDATE audit_value SET is_protected = false WHERE event_id = :id"),
                           {"id": event.id})


def test_a_restore_starts_the_checkpoints_again_from_the_backup(
    runner: CliRunner, tmp_path: Path
) -> None:
    _with_records(runner, 2)
    assert runner.invoke(main, ["backup", str(tmp_path / "b")]).exit_code == 0
    _with_records(runner, 0)
    made = runner.invoke(main, ["create-user", "--email", "late@example.org", "--name", "Late", "--role",
                                "desk"], input="long enough password\n")
    assert made.exit_code == 0 and runner.invoke(main, ["audit-checkpoint"]).exit_code == 0
    restored = runner.invoke(main, ["restore", "--force", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output
    assert "checkpoints of the database before the restore are kept in" in restored.output
    result = verify(runner)
    assert result.exit_code == 0, result.output
    kept = next((tmp_path / "instance").glob("audit-checkpoints.before-restore-*.jsonl"))
    assert verify(runner, "--checkpoint", str(kept)).exit_code == 1


def test_checking_with_another_key_says_the_key_may_be_wrong(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_records(runner, 1)
    monkeypatch.setenv("MLA_AUDIT_KEY", "another-key-" + "x" * 32)
    result = verify(runner)
    assert result.exit_code == 1
    assert "breaks at record 1: its keyed hash does not match" in result.output
    assert "not the one the log was signed with (MLA_AUDIT_KEY)" in result.output
