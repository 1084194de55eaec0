"""Reminders against a real SMTP server: one digest per person per day, exactly once under repeated and
concurrent sweeps, retried after a refusal or an outage, caught up after downtime, never empty, opt-out,
escalation in levels, working hours, recipients without an address, and the outbox when no SMTP is set."""
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.db import get_database
from mla.domain.enums import ClockKind, ClockState, Counting, Direction, ReminderState, Role, Stage
from mla.domain.reminders import ReminderPolicy
from mla.models import AssistanceRequest, Clock, DigestDay, Office, OutboxMessage, Reminder, User
from mla.notify.mail import OutboxMailer
from mla.reference.loader import load_reference
from mla.services.clocks.reminder_plan import CLAIM_LEASE
from mla.services.clocks.reminders import SweepReport, send_due_reminders
from mla.services.operations.outbox import mailer_from_config
from tests.conftest import FIXED_NOW
from tests.smtp_server import SmtpServer, free_port, running_smtp_server

NOW = FIXED_NOW  # Monday 23 November 2026, 14:00 in Dushanbe
TODAY = date(2026, 11, 23)
IN_3_WORKING_DAYS = date(2026, 11, 26)
FRIDAY_BEFORE = date(2026, 11, 20)  # one working day overdue
THREE_WORKING_DAYS_AGO = date(2026, 11, 18)
TEN_WORKING_DAYS_AGO = date(2026, 11, 9)

@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def person(make_user: Callable[..., User], db_session: Session) -> Callable[..., User]:
    def make(role: Role = Role.DRAFTER, **attributes: object) -> User:
        user = make_user(role, **({"office": attributes.pop("office")} if "office" in attributes else {}))
        for name, value in attributes.items():
            setattr(user, name, value)
        db_session.commit()
        return user

    return make


@pytest.fixture
def clock(db_session: Session, make_request: Callable[..., AssistanceRequest]) -> Callable[..., Clock]:
    def make(due_on: date, responsible: User | None, *, request: AssistanceRequest | None = None,
             kind: ClockKind = ClockKind.ACKNOWLEDGEMENT_EXPECTED, state: ClockState = ClockState.RUNNING,
             revision: int = 0, stopped_on: date | None = None) -> Clock:
        request = request or make_request()
        stopped = state in {ClockState.MET, ClockState.CANCELLED} or (stopped_on is not None)
        row = Clock(request_id=request.id, kind=kind, sequence=1, state=state,
                    counting=Counting.CALENDAR_DAYS, calendar_iso2=request.country_iso2,
                    started_on=due_on - timedelta(days=30), due_on=due_on, paused_days=0, reason="",
                    responsible_id=responsible.id if responsible else None, revision=revision,
                    paused_on=due_on - timedelta(days=2) if state == ClockState.PAUSED else None,
                    stopped_on=(stopped_on or due_on) if stopped else None)
        db_session.add(row)
        db_session.commit()
        return row

    return make


def sweep(app: Flask, mailer: object, now: datetime = NOW, **options: object) -> SweepReport:
    """A sweep whose digests are in English for users who chose no language (the tests read them)."""
    options.setdefault("policy", ReminderPolicy(default_locale="en"))
    return send_due_reminders(get_database(app).session_factory, now=now, mailer=mailer,
                              home_iso2=load_reference().home_iso2, **options)


def references(message: object) -> str:
    return message.get_body(("plain",)).get_content()


def reminders(db_session: Session) -> list[Reminder]:
    db_session.expire_all()
    return list(db_session.scalars(select(Reminder).order_by(Reminder.id)))


def test_a_sweep_sends_the_expected_digest_once(app: Flask, smtp: SmtpServer, person: Callable[..., User],
                                                clock: Callable[..., Clock], db_session: Session) -> None:
    drafter = person()
    soon, today, overdue = (clock(d, drafter) for d in (IN_3_WORKING_DAYS, TODAY, FRIDAY_BEFORE))
    later = clock(TODAY + timedelta(days=40), drafter)
    report = sweep(app, smtp.mailer())
    assert [(d.recipient, d.reminders) for d in report.sent] == [(drafter.email, 3)]
    [message] = smtp.sink.messages
    assert message["To"] == drafter.email
    text = references(message)
    ref = {c.id: db_session.get(AssistanceRequest, c.request_id).reference
           for c in (soon, today, overdue, later)}
    assert text.index(ref[soon.id]) < text.index(ref[today.id]) < text.index(ref[overdue.id])
    assert ref[later.id] not in text
    rows = reminders(db_session)
    assert {(r.clock_id, r.step) for r in rows} == {(soon.id, "before_5@0"), (today.id, "due@0"),
                                                   (overdue.id, "overdue@0")}
    assert all(r.state == ReminderState.SENT and r.attempts == 1 and r.sent_at == NOW for r in rows)

    again = sweep(app, smtp.mailer(), NOW + timedelta(minutes=15))
    assert again.sent == [] and again.due == 0
    assert len(smtp.sink.messages) == 1


def test_one_digest_a_day_later_reminders_wait_for_tomorrow(app: Flask, smtp: SmtpServer,
                                                           person: Callable[..., User],
                                                           clock: Callable[..., Clock]) -> None:
    drafter = person()
    clock(TODAY, drafter)
    sweep(app, smtp.mailer())
    clock(TODAY, drafter)  # a new clock falls due the same afternoon
    waiting = sweep(app, smtp.mailer(), NOW + timedelta(hours=1))
    assert waiting.sent == [] and [n.reason for n in waiting.waiting] == ["already had today's digest"]
    tomorrow = sweep(app, smtp.mailer(), NOW + timedelta(days=1))
    # both clocks are overdue by then: the waiting one goes out at its latest step, with the other
    assert [d.reminders for d in tomorrow.sent] == [2]
    assert len(smtp.sink.messages) == 2 and "2 overdue" in smtp.sink.messages[1]["Subject"]


def test_reminders_that_fell_due_while_the_app_was_down_are_sent_at_the_next_sweep(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session) -> None:
    drafter = person()
    manager = person(Role.MANAGER)
    # No sweep ran for two weeks: one clock passed its "5 days before" step days ago, one its due date.
    approaching = clock(date(2026, 11, 24), drafter)
    missed = clock(THREE_WORKING_DAYS_AGO, drafter)
    report = sweep(app, smtp.mailer())
    assert {d.recipient for d in report.sent} == {drafter.email, manager.email}
    steps = {(r.clock_id, r.recipient_id, r.step) for r in reminders(db_session)}
    # only the latest step of each clock: no stale "before_5" for a clock already overdue
    assert steps == {(approaching.id, drafter.id, "before_1@0"), (missed.id, drafter.id, "overdue@0"),
                     (missed.id, manager.id, "escalation_1@0")}


def test_a_refusing_server_leaves_the_reminders_to_be_retried(app: Flask, smtp: SmtpServer,
                                                             person: Callable[..., User],
                                                             clock: Callable[..., Clock],
                                                             db_session: Session) -> None:
    refused = person()
    other = person()
    clock(TODAY, refused)
    clock(TODAY, other)
    smtp.sink.refuse = {refused.email}
    report = sweep(app, smtp.mailer())
    assert [d.recipient for d in report.sent] == [other.email]
    assert [d.recipient for d in report.failed] == [refused.email] and "550" in report.failed[0].error
    [failed] = [r for r in reminders(db_session) if r.recipient_id == refused.id]
    assert failed.state == ReminderState.FAILED and failed.attempts == 1 and "550" in failed.last_error
    assert smtp.sink.connections == 1  # the refusal did not cost the sweep its connection

    smtp.sink.refuse = set()
    retry = sweep(app, smtp.mailer(), NOW + timedelta(minutes=15))
    assert [(d.recipient, d.reminders) for d in retry.sent] == [(refused.email, 1)]
    [sent] = [r for r in reminders(db_session) if r.recipient_id == refused.id]
    assert sent.state == ReminderState.SENT and sent.attempts == 2 and sent.last_error == ""
    assert len(smtp.sink.to(refused.email)) == 1 and len(smtp.sink.to(other.email)) == 1


def test_an_unreachable_server_loses_nothing(app: Flask, smtp: SmtpServer, person: Callable[..., User],
                                             clock: Callable[..., Clock], db_session: Session) -> None:
    first = person()
    second = person()
    clock(TODAY, first)
    clock(TODAY, second)
    down = SmtpServer(smtp.sink, free_port()).mailer(timeout=2)
    report = sweep(app, down)
    assert len(report.failed) == 1 and "cannot reach SMTP server" in report.failed[0].error
    assert [n.reason for n in report.waiting] == ["mail server unavailable"]
    assert {r.state for r in reminders(db_session)} == {ReminderState.FAILED}

    back = sweep(app, smtp.mailer(), NOW + timedelta(minutes=15))
    assert {d.recipient for d in back.sent} == {first.email, second.email}
    assert {r.state for r in reminders(db_session)} == {ReminderState.SENT}
    assert len(smtp.sink.messages) == 2


def test_a_claim_whose_send_never_reported_is_retried_after_the_lease(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session) -> None:
    drafter = person()
    row = clock(TODAY, drafter)
    db_session.add(Reminder(clock_id=row.id, recipient_id=drafter.id, step="due@0", due_on=TODAY,
                            state=ReminderState.PENDING, claimed_at=NOW - CLAIM_LEASE / 2, attempts=0))
    db_session.commit()
    assert sweep(app, smtp.mailer()).sent == []  # perhaps still being sent by another sweep
    later = sweep(app, smtp.mailer(), NOW + CLAIM_LEASE)
    assert [d.reminders for d in later.sent] == [1]


def test_no_reminders_no_mail(app: Flask, smtp: SmtpServer, person: Callable[..., User],
                              clock: Callable[..., Clock]) -> None:
    drafter = person()
    clock(TODAY + timedelta(days=30), drafter)
    clock(FRIDAY_BEFORE, drafter, state=ClockState.MET)
    clock(FRIDAY_BEFORE, drafter, state=ClockState.PAUSED)
    report = sweep(app, smtp.mailer())
    assert report.due == 0 and report.sent == [] and smtp.sink.messages == []
    assert smtp.sink.connections == 0


def test_a_missed_clock_stays_reminded_until_it_is_met(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session) -> None:
    drafter = person()
    person(Role.MANAGER)
    missed = clock(THREE_WORKING_DAYS_AGO, drafter, state=ClockState.MISSED)
    clock(THREE_WORKING_DAYS_AGO, drafter, state=ClockState.MISSED, kind=ClockKind.STATUS_ENQUIRY,
          stopped_on=TODAY)  # a status enquiry that passed is closed and the next one started
    sweep(app, smtp.mailer())
    assert {(r.clock_id, r.step) for r in reminders(db_session)} == {(missed.id, "overdue@0"),
                                                                    (missed.id, "escalation_1@0")}


def test_who_is_reminded_is_who_answers_for_the_clock(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session, make_request: Callable[..., AssistanceRequest]) -> None:
    named = person()
    assignee = person()
    gone = person(is_active=False)
    desk_officers = {person(Role.DESK), person(Role.DESK)}
    assigned = make_request(assignee_id=assignee.id)
    by_name = clock(TODAY, named, request=assigned)
    by_assignment = clock(TODAY, gone, request=assigned)
    unassigned = clock(TODAY, None)
    sweep(app, smtp.mailer())
    recipients = {(r.clock_id, r.recipient_id) for r in reminders(db_session)}
    assert recipients == {(by_name.id, named.id), (by_assignment.id, assignee.id),
                          *((unassigned.id, officer.id) for officer in desk_officers)}
    assert smtp.sink.to(gone.email) == []


def test_opt_out_stops_the_digest_but_not_escalations(app: Flask, smtp: SmtpServer,
                                                      person: Callable[..., User],
                                                      clock: Callable[..., Clock]) -> None:
    drafter = person(digest_opt_out=True)
    manager = person(Role.MANAGER, digest_opt_out=True)
    clock(TODAY, drafter)
    clock(THREE_WORKING_DAYS_AGO, drafter)
    report = sweep(app, smtp.mailer())
    assert [d.recipient for d in report.sent] == [manager.email]
    assert "escalation, level 1" in references(smtp.sink.messages[0])
    assert [(n.recipient, n.reason, n.reminders) for n in report.skipped] == [
        (drafter.email, "opted out of the digest", 2)]


def test_escalation_goes_up_in_levels_to_the_offices_managers(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session, make_request: Callable[..., AssistanceRequest]) -> None:
    managerless = Office(code="ELS", name="Office without a manager")
    db_session.add(managerless)
    db_session.commit()
    drafter = person()
    own_manager = person(Role.MANAGER)
    other_manager = person(Role.MANAGER, office=Office(code="OTH", name="Third office"))
    level_one = clock(THREE_WORKING_DAYS_AGO, drafter)
    level_two = clock(TEN_WORKING_DAYS_AGO, drafter)
    orphan = clock(THREE_WORKING_DAYS_AGO, drafter, request=make_request(office=managerless))
    sweep(app, smtp.mailer())
    steps = {(r.clock_id, r.recipient_id, r.step) for r in reminders(db_session) if r.step.startswith("esc")}
    assert steps == {(level_one.id, own_manager.id, "escalation_1@0"),
                     (level_two.id, own_manager.id, "escalation_2@0"),
                     # an office without a manager escalates to every manager
                     (orphan.id, own_manager.id, "escalation_1@0"),
                     (orphan.id, other_manager.id, "escalation_1@0")}
    assert "level 2" in references(smtp.sink.to(own_manager.email)[0])
    # ten working days after its due date the first clock reaches level two: its managers hear again
    sweep(app, smtp.mailer(), NOW + timedelta(days=9))
    assert (level_one.id, own_manager.id, "escalation_2@0") in {
        (r.clock_id, r.recipient_id, r.step) for r in reminders(db_session)}


def test_mail_goes_out_in_the_recipients_working_hours(app: Flask, smtp: SmtpServer,
                                                        person: Callable[..., User],
                                                        clock: Callable[..., Clock]) -> None:
    dushanbe = person(time_zone="Asia/Dushanbe")
    moscow = person(time_zone="Europe/Moscow")
    broken = person(time_zone="Mars/Olympus")  # unknown: the office's time zone applies
    for user in (dushanbe, moscow, broken):
        clock(TODAY, user)
    early = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)  # 07:30 in Dushanbe
    assert sweep(app, smtp.mailer(), early).sent == []
    morning = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 09:00 in Dushanbe, 07:00 in Moscow
    report = sweep(app, smtp.mailer(), morning)
    assert {d.recipient for d in report.sent} == {dushanbe.email, broken.email}
    assert [(n.recipient, n.reason) for n in report.waiting] == [(moscow.email, "outside working hours")]
    later = sweep(app, smtp.mailer(), morning + timedelta(hours=2))
    assert [d.recipient for d in later.sent] == [moscow.email]


def test_nothing_goes_out_on_a_weekend(app: Flask, smtp: SmtpServer, person: Callable[..., User],
                                       clock: Callable[..., Clock]) -> None:
    clock(date(2026, 11, 30), person())
    saturday = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
    assert sweep(app, smtp.mailer(), saturday).sent == []
    assert len(sweep(app, smtp.mailer(), saturday + timedelta(days=2)).sent) == 1


def test_a_recipient_without_an_address_is_logged_and_skipped(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session, caplog: pytest.LogCaptureFixture) -> None:
    nobody = person(email="")
    somebody = person()
    clock(TODAY, nobody)
    clock(TODAY, somebody)
    with caplog.at_level(logging.WARNING, logger="mla.services.clocks.reminders"):
        report = sweep(app, smtp.mailer())
    assert [d.recipient for d in report.sent] == [somebody.email]
    assert [n.reason for n in report.skipped] == ["no e-mail address"]
    assert "no e-mail address" in caplog.text
    nobody.email = "found@example.org"  # nothing was claimed, so the reminder is still there
    db_session.commit()
    later = sweep(app, smtp.mailer(), NOW + timedelta(minutes=15))
    assert [d.recipient for d in later.sent] == ["found@example.org"]


def test_a_moved_deadline_gets_its_reminders_afresh(app: Flask, smtp: SmtpServer, person: Callable[..., User],
                                                   clock: Callable[..., Clock], db_session: Session) -> None:
    drafter = person()
    row = clock(IN_3_WORKING_DAYS, drafter)
    sweep(app, smtp.mailer())
    row.due_on = date(2026, 11, 24)
    row.revision = 1
    db_session.commit()
    assert sweep(app, smtp.mailer(), NOW + timedelta(days=1)).sent[0].reminders == 1
    assert [r.step for r in reminders(db_session)] == ["before_5@0", "due@1"]


def test_a_dry_run_claims_and_sends_nothing(app: Flask, smtp: SmtpServer, person: Callable[..., User],
                                            clock: Callable[..., Clock], db_session: Session) -> None:
    drafter = person()
    clock(TODAY, drafter)
    report = sweep(app, smtp.mailer(), dry_run=True)
    assert [(d.recipient, d.reminders) for d in report.planned] == [(drafter.email, 1)]
    assert report.sent == [] and smtp.sink.messages == [] and reminders(db_session) == []
    assert db_session.scalar(select(func.count()).select_from(DigestDay)) == 0


def test_without_an_smtp_host_the_outbox_gets_the_message(app: Flask, person: Callable[..., User],
                                                          clock: Callable[..., Clock],
                                                          db_session: Session) -> None:
    drafter = person()
    clock(TODAY, drafter)
    mailer = mailer_from_config({**app.config, "SMTP_HOST": ""}, get_database(app).session_factory)
    assert isinstance(mailer, OutboxMailer)
    assert len(sweep(app, mailer).sent) == 1
    [kept] = db_session.scalars(select(OutboxMessage)).all()
    assert kept.recipient == drafter.email and "1 due today" in kept.subject
    assert kept.attachment_names == "deadlines.ics" and "1 due today" in kept.subject
    [ics] = message_from_bytes(kept.raw, policy=email_policy.default).iter_attachments()
    assert "BEGIN:VCALENDAR" in ics.get_content()
    assert sweep(app, mailer, NOW + timedelta(minutes=15)).sent == []
    assert db_session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_custom_offsets_and_levels_come_from_the_policy(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session) -> None:
    drafter = person()
    person(Role.MANAGER)
    clock(date(2026, 12, 4), drafter)  # 9 working days ahead
    clock(FRIDAY_BEFORE, drafter)
    policy = ReminderPolicy(offsets=(10,), escalation_days=(1,))
    sweep(app, smtp.mailer(), policy=policy)
    assert sorted(r.step for r in reminders(db_session)) == ["before_10@0", "escalation_1@0", "overdue@0"]


def test_a_digest_names_only_requests_the_recipient_may_open(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session, make_request: Callable[..., AssistanceRequest]) -> None:
    dushanbe = Office(code="DYU", name="General Prosecutor's Office")
    db_session.add(dushanbe)
    db_session.commit()
    drafter = person()
    # another office's request: the drafter opens it once it is assigned to her, not before
    incoming = make_request(office=dushanbe, direction=Direction.INCOMING, stage=Stage.RECEIVED,
                            assignee_id=drafter.id)
    unassigned = make_request(office=dushanbe, direction=Direction.INCOMING, stage=Stage.RECEIVED)
    own = make_request(office=drafter.office)
    named = clock(TODAY, drafter, request=incoming, kind=ClockKind.OUR_ACKNOWLEDGEMENT)
    assigned = clock(TODAY, None, request=incoming, kind=ClockKind.OUR_EXECUTION)
    hidden = clock(TODAY, drafter, request=unassigned, kind=ClockKind.OUR_ACKNOWLEDGEMENT)
    clock(TODAY, drafter, request=own)
    report = sweep(app, smtp.mailer())
    assert [(d.recipient, d.reminders) for d in report.sent] == [(drafter.email, 3)]
    [message] = smtp.sink.to(drafter.email)
    assert own.reference in references(message) and incoming.reference in references(message)
    assert unassigned.reference not in references(message)
    reminded = {r.clock_id for r in reminders(db_session)}
    assert {named.id, assigned.id} <= reminded and hidden.id not in reminded
    assert report.unassigned_clocks == 1


def test_a_drafter_made_admin_gets_no_more_case_deadlines(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session) -> None:
    drafter = person()
    clock(TODAY, drafter)
    smtp.sink.refuse = {drafter.email}
    assert [d.recipient for d in sweep(app, smtp.mailer()).failed] == [drafter.email]
    drafter.role = Role.ADMIN
    db_session.commit()
    smtp.sink.refuse = set()
    clock(TODAY + timedelta(days=1), drafter)
    report = sweep(app, smtp.mailer(), NOW + timedelta(days=1))
    assert report.sent == [] and report.due == 0 and smtp.sink.to(drafter.email) == []


def test_a_translator_asked_to_translate_is_reminded_of_that_request_only_while_asked(
        app: Flask, smtp: SmtpServer, person: Callable[..., User], clock: Callable[..., Clock],
        db_session: Session, make_request: Callable[..., AssistanceRequest]) -> None:
    """The digest asks the one visibility rule, the translation asked for included (issue 17 item 6)."""
    translator = person(Role.TRANSLATOR)
    asked = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED, translation_asked=True)
    not_asked = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED)
    clock(TODAY, translator, request=asked, kind=ClockKind.OUR_ACKNOWLEDGEMENT)
    clock(TODAY, translator, request=not_asked, kind=ClockKind.OUR_ACKNOWLEDGEMENT)
    sweep(app, smtp.mailer())
    [message] = smtp.sink.to(translator.email)
    assert asked.reference in references(message)
    assert not_asked.reference not in references(message)
