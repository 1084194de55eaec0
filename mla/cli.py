"""The `mla` command line (also `flask --app wsgi mla ...`): database, users, demo, scheduler."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import click
from flask import Flask
from sqlalchemy import select

import mla
from config import ConfigError
from mla.db import get_database
from mla.domain.enums import ClockState, Role
from mla.domain.errors import DomainError
from mla.migrations import make_revision, upgrade
from mla.models import AssistanceRequest, Clock
from mla.reference.loader import ReferenceError, load_reference
from mla.services.reference import load_reference_data
from mla.services.users import create_user, find_office


def _app(**overrides: object) -> Flask:
    try:
        return mla.create_app(overrides)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _now() -> datetime:
    return datetime.now(UTC)


@click.group(help="MLA tracker: drafting and following mutual legal assistance requests.")
def main() -> None:
    """The command group."""


@main.group(help="Database schema.")
def db() -> None:
    """Database commands."""


@db.command("upgrade", help="Create or upgrade the database schema to the newest migration.")
def db_upgrade() -> None:
    app = _app()
    upgrade(app.config["DATABASE_URL"])
    click.echo("Database schema is current.")


@db.command("revision", help="Write a new migration from the difference between models and database.")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    make_revision(_app().config["DATABASE_URL"], message)


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
    counts = _load_reference(_app())
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
    app = _app()
    with get_database(app).session_factory() as session:
        try:
            user = create_user(session, actor=None, now=_now(), email=email, full_name=full_name,
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
        run_scheduler(_app())
    except SchedulerAlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None


@main.command(help="Set up the demo database and serve the app with demo data and the scheduler.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    import waitress

    from mla.services.demo import DEMO_PASSWORD, seed_demo

    app = _app(DEMO_MODE=True)
    upgrade(app.config["DATABASE_URL"])
    _load_reference(app)
    with get_database(app).session_factory() as session:
        created = seed_demo(session, now=_now())
        session.commit()
        accounts = created.accounts
    click.echo("Demo data " + ("created." if created.is_new else "kept from the last run."))
    env = {**os.environ, "MLA_DEMO": "1"}
    worker = subprocess.Popen(
        [sys.executable, "-c", "import sys; from mla.cli import main; sys.exit(main())", "scheduler"],
        env=env,
    )
    click.echo(f"\nMLA tracker demo: http://{host}:{port}/\nSign in with password {DEMO_PASSWORD!r} as:")
    for email, role in accounts:
        click.echo(f"  {role:<10} {email}")
    try:
        waitress.serve(app, host=host, port=port, threads=8)
    finally:
        worker.terminate()


@main.group("requests", help="Requests, for scripting.")
def requests_group() -> None:
    """Request commands."""


@requests_group.command("list", help="Print requests: reference, kind, direction, country, stage, due dates.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def requests_list(as_json: bool) -> None:
    app = _app()
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


def register_cli(app: Flask) -> None:
    app.cli.add_command(main, "mla")

