"""The demo set: realistic, across countries, kinds and stages, and kept when run again."""
import re
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import waitress
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.cli import main
from mla.db import get_database
from mla.demo.seed import HOME_AUTHORITY, seed_demo
from mla.domain.enums import ClockKind, Direction, RequestKind, Role, Stage
from mla.domain.parties import party_problems
from mla.domain.workflow import machine_for
from mla.models import AssistanceRequest, Clock, Office, OutboxMessage, Person, StageChange, User
from mla.reference.loader import load_reference
from tests.conftest import TEST_AUDIT_KEY

ARABIC = re.compile("[\u0600-\u06ff]")
CYRILLIC = re.compile("[\u0400-\u04ff]")


def test_demo_has_offices_roles_and_about_forty_requests(db_session: Session, now) -> None:
    result = seed_demo(db_session, now=now)
    assert result.is_new
    codes = set(db_session.scalars(select(Office.code)))
    assert {"DUS", "KHU", "BOK", "KUL"} <= codes
    roles = set(db_session.scalars(select(User.role).where(User.is_demo.is_(True))))
    assert roles == set(Role)
    requests = list(db_session.scalars(select(AssistanceRequest)))
    assert len(requests) == 40
    assert {(r.direction, r.kind) for r in requests} == {
        (d, k) for d in Direction for k in RequestKind}
    assert len({r.country_iso2 for r in requests}) >= 10
    assert sum(1 for r in requests if r.deadline_on and r.deadline_on < now.date()
               and r.stage.value not in ("closed", "withdrawn", "refused")) >= 5
    names = list(db_session.scalars(select(Person.name_original)))
    assert any(ARABIC.search(n) for n in names)
    assert any(CYRILLIC.search(n) for n in names)
    assert any(n.isascii() for n in names)


def test_demo_history_follows_the_stage_machines(db_session: Session, now) -> None:
    seed_demo(db_session, now=now)
    for item in db_session.scalars(select(AssistanceRequest)):
        machine = machine_for(item.direction, item.kind)
        changes = list(db_session.scalars(select(StageChange).where(
            StageChange.request_id == item.id).order_by(StageChange.at, StageChange.id)))
        assert changes[-1].to_stage == item.stage
        for change in changes[1:]:
            move = next(m for m in machine.moves_from(change.from_stage) if m.name == change.move)
            assert move.target == change.to_stage
            assert change.actor.role in move.roles


def test_running_the_demo_again_keeps_what_was_entered(db_session: Session, now) -> None:
    seed_demo(db_session, now=now)
    db_session.add(Office(code="NEW", name="Entered in between"))
    db_session.flush()
    again = seed_demo(db_session, now=now)
    assert not again.is_new
    assert db_session.scalar(select(func.count()).select_from(AssistanceRequest)) == 40
    assert db_session.scalar(select(Office).where(Office.code == "NEW")) is not None


def test_demo_requests_have_their_parties_the_right_way_round(db_session: Session, now) -> None:
    seed_demo(db_session, now=now)
    reference = load_reference()

    def names(iso2: str) -> list[str]:
        return [name for authority in reference.countries[iso2].central_authorities
                for name in authority.name.values()]

    ours = names(reference.home_iso2) + list(db_session.scalars(select(Office.name)))
    requests = list(db_session.scalars(select(AssistanceRequest)))
    for item in (r for r in requests if r.requesting_authority and r.addressee):  # some profiles name none
        assert party_problems(item.direction, item.requesting_authority, item.addressee, our_names=ours,
                              partner_names=names(item.country_iso2)) == (), item.reference
    incoming = [item for item in requests if item.direction == Direction.INCOMING]
    assert incoming and all(item.addressee == HOME_AUTHORITY for item in incoming)
    assigned = [item.id for item in incoming if item.stage == Stage.ASSIGNED]
    clocks = set(db_session.scalars(select(Clock.request_id).where(Clock.kind == ClockKind.EXECUTE_BY)))
    assert assigned and set(assigned) <= clocks
    dispatches = db_session.scalars(select(StageChange).where(StageChange.sent_on.is_not(None))).all()
    assert dispatches and all(change.move in {"transmit", "send_additional_info", "return_evidence"}
                              for change in dispatches)


@pytest.fixture
def runner(fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MLA_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("MLA_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("MLA_AUDIT_KEY", TEST_AUDIT_KEY.decode())
    for name in ("MLA_SMTP_HOST", "MLA_BASE_URL", "MLA_WORKING_HOURS", "MLA_TIME_ZONE"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


class StartedDemo:
    """What `mla demo` hands to the web server and to the scheduler it starts, instead of serving."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.app: Flask | None = None
        self.worker_env: dict[str, str] = {}
        monkeypatch.setattr(waitress, "serve", self.serve)
        monkeypatch.setattr(subprocess, "Popen", self.popen)

    def serve(self, app: Flask, **_options: object) -> None:
        self.app = app

    def popen(self, _args: list[str], *, env: dict[str, str]) -> "StartedDemo":
        self.worker_env = env
        return self

    def terminate(self) -> None:
        """The scheduler stops with the server."""


def test_the_demo_says_where_mail_goes_and_its_digests_link_to_it(
        runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    started = StartedDemo(monkeypatch)
    result = runner.invoke(main, ["demo", "--port", "5055"])
    assert result.exit_code == 0, result.output
    assert "MLA tracker demo: http://127.0.0.1:5055/" in result.output
    assert ("Mail goes to the outbox (no MLA_SMTP_HOST is set): sign in as an admin and open "
            "http://127.0.0.1:5055/admin/outbox/") in result.output
    assert "Reminder digests wait for working hours: 08:00-18:00 on working days" in result.output
    assert started.app is not None and started.app.config["BASE_URL"] == "http://127.0.0.1:5055"
    assert started.worker_env["MLA_BASE_URL"] == "http://127.0.0.1:5055"
    # the scheduler's sweep, with the environment the demo gives it, writes digests that link back
    monkeypatch.setenv("MLA_BASE_URL", started.worker_env["MLA_BASE_URL"])
    today = datetime.now(ZoneInfo("Asia/Dushanbe")).date()
    for day in (today + timedelta(days=n) for n in range(10)):
        dry = runner.invoke(main, ["send-reminders", "--now", f"{day.isoformat()}T10:00", "--dry-run"])
        if "would send" in dry.output:
            sent = runner.invoke(main, ["send-reminders", "--now", f"{day.isoformat()}T10:00"])
            assert sent.exit_code == 0 and "(outbox)" in sent.output, sent.output
            break
    else:
        pytest.fail("the demo has no reminder due in the next ten days")
    database = get_database(started.app)
    with database.session_factory() as session:
        messages = [message_from_bytes(row.raw, policy=email_policy.default)
                    for row in session.scalars(select(OutboxMessage))]
    texts = [message.get_body(("plain",)).get_content() for message in messages]
    assert texts and all("http://127.0.0.1:5055/requests/" in text for text in texts)


def test_the_empty_outbox_says_mail_is_kept_there_and_digests_wait_for_working_hours(
        client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.ADMIN)
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "The outbox is empty." in page
    assert "so messages are kept here instead of being sent" in page
    assert "Digests wait for working hours: they leave between 08:00 and 18:00 on a working day" in page
