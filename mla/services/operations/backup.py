"""Backups that restore: a consistent copy of the database with a manifest of row counts and
content hashes per table, and a restore that checks everything before it changes anything."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from mla.migrations import current_revision
from mla.models import Base
from mla.services.oversight.audit_anchor import Checkpoint, checkpoint_from, make_checkpoint

FORMAT = "mla-backup-1"
MANIFEST = "manifest.json"
SQLITE_FILE = "mla.sqlite3"
PG_FILE = "mla.pgdump"
# Tables whose rows tell whether an instance holds data already.
DATA_TABLES = ("user_account", "assistance_request", "audit_event")


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says what is wrong."""


@dataclass(frozen=True)
class BackupReport:
    directory: Path
    tables: dict[str, dict[str, Any]]
    checkpoint: Checkpoint


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _rows(connection: Connection, table_name: str) -> Iterator[tuple[Any, ...]]:
    table = Base.metadata.tables[table_name]
    order = list(table.primary_key.columns) or list(table.columns)
    yield from (tuple(row) for row in connection.execute(select(table).order_by(*order)))


def _canonical(value: Any) -> str:
    if isinstance(value, bytes):
        return "b:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def table_digests(connection: Connection) -> dict[str, dict[str, Any]]:
    """Row count and a hash of every row's content, per table, in primary-key order."""
    present = set(inspect(connection).get_table_names())
    digests: dict[str, dict[str, Any]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            continue
        digest = hashlib.sha256()
        count = 0
        for row in _rows(connection, table.name):
            digest.update("\x1f".join(_canonical(value) for value in row).encode() + b"\x1e")
            count += 1
        digests[table.name] = {"rows": count, "sha256": digest.hexdigest()}
    return digests


def _sqlite_digests(path: Path) -> dict[str, dict[str, Any]]:
    reader = create_engine(f"sqlite:///{path}")
    try:
        with reader.connect() as connection:
            return table_digests(connection)
    finally:
        reader.dispose()


def _sqlite_contents(path: Path, key: bytes) -> tuple[dict[str, dict[str, Any]], Checkpoint]:
    """The table digests of a SQLite file and a checkpoint of its audit chain (signed with `key`)."""
    reader = create_engine(f"sqlite:///{path}")
    try:
        with reader.connect() as connection:
            return table_digests(connection), make_checkpoint(connection, key, datetime.now(UTC))
    finally:
        reader.dispose()


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("the SQLite database has no file to back up")
    return Path(database)


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _write_manifest(directory: Path, engine: Engine, tables: dict, files: dict,
                    checkpoint: Checkpoint) -> None:
    manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(),
                "database": engine.dialect.name, "revision": current_revision(engine),
                "tables": tables, "files": files, "audit_checkpoint": asdict(checkpoint)}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))


def backup(engine: Engine, directory: Path, *, audit_key: bytes) -> BackupReport:
    """Copy the database into `directory` (which must be empty or new) while the app runs; the manifest
    carries a checkpoint of the copy's audit chain, signed with the audit key."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; choose a new folder for the backup")
    if engine.dialect.name == "sqlite":
        target = directory / SQLITE_FILE
        source = sqlite3.connect(_sqlite_path(str(engine.url)))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # SQLite's online backup: a consistent copy while others write
        finally:
            copy.close()
            source.close()
        tables, checkpoint = _sqlite_contents(target, audit_key)
        files = {SQLITE_FILE: {"sha256": _file_sha256(target), "size": target.stat().st_size}}
    else:
        tables, files, checkpoint = _pg_backup(engine, directory, audit_key)
    _write_manifest(directory, engine, tables, files, checkpoint)
    return BackupReport(directory, tables, checkpoint)


def _pg_backup(engine: Engine, directory: Path, key: bytes) -> tuple[dict, dict, Checkpoint]:
    """pg_dump on the snapshot of the transaction that computes the manifest, so both agree."""
    target = directory / PG_FILE
    with engine.connect() as connection:
        connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        dump = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",
             f"--file={target}", _libpq_url(str(engine.url))],
            capture_output=True, text=True, check=False)
        if dump.returncode != 0:
            raise BackupError(f"pg_dump failed: {dump.stderr.strip()[:500]}")
        tables = table_digests(connection)
        checkpoint = make_checkpoint(connection, key, datetime.now(UTC))
    return tables, {PG_FILE: {"sha256": _file_sha256(target), "size": target.stat().st_size}}, checkpoint


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest, after checking that every file it names is there, whole and unchanged."""
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} holds no {MANIFEST}: it is not a backup, or it is incomplete")
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{MANIFEST} cannot be read: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not an MLA tracker backup manifest ({FORMAT})")
    for name, expected in manifest.get("files", {}).items():
        file = directory / name
        if not file.is_file():
            raise BackupError(f"the backup is incomplete: {name} is missing")
        if file.stat().st_size != expected["size"] or _file_sha256(file) != expected["sha256"]:
            raise BackupError(f"{name} is damaged: its size or hash differs from the manifest")
    if not manifest.get("files"):
        raise BackupError(f"{MANIFEST} names no database file")
    return manifest


def backup_checkpoint(directory: Path, key: bytes) -> Checkpoint:
    """The signed checkpoint of the audit chain in a backup's manifest, after checking the backup."""
    manifest = read_manifest(directory)
    if "audit_checkpoint" not in manifest:
        raise BackupError(f"the backup in {directory} carries no audit checkpoint")
    return checkpoint_from(manifest["audit_checkpoint"], key, f"the checkpoint of the backup in {directory}")


def holds_data(engine: Engine) -> bool:
    with engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        return any(connection.scalar(select(func.count()).select_from(Base.metadata.tables[name]))
                   for name in DATA_TABLES if name in present)


def _differences(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    return [name for name in sorted(set(expected) | set(found)) if expected.get(name) != found.get(name)]


def restore(engine: Engine, directory: Path, *, force: bool = False) -> dict[str, Any]:
    """Bring a backup back into the instance `engine` points at. Nothing is changed until the
    backup has been checked whole; a database that holds data is only replaced with `force`."""
    manifest = read_manifest(directory)
    if manifest["database"] != engine.dialect.name:
        raise BackupError(f"this is a {manifest['database']} backup; the target is "
                          f"{engine.dialect.name}")
    if holds_data(engine) and not force:
        raise BackupError("the target database holds data already; restore into an empty instance, "
                          "or pass --force to replace it")
    if engine.dialect.name == "sqlite":
        _sqlite_restore(engine, directory, manifest)
    else:
        _pg_restore(engine, directory, manifest)
    return manifest


def _sqlite_restore(engine: Engine, directory: Path, manifest: dict[str, Any]) -> None:
    target = _sqlite_path(str(engine.url))
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(directory / SQLITE_FILE, staged)
    wrong = _differences(manifest["tables"], _sqlite_digests(staged))
    if wrong:
        staged.unlink()
        raise BackupError("the backup's content does not match its manifest in: " + ", ".join(wrong))
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(staged, target)


def _pg_restore(engine: Engine, directory: Path, manifest: dict[str, Any]) -> None:
    engine.dispose()
    # --clean drops each object of the dump (tables, the audit trigger function...) before
    # creating it again, so an instance that was only migrated, or is replaced with --force, fits.
    result = subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error",
         f"--dbname={_libpq_url(str(engine.url))}",
         str(directory / PG_FILE)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
    with engine.connect() as connection:
        wrong = _differences(manifest["tables"], table_digests(connection))
    if wrong:
        raise BackupError("the restored content does not match the manifest in: " + ", ".join(wrong))
