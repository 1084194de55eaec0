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
from mla.documents.catalog import kinds_for, load_catalog
from mla.domain.checks import Severity
from mla.domain.enums import ClockKind, Direction, LetterKind, RequestKind, Role, Stage
from mla.domain.parties import party_problems
from mla.domain.results import is_all_executed
from mla.domain.workflow import machine_for
from mla.models import AssistanceRequest, Clock, Measure, Office, OutboxMessage, Person, StageChange, User
from mla.reference.loader import load_reference
from mla.services.letters.drafting import LetterRefused, gather_letter
from mla.services.requests.completeness import completeness
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
    for item in requests:
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


# What a letter legitimately waits on: the request's transmission (a status enquiry chases a request sent),
# or the translator (a request in the translation stage has no translation yet).
WAITS_FOR_TRANSMISSION = ("Record the transmission of the request (date and outgoing number) before "
                          "writing a status enquiry.")
WAITS_FOR_TRANSLATION = "Translate %(field)s into %(language)s."


def _letter_language(item: AssistanceRequest, kind: LetterKind) -> str:
    """The language the request page offers the letter in (the request's, when letters are written in it,
    else the one its text is drafted in); for a kind with no template in it, the first language the
    partner accepts that it has one in."""
    catalog = load_catalog()
    offered = (item.request_language if item.request_language in catalog.languages()
               else item.drafting_language)
    accepted = load_reference().countries[item.country_iso2].request_languages
    return next(language for language in (offered, *accepted, item.drafting_language)
                if language in catalog.kinds[kind].languages)


def _writer(db_session: Session, item: AssistanceRequest) -> User:
    """Who writes the request's letters at its stage: its drafter until it is approved, then the desk."""
    if item.direction == Direction.OUTGOING and item.stage in {
            Stage.DRAFT, Stage.INTERNAL_REVIEW, Stage.RETURNED_FOR_CORRECTION}:
        assert item.created_by is not None
        return item.created_by
    return db_session.scalars(select(User).where(User.role == Role.DESK)).one()


def test_every_demo_request_passes_its_checks_and_its_letters_can_be_written(
        db_session: Session, now) -> None:
    seed_demo(db_session, now=now)
    home = load_reference().home_iso2
    requests = list(db_session.scalars(select(AssistanceRequest).order_by(AssistanceRequest.id)))
    waiting = set()
    for item in requests:
        blocking = [f.code for f in completeness(db_session, item, home) if f.severity == Severity.BLOCKING]
        assert blocking == [], item.reference
        statuses = list(db_session.scalars(select(Measure.status).where(Measure.request_id == item.id)))
        if item.stage in {Stage.EXECUTED, Stage.EVIDENCE_CERTIFIED, Stage.RETURNED}:
            assert is_all_executed(statuses), item.reference
        for kind in kinds_for(item.direction, item.kind):
            try:
                gather_letter(db_session, actor=_writer(db_session, item), now=now, item=item, kind=kind,
                              language=_letter_language(item, kind), home_iso2=home)
            except LetterRefused as refused:
                messages = {problem.message for problem in refused.problems}
                if kind == LetterKind.STATUS_ENQUIRY and item.transmitted_on is None:
                    assert messages == {WAITS_FOR_TRANSMISSION}, (item.reference, kind)
                else:
                    assert item.stage == Stage.TRANSLATION and messages == {WAITS_FOR_TRANSLATION}, (
                        item.reference, kind, messages)
                waiting.add((item.reference, kind))
    assert len(waiting) < len(requests)  # only the unsent requests' enquiries and the untranslated wait


def test_demo_requests_cite_only_bases_binding_both_countries(db_session: Session, now) -> None:
    seed_demo(db_session, now=now)
    reference = load_reference()
    for item in db_session.scalars(select(AssistanceRequest)):
        codes = [basis.treaty_code for basis in item.legal_bases]
        assert codes or item.kind == RequestKind.POLICE, item.reference
        for code in codes:
            treaty = reference.treaties[code]
            binds = {treaty.status_for(reference.home_iso2), treaty.status_for(item.country_iso2)}
            assert binds == {"party"}, (item.reference, code)
    to_pakistan = db_session.scalars(select(AssistanceRequest).where(
        AssistanceRequest.country_iso2 == "PK", AssistanceRequest.direction == Direction.OUTGOING)).all()
    assert to_pakistan and all("minsk_1993" not in {b.treaty_code for b in item.legal_bases}
                               for item in to_pakistan)


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
