"""The `mla` command line (also `flask --app wsgi mla ...`): database, users, demo, scheduler."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import click
from flask import Flask
from sqlalchemy import select

from mla.cli.data import COMMANDS as DATA_COMMANDS
from mla.cli.letters import COMMANDS as LETTER_COMMANDS
from mla.cli.support import command_app, utc_now
from mla.cli.translations import translations
from mla.db import get_database
from mla.domain.enums import ClockState, Role
from mla.domain.errors import DomainError
from mla.migrations import MigrationRefused, make_revision, upgrade
from mla.models import AssistanceRequest, Clock
from mla.reference.loader import ReferenceError, load_reference
from mla.services.accounts.users import create_user, find_office
from mla.services.operations.reference import load_reference_data
from mla.services.persons.identities import rebuild_name_keys


@click.group(help="MLA tracker: drafting and following mutual legal assistance requests.")
def main() -> None:
    """The command group."""


@main.group(help="Database schema.")
def db() -> None:
    """Database commands."""


@db.command("upgrade", help="Create or upgrade the database schema to the newest migration.")
def db_upgrade() -> None:
    app = command_app()
    try:
        upgrade(app.config["DATABASE_URL"], audit_key=app.config["AUDIT_KEY"])
    except MigrationRefused as exc:
        raise click.ClickException(f"the upgrade stopped: {exc}") from None
    click.echo("Database schema is current.")


@db.command("revision", help="Write a new migration from the difference between models and database.")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    make_revision(command_app().config["DATABASE_URL"], message)


@main.group(help="Reference data: countries, treaties, assistance types, refusal grounds.")
def reference() -> None:
    """Reference data commands."""


def _load_reference(app: Flask) -> dict[str, int]:
    try:
        data = load_reference()
    except ReferenceError as exc:
        raise click.ClickException(f"reference data is broken: {exc}") from None
    with get_database(app).session_factory() as session:
        counts = load_reference_data(session, data)
        session.commit()
    return counts


@reference.command("load", help="Load the shipped reference data files into the database.")
def reference_load() -> None:
    counts = _load_reference(command_app())
    click.echo(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))


@main.command("create-user", help="Create an account; the password is read from standard input.")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--office", "office_code", default=None, help="Office code, e.g. DUS.")
def create_user_command(email: str, full_name: str, role: str, office_code: str | None) -> None:
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    app = command_app()
    with get_database(app).session_factory() as session:
        try:
            user = create_user(session, actor=None, now=utc_now(), email=email, full_name=full_name,
                               role=Role(role), password=password,
                               office=find_office(session, office_code))
        except DomainError as exc:
            raise click.ClickException(str(exc)) from None
        session.commit()
        click.echo(f"Created {user.role.value} {user.email}.")


@main.command(help="Run the reminder scheduler in this process (one per host).")
def scheduler() -> None:
    from mla.jobs.scheduler import SchedulerAlreadyRunning, run_scheduler

    try:
        run_scheduler(command_app())
    except SchedulerAlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None


def _sweep_time(value: str | None, time_zone: str) -> datetime:
    """--now: an ISO date and time (local to MLA_TIME_ZONE unless it carries an offset), or a
    date alone, meaning noon of that day."""
    if value is None:
        return utc_now()
    try:
        moment = (datetime.combine(date.fromisoformat(value), time(12)) if len(value) == 10
                  else datetime.fromisoformat(value))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date and time; write it like 2026-12-01T09:30, "
                                 "2026-12-01T09:30+05:00 or 2026-12-01.", param_hint="--now") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(time_zone))
    return moment.astimezone(UTC)


@main.command("send-reminders", help="Run one reminder sweep (for cron and tests); print what it sent.")
@click.option("--now", "now_text", default=None, metavar="ISO",
              help="Pretend it is this moment, e.g. 2026-12-01T09:30 (MLA_TIME_ZONE) or with an offset.")
@click.option("--dry-run", is_flag=True, help="Only print what would be sent; claim and send nothing.")
def send_reminders(now_text: str | None, dry_run: bool) -> None:
    from mla.services.clocks.lifecycle import mark_missed_clocks
    from mla.services.clocks.reminders import policy_from_config, send_due_reminders
    from mla.services.operations.outbox import mailer_from_config

    app = command_app()
    now = _sweep_time(now_text, app.config["TIME_ZONE"])
    factory = get_database(app).session_factory
    try:
        if now_text is None and not dry_run:  # a pretended moment records nothing as missed
            with factory() as session:
                missed = mark_missed_clocks(session, now=now, home_iso2=load_reference().home_iso2)
                session.commit()
            click.echo(f"{len(missed)} clock(s) recorded as missed.")
        report = send_due_reminders(factory, now=now, mailer=mailer_from_config(app.config, factory),
                                    home_iso2=load_reference().home_iso2,
                                    dry_run=dry_run, policy=policy_from_config(app.config))
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Reminder sweep at {now.isoformat()}"
               f" ({'SMTP ' + app.config['SMTP_HOST'] if app.config['SMTP_HOST'] else 'outbox'}):")
    for line in report.lines():
        click.echo(f"  {line}")
    if report.failed:
        sys.exit(1)


@main.command(help="Set up the demo database and serve the app with demo data and the scheduler.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    import waitress

    from mla.demo.seed import DEMO_PASSWORD, seed_demo

    # links in e-mails and digests point at the demo itself, unless MLA_BASE_URL says otherwise
    base_url = (os.environ.get("MLA_BASE_URL") or f"http://{host}:{port}").rstrip("/")
    app = command_app(DEMO_MODE=True, BASE_URL=base_url)
    upgrade(app.config["DATABASE_URL"], audit_key=app.config["AUDIT_KEY"])
    _load_reference(app)
    with get_database(app).session_factory() as session:
        created = seed_demo(session, now=utc_now())
        session.commit()
        accounts = created.accounts
    click.echo("Demo data " + ("created." if created.is_new else "kept from the last run."))
    env = {**os.environ, "MLA_DEMO": "1", "MLA_BASE_URL": base_url}
    worker = subprocess.Popen(
        [sys.executable, "-c", "import sys; from mla.cli import main; sys.exit(main())", "scheduler"],
        env=env,
    )
    click.echo(f"\nMLA tracker demo: {base_url}/\nSign in with password {DEMO_PASSWORD!r} as:")
    for email, role in accounts:
        click.echo(f"  {role:<10} {email}")
    for line in _mail_banner(app, base_url):
        click.echo(line)
    try:
        waitress.serve(app, host=host, port=port, threads=8)
    finally:
        worker.terminate()


def _mail_banner(app: Flask, base_url: str) -> list[str]:
    """Where the demo's mail goes, when reminder digests leave, and where their links point."""
    config = app.config
    start, end = (moment.strftime("%H:%M") for moment in config["WORKING_HOURS"])
    outbox = f"{base_url}/admin/outbox/"
    where = (f"through the SMTP server {config['SMTP_HOST']}" if config["SMTP_HOST"] else
             f"to the outbox (no MLA_SMTP_HOST is set): sign in as an admin and open {outbox}")
    return ["", f"Mail goes {where}.",
            f"Reminder digests wait for working hours: {start}-{end} on working days, in each recipient's "
            f"time zone ({config['TIME_ZONE']} unless the user chose another); the scheduler checks every "
            f"{config['REMINDER_SWEEP_MINUTES']} minutes.",
            f"Links in e-mails point to {base_url}/ (MLA_BASE_URL)."]


@main.group("requests", help="Requests, for scripting.")
def requests_group() -> None:
    """Request commands."""


@requests_group.command("list", help="Print requests: reference, kind, direction, country, stage, due dates.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def requests_list(as_json: bool) -> None:
    app = command_app()
    with get_database(app).session_factory() as session:
        rows = session.scalars(select(AssistanceRequest).order_by(AssistanceRequest.reference))
        clocks: dict[int, list[str]] = {}
        for clock in session.scalars(select(Clock).where(Clock.state == ClockState.RUNNING)):
            clocks.setdefault(clock.request_id, []).append(clock.due_on.isoformat())
        items = [{
            "reference": r.reference, "kind": r.kind.value, "direction": r.direction.value,
            "country": r.country_iso2, "stage": r.stage.value,
            "deadline_on": r.deadline_on.isoformat() if r.deadline_on else None,
            "clock_due_dates": sorted(clocks.get(r.id, [])),
        } for r in rows]
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for item in items:
        click.echo(f"{item['reference']:<20} {item['kind']:<7} {item['direction']:<9} "
                   f"{item['country']:<3} {item['stage']:<26} {item['deadline_on'] or '-'}")


@main.group("persons", help="Persons named in requests.")
def persons_group() -> None:
    """Person commands."""


@persons_group.command("rekey", help="Recompute the search keys and document numbers of every person "
                                     "(after an upgrade, or a change of the name-folding rules).")
def persons_rekey() -> None:
    with get_database(command_app()).session_factory() as session:
        changed = rebuild_name_keys(session)
        session.commit()
    click.echo(f"Search keys recomputed; {changed} changed.")


for _command in (*DATA_COMMANDS, *LETTER_COMMANDS, translations):
    main.add_command(_command)


def register_cli(app: Flask) -> None:
    app.cli.add_command(main, "mla")

