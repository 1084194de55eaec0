"""Anchoring the audit chain outside the database: the audit key, and signed checkpoints (last record,
count, last hash) kept in a file, the log and backup manifests, that prove where the chain ended."""
from __future__ import annotations

import hmac
import json
import logging
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from mla.models import AuditEvent
from mla.services.audit import ChainReport, keyed_hash, verify_chain

log = logging.getLogger("mla.audit")
KEY_FILE = "audit.key"
CHECKPOINT_FILE = "audit-checkpoints.jsonl"


class CheckpointError(RuntimeError):
    """A checkpoint cannot be read, or is not signed with our key; the message says which."""


def instance_audit_key(instance_path: Path) -> bytes:
    """The key in the instance folder, made once (readable by its owner only): for development and
    tests, where no MLA_AUDIT_KEY is set."""
    path = instance_path / KEY_FILE
    if not path.exists():
        staged = path.with_name(f"{KEY_FILE}.{os.getpid()}")
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(staged, path)  # whole or not at all, and never over a key another process made first
        except FileExistsError:
            pass
        finally:
            staged.unlink()
    return path.read_text().strip().encode()


@dataclass(frozen=True)
class Checkpoint:
    """Where the chain ended at `at`: its last record, how many records, the last hash; signed."""

    at: str
    last_id: int
    count: int
    last_hash: str
    mac: str

    def where(self) -> str:
        return f"the checkpoint of {self.at}"


def _signed_part(at: str, last_id: int, count: int, last_hash: str) -> str:
    return json.dumps({"at": at, "last_id": last_id, "count": count, "last_hash": last_hash}, sort_keys=True)


def make_checkpoint(connection: Connection, key: bytes, now: datetime) -> Checkpoint:
    """A signed checkpoint of the chain as this connection sees it."""
    # One statement for both, so that a record committed meanwhile cannot fall between them.
    count, last_id = connection.execute(select(func.count(), func.coalesce(func.max(AuditEvent.id), 0))
                                        .select_from(AuditEvent)).one()
    last_hash = connection.scalar(select(AuditEvent.hash).where(AuditEvent.id == last_id)) or ""
    at = now.astimezone(UTC).isoformat()
    signature = keyed_hash(key, _signed_part(at, last_id, count, last_hash))
    return Checkpoint(at, last_id, count, last_hash, signature)


def checkpoint_from(data: Any, key: bytes, source: str) -> Checkpoint:
    """A checkpoint read from a file or a manifest, after checking its signature."""
    try:
        checkpoint = Checkpoint(str(data["at"]), int(data["last_id"]), int(data["count"]),
                                str(data["last_hash"]), str(data["mac"]))
    except (KeyError, TypeError, ValueError):
        raise CheckpointError(f"{source} is not an audit checkpoint") from None
    signed = _signed_part(checkpoint.at, checkpoint.last_id, checkpoint.count, checkpoint.last_hash)
    if not hmac.compare_digest(keyed_hash(key, signed), checkpoint.mac):
        raise CheckpointError(f"{source} is not signed with our audit key (forged or altered)")
    return checkpoint


def read_checkpoints(path: Path, key: bytes) -> list[Checkpoint]:
    """Every checkpoint of a checkpoint file, each checked."""
    checkpoints = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError:
            raise CheckpointError(f"line {number} of {path} is not an audit checkpoint") from None
        checkpoints.append(checkpoint_from(data, key, f"line {number} of {path}"))
    return checkpoints


def save_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Append the checkpoint to the file (made readable by its owner only) and to the log."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a") as handle:
        handle.write(json.dumps(asdict(checkpoint), sort_keys=True) + "\n")
    log.info("audit checkpoint %s", json.dumps(asdict(checkpoint), sort_keys=True))


def set_checkpoints_aside(path: Path, now: datetime) -> Path | None:
    """Keep the checkpoints of a database that a restore replaced under another name, so that the file
    goes on with the restored chain. Returns where they went, if there were any."""
    if not path.exists():
        return None
    kept = path.with_name(f"{path.stem}.before-restore-{now.astimezone(UTC):%Y%m%dT%H%M%S}{path.suffix}")
    path.rename(kept)
    return kept


def last_checkpoint(path: Path, key: bytes) -> Checkpoint | None:
    checkpoints = read_checkpoints(path, key) if path.exists() else []
    return checkpoints[-1] if checkpoints else None


def compare_with_checkpoint(connection: Connection, checkpoint: Checkpoint) -> str:
    """Why the chain disagrees with the checkpoint, or "" when it agrees: records removed from its end,
    removed before the checkpoint's last record, or a chain recomputed up to it."""
    if checkpoint.last_id == 0:
        return ""
    last_id = connection.scalar(select(func.max(AuditEvent.id))) or 0
    if last_id < checkpoint.last_id:
        return (f"the chain ends at record {last_id} but {checkpoint.where()} names record "
                f"{checkpoint.last_id}: records at the end were removed")
    stored = connection.scalar(select(AuditEvent.hash).where(AuditEvent.id == checkpoint.last_id))
    if stored is None:
        return (f"record {checkpoint.last_id}, which {checkpoint.where()} names as the last, is missing: "
                "records were removed")
    if stored != checkpoint.last_hash:
        return (f"record {checkpoint.last_id}'s hash differs from {checkpoint.where()}: "
                "the chain up to it was rewritten")
    count = connection.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.id <= checkpoint.last_id))
    if count != checkpoint.count:
        return (f"{checkpoint.where()} counts {checkpoint.count} records up to record {checkpoint.last_id}, "
                f"the chain {count}: records were removed or inserted")
    return ""


def check_against(session: Session, key: bytes, checkpoints: list[Checkpoint]) -> ChainReport:
    """The whole chain checked record by record, then its end against each checkpoint."""
    report = verify_chain(session, key)
    for checkpoint in checkpoints if report.is_whole else []:
        problem = compare_with_checkpoint(session.connection(), checkpoint)
        if problem:
            return ChainReport(report.checked, checkpoint.last_id, problem, report.last_id, report.last_hash,
                               at_end=True)
    return report


def write_checkpoint(session: Session, key: bytes, now: datetime, path: Path) -> Checkpoint:
    """Check the records since the file's last checkpoint, then append a checkpoint of the chain's end
    to the file and the log (none when nothing was added). A chain that disagrees gets none."""
    last = last_checkpoint(path, key)
    problem = compare_with_checkpoint(session.connection(), last) if last else ""
    if problem:
        raise CheckpointError(problem)
    report = verify_chain(session, key, after_id=last.last_id if last else 0,
                          after_hash=last.last_hash if last else "")
    if not report.is_whole:
        raise CheckpointError(f"the audit chain breaks at record {report.broken_id}: {report.reason}")
    checkpoint = make_checkpoint(session.connection(), key, now)
    if last and checkpoint.last_id == last.last_id:
        return last
    save_checkpoint(path, checkpoint)
    return checkpoint
