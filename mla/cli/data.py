"""`mla backup`, `mla restore`, `mla verify-audit` and `mla audit-checkpoint`: keeping the data safe,
and proving it."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path

import click
from flask import Flask

from mla.cli.support import command_app, utc_now
from mla.db import get_database
from mla.services.operations.backup import BackupError, backup, backup_checkpoint, restore
from mla.services.oversight.audit_anchor import (
    Checkpoint,
    CheckpointError,
    check_against,
    last_checkpoint,
    save_checkpoint,
    set_checkpoints_aside,
    write_checkpoint,
)

log = logging.getLogger("mla.audit")


@click.command("backup", help="Copy the database and a manifest of counts and hashes into DIR "
                               "(new or empty), while the app runs.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def backup_command(directory: Path) -> None:
    app = command_app()
    try:
        report = backup(get_database(app).engine, directory, audit_key=app.config["AUDIT_KEY"])
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    log.info("audit checkpoint of the backup in %s: %s", directory,
             json.dumps(asdict(report.checkpoint), sort_keys=True))
    rows = sum(table["rows"] for table in report.tables.values())
    click.echo(f"Backed up {rows} rows in {len(report.tables)} tables to {directory}; the audit chain "
               f"ends there at record {report.checkpoint.last_id}.")


@click.command("restore", help="Restore the backup in DIR into this instance, which must hold no "
                                "data unless --force is given. The backup is checked first.")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(directory: Path, force: bool) -> None:
    app = command_app()
    try:
        manifest = restore(get_database(app).engine, directory, force=force)
    except BackupError as exc:
        raise click.ClickException(f"nothing was restored: {exc}") from None
    rows = sum(table["rows"] for table in manifest["tables"].values())
    click.echo(f"Restored {rows} rows from the backup of {manifest['created_at']}; every table matches "
               "its manifest.")
    _restart_checkpoints(app, directory)


def _restart_checkpoints(app: Flask, directory: Path) -> None:
    """The restored chain ends where the backup's did: the checkpoint file starts again from there."""
    path = app.config["AUDIT_CHECKPOINT_FILE"]
    kept = set_checkpoints_aside(path, utc_now())
    if kept:
        click.echo(f"The audit checkpoints of the database before the restore are kept in {kept}.")
    try:
        save_checkpoint(path, backup_checkpoint(directory, app.config["AUDIT_KEY"]))
    except (BackupError, CheckpointError) as exc:
        click.echo(f"Warning: the checkpoint file starts empty ({exc}); a backup from another instance "
                   "is proved with that instance's audit key.", err=True)


def _checkpoints(app: Flask, files: tuple[Path, ...], backups: tuple[Path, ...]) -> list[Checkpoint]:
    """The latest checkpoint of each file (by default the instance's, when there is one) and backup."""
    key = app.config["AUDIT_KEY"]
    default = app.config["AUDIT_CHECKPOINT_FILE"]
    chosen = files or ((default,) if default.exists() and not backups else ())
    found = [last_checkpoint(path, key) for path in chosen]
    return [checkpoint for checkpoint in found if checkpoint] + [
        backup_checkpoint(directory, key) for directory in backups]


@click.command("verify-audit", help="Check the audit log record by record (links, values, hashes, keyed "
                                    "hashes) and its end against the checkpoints; exit 1 where it breaks.")
@click.option("--checkpoint", "files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A checkpoint file (default, unless --backup is given: MLA_AUDIT_CHECKPOINT_FILE).")
@click.option("--backup", "backups", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A backup folder whose manifest carries a checkpoint.")
def verify_audit_command(files: tuple[Path, ...], backups: tuple[Path, ...]) -> None:
    app = command_app()
    try:
        checkpoints = _checkpoints(app, files, backups)
    except (CheckpointError, BackupError, OSError) as exc:
        raise click.ClickException(f"the checkpoints cannot be used: {exc}") from None
    with get_database(app).session_factory() as session:
        report = check_against(session, app.config["AUDIT_KEY"], checkpoints)
    if report.is_whole and not checkpoints:
        click.echo(f"The audit chain is whole: {report.checked} records checked. No checkpoint was found, so "
                   "its end is not proved: run the scheduler, or `mla audit-checkpoint` from cron.")
        return
    if report.is_whole:
        click.echo(f"The audit chain is whole: {report.checked} records checked, its end proved by "
                   f"{len(checkpoints)} checkpoint(s).")
        return
    if report.at_end:
        raise click.ClickException(f"the audit chain's end does not match a checkpoint: {report.reason}. "
                                   f"The {report.checked} records left hold together among themselves.")
    raise click.ClickException(f"the audit chain breaks at record {report.broken_id}: {report.reason}. "
                               f"The {report.checked} records before it are whole.")


@click.command("audit-checkpoint", help="Check the audit records added since the last checkpoint, then "
                                        "append a signed checkpoint of the chain's end to the checkpoint "
                                        "file and the log (the scheduler does this every few minutes).")
def audit_checkpoint_command() -> None:
    app = command_app()
    path = app.config["AUDIT_CHECKPOINT_FILE"]
    with get_database(app).session_factory() as session:
        try:
            checkpoint = write_checkpoint(session, app.config["AUDIT_KEY"], utc_now(), path)
        except (CheckpointError, OSError) as exc:
            raise click.ClickException(f"no checkpoint was written: {exc}") from None
    click.echo(f"Checkpoint in {path}: the audit chain ends at record {checkpoint.last_id} "
               f"({checkpoint.count} records).")


COMMANDS = (backup_command, restore_command, verify_audit_command, audit_checkpoint_command)
