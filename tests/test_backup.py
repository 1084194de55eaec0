"""Backups restore everything byte for byte; damaged or partial backups change nothing; the audit
chain shows any rewritten, removed or inserted record."""

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from mla.db import make_engine
from mla.demo.seed import seed_demo
from mla.domain.enums import Role
from mla.migrations import upgrade
from mla.models import (
    AssistanceRequest,
    Attachment,
    AuditEvent,
    Blob,
    Person,
    StageChange,
    User,
)
from mla.models.audit import AuditLogIsAppendOnly
from mla.reference.loader import load_reference
from mla.services.audit import audit_session_info, record_event, verify_chain
from mla.services.operations.backup import BackupError, backup, read_manifest, restore, table_digests
from mla.services.operations.reference import load_reference_data
from mla.services.requests.attachments import add_attachment
from tests.conftest import FIXED_NOW, TEST_AUDIT_KEY

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))


def demo_database(url: str) -> Engine:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, info=audit_session_info(TEST_AUDIT_KEY)) as session:
        load_reference_data(session, load_reference())
        seed_demo(session, now=FIXED_NOW)
        item = session.scalar(select(AssistanceRequest).order_by(AssistanceRequest.id))
        desk = session.scalar(select(User).where(User.role == Role.DESK))
        add_attachment(
            session,
            actor=desk,
            now=FIXED_NOW,
            item=item,
            filename="протокол.pdf",
            data=PDF,
            description="",
            max_bytes=10_000,
            allowed_types=("pdf",),
        )
        session.commit()
    return engine


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine, info=audit_session_info(TEST_AUDIT_KEY)) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (AssistanceRequest, Person, StageChange, AuditEvent, Attachment, Blob)
        }


def test_a_backup_of_a_running_app_restores_into_a_fresh_instance(
    fresh_databases: Callable[[], str], tmp_path: Path
) -> None:
    source = demo_database(fresh_databases())
    stop = threading.Event()

    def keep_writing() -> None:  # the app goes on working while the backup runs
        while not stop.is_set():
            with Session(source, info=audit_session_info(TEST_AUDIT_KEY)) as session:
                record_event(session, actor=None, now=FIXED_NOW, action="test.write", object_type="x")
                session.commit()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        report = backup(source, tmp_path / "backup", audit_key=TEST_AUDIT_KEY)
    finally:
        stop.set()
        writer.join()
    manifest = read_manifest(tmp_path / "backup")
    assert manifest["tables"] == report.tables
    assert manifest["tables"]["assistance_request"]["rows"] == 40

    target_url = fresh_databases()
    upgrade(target_url)
    target = make_engine(target_url)
    restore(target, tmp_path / "backup")
    with target.connect() as connection:
        assert table_digests(connection) == manifest["tables"]
    restored = counts(target)
    assert restored["assistance_request"] == 40 and restored["attachment"] == 1
    assert restored["audit_event"] == manifest["tables"]["audit_event"]["rows"]
    with Session(target) as session:
        assert session.scalar(select(Blob.content)) == PDF
        assert verify_chain(session, TEST_AUDIT_KEY).is_whole
    source.dispose()
    target.dispose()


def test_restore_refuses_a_database_that_holds_data_unless_forced(
    fresh_databases: Callable[[], str], tmp_path: Path
) -> None:
    source = demo_database(fresh_databases())
    backup(source, tmp_path / "backup", audit_key=TEST_AUDIT_KEY)
    with pytest.raises(BackupError, match="holds data already"):
        restore(source, tmp_path / "backup")
    with Session(source, info=audit_session_info(TEST_AUDIT_KEY)) as session:
        session.execute(text("DELETE FROM request_link"))
        session.commit()
    restore(source, tmp_path / "backup", force=True)
    assert counts(source)["assistance_request"] == 40
    source.dispose()


@pytest.mark.parametrize(
    "damage",
    [
        "flip a byte",
        "truncate",
        "remove the database file",
        "remove the manifest",
        "garble the manifest",
        "wrong format",
    ],
)
def test_a_damaged_or_partial_backup_changes_nothing(
    fresh_databases: Callable[[], str], tmp_path: Path, damage: str
) -> None:
    source = demo_database(fresh_databases())
    folder = tmp_path / "backup"
    backup(source, folder, audit_key=TEST_AUDIT_KEY)
    manifest_path = folder / "manifest.json"
    data_file = folder / next(iter(json.loads(manifest_path.read_text())["files"]))
    if damage == "flip a byte":
        raw = bytearray(data_file.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        data_file.write_bytes(bytes(raw))
    elif damage == "truncate":
        data_file.write_bytes(data_file.read_bytes()[:1000])
    elif damage == "remove the database file":
        data_file.unlink()
    elif damage == "remove the manifest":
        manifest_path.unlink()
    elif damage == "garble the manifest":
        manifest_path.write_text("{not json")
    else:
        manifest_path.write_text(json.dumps({"format": "something-else"}))
    target_url = fresh_databases()
    upgrade(target_url)
    target = make_engine(target_url)
    with pytest.raises(BackupError) as refused:
        restore(target, folder)
    assert str(refused.value)
    assert counts(target)["assistance_request"] == 0
    source.dispose()
    target.dispose()


def test_a_backup_goes_into_an_empty_folder(fresh_databases: Callable[[], str], tmp_path: Path) -> None:
    source = demo_database(fresh_databases())
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "old.txt").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        backup(source, tmp_path / "used", audit_key=TEST_AUDIT_KEY)
    source.dispose()


def test_the_audit_chain_is_whole_after_normal_work(db_session: Session, now, audit_key: bytes) -> None:
    seed_demo(db_session, now=now)
    report = verify_chain(db_session, audit_key)
    assert report.is_whole and report.checked > 40


def _disable_append_only_triggers(db_session: Session) -> None:
    if db_session.get_bind().dialect.name == "sqlite":
        db_session.execute(text("DROP TRIGGER audit_event_no_update"))
        db_session.execute(text("DROP TRIGGER audit_event_no_delete"))
    else:
        db_session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))


def test_the_database_refuses_to_change_or_delete_audit_records(db_session: Session, now) -> None:
    event = record_event(db_session, actor=None, now=now, action="test.keep", object_type="x")
    db_session.commit()
    for statement in (
        "UPDATE audit_event SET action = 'x' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ):
        # the driver's error type differs between SQLite and PostgreSQL
        with pytest.raises(Exception, match="append-only"), db_session.begin_nested():
            db_session.execute(text(statement), {"id": event.id})


@pytest.mark.parametrize("tamper", ["edit", "delete", "insert"])
def test_a_tampered_chain_is_reported_where_it_breaks(db_session: Session, now, tamper: str,
                                                       audit_key: bytes) -> None:
    for number in range(5):
        record_event(db_session, actor=None, now=now, action=f"test.{number}", object_type="x")
    db_session.flush()
    ids = db_session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    victim = ids[-3]
    _disable_append_only_triggers(db_session)  # what someone with database rights could do
    if tamper == "edit":
        db_session.execute(text("UPDATE audit_event SET action = 'harmless' WHERE id = :id"), {"id": victim})
        expected = victim
    elif tamper == "delete":
        db_session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": victim})
        expected = ids[-2]
    else:
        db_session.execute(text("UPDATE audit_event SET prev_hash = 'forged' WHERE id = :id"), {"id": victim})
        expected = victim
    db_session.expire_all()
    report = verify_chain(db_session, audit_key)
    assert not report.is_whole
    assert report.broken_id == expected
    assert report.reason


def test_the_application_cannot_change_or_delete_audit_records(db_session: Session, now) -> None:
    event = record_event(db_session, actor=None, now=now, action="test.keep", object_type="x")
    event.action = "test.changed"
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()
    db_session.rollback()
    event = record_event(db_session, actor=None, now=now, action="test.keep", object_type="x")
    db_session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()
