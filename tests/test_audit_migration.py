"""Migration 0010 carries the audit records of a 0008 database over: `mla verify-audit` proves the chain
of records written before the upgrade and after, values about a protected person are sealed, and a
broken old chain is refused rather than signed."""

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.orm import Session

from mla.cli import main
from mla.domain.enums import Direction, PersonRole, RequestKind, Stage
from mla.migrations import current_revision, upgrade
from mla.models import AssistanceRequest, AuditEvent, Office, Person
from mla.reference.loader import load_reference
from mla.services.operations.reference import load_reference_data
from tests.conftest import TEST_AUDIT_KEY, insert_old_row

AT = datetime(2026, 1, 1, 9, 30, tzinfo=UTC)
NAME = "Қодирова Нилуфар"
OLD_AUDIT = sa.table(
    "audit_event", sa.column("at", sa.DateTime(timezone=True)), sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String), sa.column("object_type", sa.String), sa.column("object_id", sa.String),
    sa.column("request_id", sa.Integer), sa.column("changes", sa.JSON), sa.column("remote_addr", sa.String),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String))


def old_hash(row: dict[str, Any]) -> str:
    """How the tracker hashed a record up to 0008."""
    body = {key: row[key] for key in ("actor_id", "action", "object_type", "object_id", "request_id",
                                      "changes", "remote_addr", "prev_hash")}
    body["at"] = row["at"].isoformat()
    content = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


@pytest.fixture
def runner(fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MLA_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("MLA_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("MLA_AUDIT_KEY", TEST_AUDIT_KEY.decode())
    return CliRunner()


def database_at_0008(url: str, *, tamper: bool = False) -> tuple[int, list[int]]:
    """A 0008 database whose trail names a victim who was marked protected after she was entered."""
    upgrade(url, "0008_request_search")
    engine = sa.create_engine(url)
    with Session(engine) as session:
        load_reference_data(session, load_reference())
        office_id = insert_old_row(session, Office, code="OLD", name="Office", created_at=AT)
        request_id = insert_old_row(
            session, AssistanceRequest, reference="OLD-MLA-2025-0001", direction=Direction.OUTGOING,
            kind=RequestKind.MLA, stage=Stage.DRAFT, office_id=office_id, country_iso2="KZ", created_at=AT,
            updated_at=AT, version=1)
        person_id = insert_old_row(session, Person, request_id=request_id, role=PersonRole.VICTIM,
                                   name_original=NAME, is_protected=True, pseudonym="P-1", created_at=AT)
        records = [
            ("request.create", "request", request_id, {"after": {"facts": "Кража"}}),
            ("person.add", "person", person_id, {"role": "victim", "name_original": NAME}),
            ("person.update", "person", person_id, {"is_protected": [False, True],
                                                    "pseudonym": ["", "P-1"]}),
        ]
        previous = ""
        ids = []
        for action, object_type, object_id, changes in records:
            row = {"at": AT, "actor_id": None, "action": action, "object_type": object_type,
                   "object_id": str(object_id), "request_id": request_id, "changes": changes,
                   "remote_addr": "", "prev_hash": previous}
            row["hash"] = previous = old_hash(row)
            if tamper and action == "person.add":
                row["changes"] = {"role": "victim", "name_original": "someone else"}
            ids.append(session.execute(sa.insert(OLD_AUDIT).values(row).returning(sa.column("id")))
                       .scalar_one())
        session.commit()
    engine.dispose()
    return person_id, ids


def test_records_written_before_the_upgrade_and_after_are_proved(
    runner: CliRunner, fresh_database_url: str
) -> None:
    person_id, ids = database_at_0008(fresh_database_url)
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    made = runner.invoke(main, ["create-user", "--email", "a@example.org", "--name", "A", "--role", "admin"],
                         input="long enough password\n")
    assert made.exit_code == 0, made.output
    result = runner.invoke(main, ["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "The audit chain is whole: 4 records checked" in result.output
    engine = sa.create_engine(fresh_database_url)
    with Session(engine) as session:
        added = session.get(AuditEvent, ids[1])
        assert added.changes == {"role": "victim", "name_original": NAME}
        assert all(value.is_protected for value in added.values)
        assert not any(value.is_protected for value in session.get(AuditEvent, ids[0]).values)
        assert NAME not in json.dumps(added.digests, ensure_ascii=False)
    engine.dispose()


def test_a_broken_chain_is_not_signed_by_the_upgrade(runner: CliRunner, fresh_database_url: str) -> None:
    _person_id, ids = database_at_0008(fresh_database_url, tamper=True)
    refused = runner.invoke(main, ["db", "upgrade"])
    assert refused.exit_code == 1
    assert f"the upgrade stopped: the audit chain breaks at record {ids[1]}" in refused.output
    assert "Traceback" not in refused.output
    engine = sa.create_engine(fresh_database_url)
    # PostgreSQL rolls the whole upgrade back; SQLite keeps the migrations that came before 0010.
    assert current_revision(engine) in {"0008_request_search", "0009_sessions_and_second_factor"}
    engine.dispose()


def test_the_upgrade_asks_for_the_audit_key_when_there_are_records(fresh_database_url: str) -> None:
    database_at_0008(fresh_database_url)
    with pytest.raises(RuntimeError, match="needs the audit key"):
        upgrade(fresh_database_url)
