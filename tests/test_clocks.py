"""Clocks on requests: stage moves start, pause, resume, meet and cancel them; the requester's
deadline follows edits; missed and met are recorded; pauses are shown; overrides and admin days."""
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.clock_settings import clock_settings, parse_settings
from mla.domain.deadlines import FIXED_DATE_KINDS, RULES, OpenClock, Verb, plan
from mla.domain.enums import ClockKind, ClockState, Counting, Direction, RequestKind, Role, Stage, Urgency
from mla.domain.errors import DomainError
from mla.models import AssistanceRequest, AuditEvent, Clock, Office, User
from mla.reference.loader import ReferenceError, load_reference
from mla.services.clocks.calendars import add_calendar_day, remove_calendar_day
from mla.services.clocks.lifecycle import clocks_of, mark_missed_clocks
from mla.services.requests.editing import RequestInput, create_request, update_request
from mla.services.requests.stages import advance_stage

HOME = load_reference().home_iso2

K = ClockKind


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00:00").replace(tzinfo=UTC)


def clocks(db: Session, item: AssistanceRequest) -> dict[str, Clock]:
    rows = db.scalars(select(Clock).where(Clock.request_id == item.id).order_by(Clock.id))
    return {f"{c.kind.value}#{c.sequence}" + ("" if c.stopped_on is None else f"@{c.id}"): c for c in rows}


def open_clock(db: Session, item: AssistanceRequest, kind: ClockKind) -> Clock:
    return db.scalars(select(Clock).where(Clock.request_id == item.id, Clock.kind == kind,
                                          Clock.stopped_on.is_(None))).one()


@pytest.fixture
def desk(make_user: Callable[..., User]) -> User:
    return make_user(Role.DESK)


@pytest.fixture
def go(db_session: Session, desk: User) -> Callable[..., AssistanceRequest]:
    """Make a move as the desk on `day` (the move's own dates default to that day)."""

    def move(item: AssistanceRequest, name: str, day: str, **data: object) -> AssistanceRequest:
        when = at(day)
        defaults = {"transmit": ("transmitted_on", "channel", "outgoing_number"),
                    "send_additional_info": ("transmitted_on", "channel", "outgoing_number"),
                    "record_acknowledgement": ("acknowledged_on", "partner_reference"),
                    "register": ("received_on", "partner_reference"),
                    "send_acknowledgement": ("acknowledged_on",),
                    "record_info_received": ("received_on",)}
        values = {"channel": "central_authority", "outgoing_number": "1", "partner_reference": "P-1",
                  "info_requested": "copy of the decision", "reason": "no longer needed", "note": "n",
                  "pending_accepted": True}
        filled = {key: when.date() if key.endswith("_on") else values[key] for key in defaults.get(name, ())}
        filled |= {key: values[key] for key in ("info_requested", "reason", "note", "pending_accepted")
                   if key in values}
        advance_stage(db_session, home_iso2=HOME, actor=desk, now=when, item=item, move_name=name,
                      data={**filled, **data}, expected_version=item.version)
        db_session.commit()
        return item

    return move


@pytest.fixture
def outgoing(complete_request: Callable[..., AssistanceRequest]) -> Callable[..., AssistanceRequest]:
    def make(country: str = "KZ", **fields: object) -> AssistanceRequest:
        return complete_request(stage=Stage.READY_TO_SEND, country=country, **fields)

    return make


def test_transmission_starts_the_partners_clocks_on_the_partners_calendar(
    db_session: Session, outgoing: Callable[..., AssistanceRequest], go: Callable[..., AssistanceRequest],
) -> None:
    item = go(outgoing("KZ"), "transmit", "2026-11-20")
    found = clocks(db_session, item)
    assert set(found) == {"acknowledgement_expected#1", "status_enquiry#1"}
    ack = found["acknowledgement_expected#1"]
    assert (ack.state, ack.calendar_iso2, ack.counting) == (ClockState.RUNNING, "KZ", Counting.CALENDAR_DAYS)
    assert (ack.started_on, ack.due_on) == (date(2026, 11, 20), date(2026, 11, 27))
    # 30 days fall on Sunday 20 December: the enquiry is due on the Monday
    assert found["status_enquiry#1"].due_on == date(2026, 12, 21)
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "request.clocks",
                                                        AuditEvent.request_id == item.id)).one()
    assert event.changes["acknowledgement_expected#1"] == "started, due 2026-11-27"


def test_acknowledgement_meets_its_clock_and_starts_the_decision_clock(
    db_session: Session, outgoing: Callable[..., AssistanceRequest], go: Callable[..., AssistanceRequest],
) -> None:
    item = go(outgoing("KZ"), "transmit", "2026-11-02")
    first_enquiry = open_clock(db_session, item, K.STATUS_ENQUIRY)
    go(item, "record_acknowledgement", "2026-11-09")
    ack = db_session.scalars(select(Clock).where(Clock.kind == K.ACKNOWLEDGEMENT_EXPECTED,
                                                 Clock.request_id == item.id)).one()
    assert (ack.state, ack.stopped_on) == (ClockState.MET, date(2026, 11, 9))
    decision = open_clock(db_session, item, K.DECISION_EXPECTED)
    assert (decision.started_on, decision.due_on) == (date(2026, 11, 9), date(2026, 12, 9))
    restarted = open_clock(db_session, item, K.STATUS_ENQUIRY)  # news from the partner restarts it
    assert restarted.id == first_enquiry.id
    assert (restarted.sequence, restarted.started_on, restarted.due_on) == (1, date(2026, 11, 9),
                                                                             date(2026, 12, 9))


def test_a_request_for_more_information_pauses_the_partners_clock_and_the_pause_is_added(
    db_session: Session, outgoing: Callable[..., AssistanceRequest], go: Callable[..., AssistanceRequest],
) -> None:
    item = go(outgoing("KZ"), "transmit", "2026-11-02")
    go(item, "record_acknowledgement", "2026-11-09")
    go(item, "record_info_request", "2026-11-16")
    decision = open_clock(db_session, item, K.DECISION_EXPECTED)
    assert (decision.state, decision.paused_on) == (ClockState.PAUSED, date(2026, 11, 16))
    with pytest.raises(Exception, match="No row was found"):
        open_clock(db_session, item, K.STATUS_ENQUIRY)  # waiting on us: no enquiry to make
    [line] = [line for line in clocks_of(db_session, item, now=at("2026-11-20"))
              if line.clock.kind == K.DECISION_EXPECTED]
    assert (line.days_left, line.paused_so_far) == (None, 4)
    revision = decision.revision
    go(item, "send_additional_info", "2026-11-26")
    assert (decision.state, decision.paused_on, decision.paused_days) == (ClockState.RUNNING, None, 10)
    # 9 December + 10 paused days = Saturday 19 December, so Monday 21 December
    assert decision.due_on == date(2026, 12, 21)
    assert decision.revision == revision + 1
    assert open_clock(db_session, item, K.STATUS_ENQUIRY).started_on == date(2026, 11, 26)


def test_execution_clock_runs_from_the_decision_and_is_met_by_execution(
    db_session: Session, outgoing: Callable[..., AssistanceRequest], go: Callable[..., AssistanceRequest],
) -> None:
    item = go(outgoing("KZ"), "transmit", "2026-10-01")
    go(item, "record_acknowledgement", "2026-10-05")
    go(item, "record_execution_start", "2026-10-20")
    assert db_session.scalars(select(Clock.state).where(Clock.kind == K.DECISION_EXPECTED)).one() \
        == ClockState.MET
    execution = open_clock(db_session, item, K.EXECUTION_EXPECTED)
    assert execution.due_on == date(2027, 1, 18)
    go(item, "record_execution", "2026-11-23")
    assert (execution.state, execution.stopped_on) == (ClockState.MET, date(2026, 11, 23))
    assert not [c for c in clocks(db_session, item).values() if c.stopped_on is None]


def test_missed_is_recorded_when_the_date_passes_and_a_late_acknowledgement_still_meets_it(
    db_session: Session, outgoing: Callable[..., AssistanceRequest], go: Callable[..., AssistanceRequest],
) -> None:
    item = go(outgoing("KZ"), "transmit", "2026-11-02")
    ack = open_clock(db_session, item, K.ACKNOWLEDGEMENT_EXPECTED)
    assert mark_missed_clocks(db_session, home_iso2=HOME,
                              now=at("2026-11-09")) == []  # due today: not missed yet
    revision = ack.revision
    assert mark_missed_clocks(db_session, home_iso2=HOME, now=at("2026-11-10")) == [ack]
    assert (ack.state, ack.stopped_on, ack.revision) == (ClockState.MISSED, None, revision)
    assert mark_missed_clocks(db_session, home_iso2=HOME, now=at("2026-11-11")) == []  # recorded once
    [line] = [line for line in lines_on_the_11th(db_session, item)
              if line.clock.kind == K.ACKNOWLEDGEMENT_EXPECTED]
    assert line.days_left == -2
    go(item, "record_acknowledgement", "2026-11-12")
    assert (ack.state, ack.stopped_on) == (ClockState.MET, date(2026, 11, 12))
    [line] = [line for line in clocks_of(db_session, item, now=at("2026-11-12"))
              if line.clock.kind == K.ACKNOWLEDGEMENT_EXPECTED]
    assert line.days_late == 3
    missed = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "request.clocks.missed",
                                                         AuditEvent.request_id == item.id)).one()
    assert missed.changes == {"acknowledgement_expected#1": "missed, due 2026-11-09"}


def lines_on_the_11th(db: Session, item: AssistanceRequest) -> list:
    return clocks_of(db, item, now=at("2026-11-11"))


def test_status_enquiries_follow_each_other_without_news(
    db_session: Session, outgoing: Callable[..., AssistanceRequest], go: Callable[..., AssistanceRequest],
) -> None:
    item = go(outgoing("KZ"), "transmit", "2026-06-01")
    go(item, "record_acknowledgement", "2026-06-03")
    # the application was down for months: one sweep catches up the whole series
    mark_missed_clocks(db_session, home_iso2=HOME, now=at("2026-11-23"))
    enquiries = db_session.scalars(select(Clock).where(Clock.request_id == item.id,
                                                       Clock.kind == K.STATUS_ENQUIRY,
                                                       Clock.started_on == date(2026, 6, 3))
                                   .order_by(Clock.sequence)).all()
    assert [(c.sequence, c.state, c.due_on) for c in enquiries] == [
        (1, ClockState.MISSED, date(2026, 7, 3)),
        (2, ClockState.MISSED, date(2026, 8, 3)),  # 2 August is a Sunday
        (3, ClockState.MISSED, date(2026, 9, 1)),
    ]
    assert all(c.stopped_on == date(2026, 11, 23) for c in enquiries)
    assert mark_missed_clocks(db_session, home_iso2=HOME, now=at("2026-11-24")) == []


def test_withdrawal_cancels_every_open_clock(
    db_session: Session, outgoing: Callable[..., AssistanceRequest], go: Callable[..., AssistanceRequest],
    make_user: Callable[..., User],
) -> None:
    request = outgoing("KZ", deadline_on=date(2027, 1, 15), deadline_reason="trial")
    item = go(request, "transmit", "2026-11-20")
    manager = make_user(Role.MANAGER)
    advance_stage(db_session, home_iso2=HOME,
                  actor=manager, now=at("2026-11-23"), item=item, move_name="withdraw",
                  data={"reason": "case closed"}, expected_version=item.version)
    states = {c.kind: (c.state, c.stopped_on) for c in clocks(db_session, item).values()}
    assert set(states.values()) == {(ClockState.CANCELLED, date(2026, 11, 23))}
    assert set(states) == {K.ACKNOWLEDGEMENT_EXPECTED, K.STATUS_ENQUIRY, K.REQUESTER_DEADLINE}


def new_request(db: Session, actor: User, office: Office, day: str, direction: Direction = Direction.OUTGOING,
                **fields: object) -> AssistanceRequest:
    item = create_request(db, home_iso2=HOME,
                          actor=actor, now=at(day), direction=direction, kind=RequestKind.MLA,
                          office=office,
                          data=RequestInput(country_iso2=fields.pop("country", "KZ"), **fields))
    db.commit()
    return item


def test_the_requesters_deadline_is_a_clock_that_follows_edits(
    db_session: Session, make_user: Callable[..., User], office: Office,
) -> None:
    drafter = make_user(Role.DRAFTER)
    item = new_request(db_session, drafter, office, "2026-11-23", deadline_on=date(2027, 2, 1),
                       deadline_reason="Trial on 1 February")
    clock = open_clock(db_session, item, K.REQUESTER_DEADLINE)
    assert (clock.due_on, clock.reason, clock.calendar_iso2, clock.revision) == (
        date(2027, 2, 1), "Trial on 1 February", "TJ", 0)
    data = RequestInput(country_iso2="KZ", deadline_on=date(2027, 1, 20), deadline_reason="Custody ends")
    update_request(db_session, home_iso2=HOME, actor=drafter, now=at("2026-11-24"), item=item,
                   expected_version=item.version, data=data)
    assert (clock.due_on, clock.reason, clock.revision, clock.state) == (
        date(2027, 1, 20), "Custody ends", 1, ClockState.RUNNING)
    update_request(db_session, home_iso2=HOME, actor=drafter, now=at("2026-11-25"), item=item,
                   expected_version=item.version, data=RequestInput(country_iso2="KZ"))
    assert (clock.state, clock.stopped_on) == (ClockState.CANCELLED, date(2026, 11, 25))
    update_request(db_session, home_iso2=HOME, actor=drafter, now=at("2026-11-26"), item=item,
                   expected_version=item.version, data=data)
    renewed = open_clock(db_session, item, K.REQUESTER_DEADLINE)
    assert (renewed.sequence, renewed.due_on) == (2, date(2027, 1, 20))


@pytest.mark.parametrize(("deadline", "reason", "field"), [
    (date(2026, 11, 22), "Trial", "deadline_on"),
    (date(2027, 1, 1), "  ", "deadline_reason"),
])
def test_a_deadline_in_the_past_or_without_a_reason_is_refused(
    db_session: Session, make_user: Callable[..., User], office: Office, deadline: date, reason: str,
    field: str,
) -> None:
    with pytest.raises(DomainError) as caught:
        new_request(db_session, make_user(Role.DRAFTER), office, "2026-11-23", deadline_on=deadline,
                    deadline_reason=reason)
    assert caught.value.field == field


def test_incoming_request_runs_our_clocks_on_our_calendar_and_pauses_while_we_wait(
    db_session: Session, desk: User, office: Office, go: Callable[..., AssistanceRequest],
) -> None:
    item = new_request(db_session, desk, office, "2026-11-23", Direction.INCOMING, country="AF",
                       received_on=date(2026, 11, 20))
    ack = open_clock(db_session, item, K.OUR_ACKNOWLEDGEMENT)
    assert (ack.calendar_iso2, ack.counting, ack.started_on, ack.due_on) == (
        "TJ", Counting.WORKING_DAYS, date(2026, 11, 20), date(2026, 11, 27))
    go(item, "register", "2026-11-23", received_on=date(2026, 11, 20))
    execution = open_clock(db_session, item, K.OUR_EXECUTION)
    # 120 days fall on Saturday 20 March 2027, then Sunday and Navruz (21-24 March): due the 25th
    assert (execution.started_on, execution.due_on) == (date(2026, 11, 20), date(2027, 3, 25))
    go(item, "send_acknowledgement", "2026-11-24")
    assert ack.state == ClockState.MET
    go(item, "start_formal_check", "2026-11-24")
    go(item, "request_additional_info", "2026-11-25")
    assert (execution.state, execution.paused_on) == (ClockState.PAUSED, date(2026, 11, 25))
    go(item, "record_info_received", "2026-12-05")
    assert (execution.state, execution.paused_days) == (ClockState.RUNNING, 10)
    assert execution.due_on == date(2027, 4, 5)  # + 10 days = Sunday 4 April


@pytest.mark.parametrize(("country", "urgency", "due"), [
    ("KZ", Urgency.NORMAL, date(2026, 11, 27)),
    ("KZ", Urgency.URGENT, date(2026, 11, 23)),
    ("AF", Urgency.NORMAL, date(2026, 12, 12)),  # diplomatic channel: 21 days
    ("AF", Urgency.URGENT, date(2026, 11, 23)),  # the urgency wins over the country
])
def test_clock_lengths_per_country_and_urgency(
    db_session: Session, outgoing: Callable[..., AssistanceRequest], go: Callable[..., AssistanceRequest],
    country: str, urgency: Urgency, due: date,
) -> None:
    item = go(outgoing(country, urgency=urgency), "transmit", "2026-11-20")
    assert open_clock(db_session, item, K.ACKNOWLEDGEMENT_EXPECTED).due_on == due


def test_an_admin_day_moves_working_day_clocks_and_removing_it_moves_them_back(
    db_session: Session, desk: User, office: Office, make_user: Callable[..., User],
) -> None:
    admin = make_user(Role.ADMIN)
    item = new_request(db_session, desk, office, "2026-11-23", Direction.INCOMING, country="AF")
    ack = open_clock(db_session, item, K.OUR_ACKNOWLEDGEMENT)
    assert ack.due_on == date(2026, 11, 30)
    row = add_calendar_day(db_session, actor=admin, now=at("2026-11-23"), iso2="TJ", day=date(2026, 11, 25),
                           is_working_day=False, note="Day of mourning")
    assert (ack.due_on, ack.revision) == (date(2026, 12, 1), 1)
    remove_calendar_day(db_session, actor=admin, now=at("2026-11-23"), row=row)
    assert (ack.due_on, ack.revision) == (date(2026, 11, 30), 2)


def test_every_rule_has_a_length_and_the_settings_file_is_checked() -> None:
    settings = clock_settings()
    for rule in RULES:
        if rule.kind not in FIXED_DATE_KINDS:
            assert settings.setting_for(rule.machine, rule.kind, "KZ", Urgency.NORMAL) is not None, rule
    good = {"defaults": {"outgoing_mla": {"acknowledgement_expected": {
        "days": 7, "counting": "calendar_days", "confidence": "P", "source": "EIO"}}}}
    assert parse_settings(good, frozenset({"KZ"})).defaults
    bad = [
        {"defaults": {"outgoing_mla": {"acknowledgement_expected": {
            "days": 7, "counting": "calendar_days"}}}},
        {"defaults": {"outgoing_mla": {"acknowledgement_expected": {
            "days": -1, "counting": "calendar_days", "confidence": "P", "source": "x"}}}},
        {"defaults": {"sideways": {}}},
        {**good, "country": {"XX": {"outgoing_mla": {"acknowledgement_expected": {
            "days": 3, "confidence": "B", "source": "x"}}}}},
        {**good, "urgency": {"normal": {"outgoing_mla": {"decision_expected": {
            "days": 3, "confidence": "B", "source": "x"}}}}},
    ]
    for document in bad:
        with pytest.raises(ReferenceError):
            parse_settings(document, frozenset({"KZ"}))


@pytest.mark.parametrize(("direction", "kind", "target", "open_kinds", "expected"), [
    (Direction.OUTGOING, RequestKind.MLA, Stage.SENT, [], {(Verb.START, K.ACKNOWLEDGEMENT_EXPECTED),
                                                            (Verb.START, K.STATUS_ENQUIRY)}),
    (Direction.OUTGOING, RequestKind.MLA, Stage.ADDITIONAL_INFO_REQUESTED, [K.EXECUTION_EXPECTED],
     {(Verb.PAUSE, K.EXECUTION_EXPECTED)}),
    (Direction.OUTGOING, RequestKind.POLICE, Stage.ANSWERED, [K.EXECUTION_EXPECTED, K.STATUS_ENQUIRY],
     {(Verb.MEET, K.EXECUTION_EXPECTED), (Verb.MEET, K.STATUS_ENQUIRY)}),
    (Direction.INCOMING, RequestKind.MLA, Stage.CONSULTATION, [K.OUR_EXECUTION],
     {(Verb.PAUSE, K.OUR_EXECUTION)}),
    (Direction.INCOMING, RequestKind.POLICE, Stage.RECEIVED, [], {(Verb.START, K.OUR_EXECUTION)}),
    (Direction.INCOMING, RequestKind.MLA, Stage.REFUSED, [K.OUR_EXECUTION, K.REQUESTER_DEADLINE],
     {(Verb.CANCEL, K.OUR_EXECUTION), (Verb.CANCEL, K.REQUESTER_DEADLINE)}),
])
def test_the_rules_table(direction: Direction, kind: RequestKind, target: Stage, open_kinds: list[ClockKind],
                         expected: set[tuple[Verb, ClockKind]]) -> None:
    open_clocks = [OpenClock(k, k, False) for k in open_kinds]
    actions = plan(direction, kind, target, open_clocks, frozenset(open_kinds), is_move=True)
    assert {(a.verb, a.kind) for a in actions} == expected
