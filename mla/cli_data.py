"""`mla backup`, `mla restore` and `mla verify-audit`: keeping the data safe, and proving it."""
from __future__ import annotations

from pathlib import Path

import click

from mla.cli_support import command_app
from mla.db import get_database
from mla.services.audit import verify_chain
from mla.services.backup import BackupError, backup, restore


@click.command("backup", help="Copy the database and a manifest of counts and hashes into DIR "
                               "(new or empty), while the app runs.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def backup_command(directory: Path) -> None:
    engine = get_database(command_app()).engine
    try:
        report = backup(engine, directory)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(table["rows"] for table in report.tables.values())
    click.echo(f"Backed up {rows} rows in {len(report.tables)} tables to {directory}.")


@click.command("restore", help="Restore the backup in DIR into this instance, which must hold no "
                                "data unless --force is given. The backup is checked first.")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(directory: Path, force: bool) -> None:
    engine = get_database(command_app()).engine
    try:
        manifest = restore(engine, directory, force=force)
    except BackupError as exc:
        raise click.ClickException(f"nothing was restored: {exc}") from None
    rows = sum(table["rows"] for table in manifest["tables"].values())
    click.echo(f"Restored {rows} rows from the backup of {manifest['created_at']}; every table matches "
               "its manifest.")


@click.command("verify-audit", help="Check the audit log's hash chain; exit 1 at the first broken record.")
def verify_audit_command() -> None:
    with get_database(command_app()).session_factory() as session:
        report = verify_chain(session)
    if report.is_whole:
        click.echo(f"The audit chain is whole: {report.checked} records checked.")
        return
    raise click.ClickException(f"the audit chain breaks at record {report.broken_id}: {report.reason}. "
                               f"The {report.checked} records before it are whole.")


COMMANDS = (backup_command, restore_command, verify_audit_command)
