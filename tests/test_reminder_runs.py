"""Running the sweep for real: concurrent sweeps on a committing database (SQLite, or PostgreSQL when
MLA_TEST_DATABASE_URL is set) send each reminder exactly once; `mla send-reminders` from cron or two
processes at once; the scheduler's job; the outbox pages admins read."""
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from mla.cli import main
from mla.db import Database
from mla.domain.enums import (
    ClockKind,
    ClockState,
    Counting,
    Direction,
    ReminderState,
    RequestKind,
    Role,
    Stage,
)
from mla.jobs import tasks
from mla.jobs.scheduler import STATISTICS_JOB_ID, SWEEP_JOB_ID, build_scheduler
from mla.migrations import upgrade
from mla.models import AssistanceRequest, Clock, DigestDay, Office, OutboxMessage, Reminder, User
from mla.reference.loader import load_reference
from mla.services.clocks.reminders import SweepReport, send_due_reminders
from mla.services.operations.outbox import store_message
from mla.services.operations.reference import load_reference_data
from tests.conftest import FIXED_NOW, TEST_AUDIT_KEY
from tests.smtp_server import SmtpServer, free_port, running_smtp_server

HOME = load_reference().home_iso2

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)
DRAFTERS = 6


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        yield server


def seed(url: str) -> tuple[Database, set[tuple[str, str]]]:
    """Six drafters with five clocks each (due soon, today or overdue) and a manager who gets the
    escalations: returns the database and every (recipient, reference) a digest must carry once."""
    upgrade(url)
    database = Database(url, TEST_AUDIT_KEY)
    expected: set[tuple[str, str]] = set()
    with database.session_factory() as session:
        load_reference_data(session, load_reference())
        office = Office(code="CON", name="Concurrency office")
        manager = User(email="manager@example.org", full_name="Manager", password_hash="-",
                       role=Role.MANAGER, office=office)
        session.add(manager)
        for number in range(DRAFTERS):
            drafter = User(email=f"drafter{number}@example.org", full_name=f"Drafter {number}",
                           password_hash="-", role=Role.DRAFTER, office=office)
            session.add(drafter)
            session.flush()
            for offset in (-12, -5, -1, 0, 3):
                reference = f"OUT-MLA-2026/{number:02d}{offset + 20:02d}"
                request = AssistanceRequest(reference=reference, direction=Direction.OUTGOING,
                                            kind=RequestKind.MLA, stage=Stage.SENT, office_id=office.id,
                                            country_iso2="KZ", assignee_id=drafter.id)
                session.add(request)
                session.flush()
                session.add(Clock(request_id=request.id, kind=ClockKind.ACKNOWLEDGEMENT_EXPECTED,
                                  state=ClockState.RUNNING, counting=Counting.CALENDAR_DAYS,
                                  calendar_iso2="KZ", started_on=TODAY - timedelta(days=40),
                                  due_on=TODAY + timedelta(days=offset)))
                expected.add((drafter.email, reference))
                if offset <= -5:  # three working days overdue or more
                    expected.add((manager.email, reference))
        session.commit()
    return database, expected


def carried(server: SmtpServer) -> Counter:
    """How often each (recipient, reference) arrived."""
    found: Counter = Counter()
    for message in server.sink.messages:
        text = message.get_body(("plain",)).get_content()
        for line in text.splitlines():
            if "OUT-MLA-2026/" in line:
                found[(message["To"], line.split("OUT-MLA-2026/")[1].split()[0])] += 1
    return found


def run_at_once(count: int, sweep: Callable[[], SweepReport]) -> list[SweepReport]:
    barrier = threading.Barrier(count)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        barrier.wait()
        try:
            reports.append(sweep())
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return reports


def test_concurrent_sweeps_send_each_reminder_exactly_once(fresh_database_url: str, smtp: SmtpServer) -> None:
    database, expected = seed(fresh_database_url)
    try:
        reports = run_at_once(4, lambda: send_due_reminders(database.session_factory, home_iso2=HOME,
                                                            now=FIXED_NOW,
                                                            mailer=smtp.mailer()))
        found = carried(smtp)
        assert {(to, f"OUT-MLA-2026/{ref}") for to, ref in found} == expected
        assert set(found.values()) == {1}
        assert len(smtp.sink.messages) == DRAFTERS + 1 == sum(len(r.sent) for r in reports)
        assert sorted(Counter(m["To"] for m in smtp.sink.messages).values()) == [1] * (DRAFTERS + 1)
        with database.session_factory() as session:
            states = session.execute(select(Reminder.state, Reminder.attempts)).all()
            assert len(states) == len(expected) and set(states) == {(ReminderState.SENT, 1)}
            assert session.scalar(select(func.count()).select_from(DigestDay)) == DRAFTERS + 1

        again = run_at_once(4, lambda: send_due_reminders(database.session_factory, home_iso2=HOME,
                                                          now=FIXED_NOW + timedelta(minutes=1),
                                                          mailer=smtp.mailer()))
        assert [r.sent for r in again] == [[]] * 4 and len(smtp.sink.messages) == DRAFTERS + 1
    finally:
        database.engine.dispose()


def test_two_processes_running_send_reminders_at_once_send_each_reminder_once(
        fresh_database_url: str, smtp: SmtpServer, tmp_path: Path) -> None:
    database, expected = seed(fresh_database_url)
    database.engine.dispose()
    env = {**os.environ, "MLA_DATABASE_URL": fresh_database_url, "MLA_INSTANCE_PATH": str(tmp_path),
           "MLA_SMTP_HOST": "127.0.0.1", "MLA_SMTP_PORT": str(smtp.port), "MLA_SMTP_SECURITY": "none",
           "MLA_MAIL_FROM": "mla@example.org"}
    command = [sys.executable, "-c", "import sys; from mla.cli import main; sys.exit(main())",
               "send-reminders", "--now", "2026-11-23T14:00"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    found = carried(smtp)
    assert len(found) == len(expected) and set(found.values()) == {1}
    assert sum(out.count("sent ") - out.count(" 0 sent") for out, _err in outputs) >= DRAFTERS + 1


@pytest.fixture
def runner(fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MLA_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("MLA_DATABASE_URL", fresh_database_url)
    monkeypatch.delenv("MLA_SMTP_HOST", raising=False)
    return CliRunner()


def test_send_reminders_prints_what_it_sent_to_the_outbox_then_nothing(runner: CliRunner,
                                                                       fresh_database_url: str) -> None:
    database, expected = seed(fresh_database_url)
    dry = runner.invoke(main, ["send-reminders", "--now", "2026-11-23T14:00", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would send 5 reminder(s) to drafter0@example.org" in dry.output
    first = runner.invoke(main, ["send-reminders", "--now", "2026-11-23T14:00"])
    assert first.exit_code == 0, first.output
    assert "(outbox)" in first.output and "sent 5 reminder(s) to drafter0@example.org" in first.output
    total = len(expected)
    assert f"{total} reminder(s) due, {total} sent in {DRAFTERS + 1} digest(s)" in first.output
    second = runner.invoke(main, ["send-reminders", "--now", "2026-11-23T14:30+05:00"])
    assert second.exit_code == 0 and "0 reminder(s) due, 0 sent" in second.output
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == DRAFTERS + 1
    database.engine.dispose()


def test_send_reminders_with_the_smtp_server_down_fails_loudly_and_loses_nothing(
        runner: CliRunner, fresh_database_url: str, monkeypatch: pytest.MonkeyPatch,
        smtp: SmtpServer) -> None:
    database, expected = seed(fresh_database_url)
    monkeypatch.setenv("MLA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MLA_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("MLA_SMTP_SECURITY", "none")
    down = runner.invoke(main, ["send-reminders", "--now", "2026-11-23T14:00"])
    assert down.exit_code == 1 and "FAILED" in down.output and "to be retried" in down.output
    assert "Traceback" not in down.output
    monkeypatch.setenv("MLA_SMTP_PORT", str(smtp.port))
    back = runner.invoke(main, ["send-reminders", "--now", "2026-11-23T14:15"])
    assert back.exit_code == 0, back.output
    assert len(carried(smtp)) == len(expected) and len(smtp.sink.messages) == DRAFTERS + 1
    database.engine.dispose()


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01", "23.11.2026 10:00", ""])
def test_send_reminders_with_a_bad_now_is_a_clear_error(runner: CliRunner, bad: str) -> None:
    result = runner.invoke(main, ["send-reminders", "--now", bad])
    assert result.exit_code == 2
    assert "is not a date and time" in result.output and "Traceback" not in result.output


def test_the_scheduler_sweeps_at_start_and_every_few_minutes(app: Flask) -> None:
    job = build_scheduler(app).get_job(SWEEP_JOB_ID)
    assert job.func is tasks.sweep_reminders
    assert job.trigger.interval == timedelta(minutes=app.config["REMINDER_SWEEP_MINUTES"])
    assert str(job.trigger.timezone) == app.config["TIME_ZONE"]
    assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time is None
    assert job.next_run_time is not None  # once at start, not only after the first interval


def test_the_scheduler_refreshes_the_planner_statistics_every_night(
        app: Flask, db_session: Session, make_request: Callable[..., AssistanceRequest]) -> None:
    make_request()
    job = build_scheduler(app).get_job(STATISTICS_JOB_ID)
    assert job.func is tasks.refresh_statistics
    assert str(job.trigger) == "cron[hour='3', minute='30']"
    tasks.refresh_statistics(app)
    if db_session.get_bind().dialect.name == "sqlite":
        analysed = db_session.scalars(text("SELECT idx FROM sqlite_stat1 WHERE tbl = 'assistance_request'"))
        assert "ix_assistance_request_country_stage_due" in set(analysed)


def test_the_sweep_job_records_missed_clocks_and_logs_a_failure_without_stopping(
        app: Flask, db_session: Session, make_request: Callable[..., AssistanceRequest],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    long_ago = Clock(request_id=make_request().id, kind=ClockKind.ACKNOWLEDGEMENT_EXPECTED,
                     state=ClockState.RUNNING, counting=Counting.CALENDAR_DAYS, calendar_iso2="KZ",
                     started_on=date(2020, 1, 1), due_on=date(2020, 1, 8))
    db_session.add(long_ago)
    db_session.commit()
    assert isinstance(tasks.sweep_reminders(app), SweepReport)
    db_session.refresh(long_ago)
    assert long_ago.state == ClockState.MISSED and long_ago.stopped_on is None
    monkeypatch.setitem(app.config, "REMINDER_OFFSETS", None)  # a setting that cannot be read
    assert tasks.sweep_reminders(app) is None
    assert "reminder sweep failed" in caplog.text


def test_admins_read_the_outbox(client: FlaskClient, login_as: Callable[..., User],
                                db_session: Session) -> None:
    from mla.notify.digest import Digest, DigestItem, compose_digest

    login_as(Role.ADMIN)
    item = DigestItem(1, 2, "OUT-MLA-2026/0042", "AF", ClockKind.STATUS_ENQUIRY, TODAY, 0)
    message = compose_digest(Digest("zarina@example.org", "Зарина", "en", TODAY, (item,)),
                             sender="mla@example.org", now=FIXED_NOW)
    row = store_message(db_session, message, now=FIXED_NOW)
    db_session.commit()
    listing = client.get("/admin/outbox/?lang=en").get_data(as_text=True)
    assert "zarina@example.org" in listing and "1 due today" in listing
    page = client.get(f"/admin/outbox/{row.id}").get_data(as_text=True)
    assert "OUT-MLA-2026/0042" in page and "deadlines.ics" in page and 'sandbox=""' in page
    raw = client.get(f"/admin/outbox/{row.id}.eml")
    assert raw.mimetype == "message/rfc822"
    parsed = message_from_bytes(raw.data, policy=email_policy.default)
    assert parsed["Subject"] == message["Subject"]
    assert client.get("/admin/outbox/?page=abc").status_code == 200
    assert client.get("/admin/outbox/?page=-3").status_code == 200
    assert client.get(f"/admin/outbox/{row.id + 1000}").status_code == 404
