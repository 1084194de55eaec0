"""Chasing is recorded (issue 17, item 5): the status enquiry due is prepared from beside its clock in one
step, its sending is an event in the history from which the next enquiry counts, and the clock panel shows
each clock once."""
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.deadlines import OpenClock, Verb, next_enquiry_days, plan
from mla.domain.enums import ClockKind, ClockState, Direction, RequestKind, Role, Stage
from mla.models import AssistanceRequest, Clock, GeneratedDocument, StageChange, User

EN = {"Accept-Language": "en"}
TODAY = date.today()


def page(client: FlaskClient, url: str) -> str:
    return unescape(client.get(url, headers=EN).get_data(as_text=True))


def move(client: FlaskClient, item: AssistanceRequest, name: str, db: Session, **data: str) -> int:
    db.refresh(item)
    return client.post(f"/requests/{item.id}/moves/{name}", headers=EN,
                       data={"version": str(item.version), **data}).status_code


def enquiries(db: Session, item: AssistanceRequest) -> list[Clock]:
    return list(db.scalars(select(Clock).where(Clock.request_id == item.id,
                                               Clock.kind == ClockKind.STATUS_ENQUIRY).order_by(Clock.id)))


@pytest.fixture
def sent(client: FlaskClient, login_as: Callable[..., User],
         complete_request: Callable[..., AssistanceRequest], db_session: Session) -> AssistanceRequest:
    """An outgoing request the desk transmitted ten days ago, through the page."""
    login_as(Role.DESK)
    item = complete_request(stage=Stage.READY_TO_SEND)
    assert move(client, item, "transmit", db_session, transmitted_on=(TODAY - timedelta(days=10)).isoformat(),
                channel="central_authority", outgoing_number="21-3/1458") == 302
    return item


def test_a_closed_request_shows_its_status_enquiry_once(
    client: FlaskClient, sent: AssistanceRequest, db_session: Session,
) -> None:
    assert move(client, sent, "record_acknowledgement", db_session, acknowledged_on=TODAY.isoformat(),
                partner_reference="KZ-2026/12") == 302
    assert move(client, sent, "record_execution_start", db_session) == 302
    assert move(client, sent, "record_execution", db_session, pending_accepted="y") == 302
    assert move(client, sent, "close", db_session, note="Получено", pending_accepted="y") == 302
    shown = page(client, f"/requests/{sent.id}")
    assert shown.count('data-testid="clock-status_enquiry"') == 1
    assert [(c.sequence, c.state) for c in enquiries(db_session, sent)] == [(1, ClockState.MET)]


def test_news_restarts_the_enquiry_due_and_counts_it_from_the_news(
    client: FlaskClient, sent: AssistanceRequest, db_session: Session,
) -> None:
    assert move(client, sent, "record_acknowledgement", db_session, acknowledged_on=TODAY.isoformat(),
                partner_reference="KZ-2026/12") == 302
    (clock,) = enquiries(db_session, sent)
    assert (clock.sequence, clock.state, clock.started_on) == (1, ClockState.RUNNING, TODAY)


def test_prepare_status_enquiry_sits_beside_its_clock_and_makes_the_letter_in_one_step(
    client: FlaskClient, sent: AssistanceRequest, db_session: Session,
) -> None:
    shown = page(client, f"/requests/{sent.id}")
    clock = shown.split('data-testid="clock-status_enquiry"')[1].split("</li>")[0]
    assert "Prepare status enquiry" in clock and "Record that it was sent" in clock
    form = clock.split("<form")[1].split("</form>")[0]
    fields = dict(zip(
        [part.split('"')[0] for part in form.split('name="')[1:]],
        [part.split('"')[0] for part in form.split('value="')[1:]], strict=True))
    response = client.post(f"/requests/{sent.id}/letters", data=fields, headers=EN)
    assert response.status_code == 302
    assert db_session.scalar(select(GeneratedDocument.letter_kind).where(
        GeneratedDocument.request_id == sent.id)) == "status_enquiry"


def test_the_drafter_sees_no_record_button_and_may_not_record_an_enquiry(
    client: FlaskClient, sent: AssistanceRequest, login_as: Callable[..., User], db_session: Session,
) -> None:
    login_as(Role.DRAFTER, office=sent.office)
    assert "Record that it was sent" not in page(client, f"/requests/{sent.id}")
    assert client.get(f"/requests/{sent.id}/status-enquiry", headers=EN).status_code == 403


def test_a_sent_enquiry_is_in_the_history_and_the_next_one_counts_from_it(
    client: FlaskClient, sent: AssistanceRequest, db_session: Session,
) -> None:
    first_sent = TODAY - timedelta(days=2)
    db_session.refresh(sent)
    response = client.post(f"/requests/{sent.id}/status-enquiry", headers=EN, data={
        "version": str(sent.version), "sent_on": first_sent.isoformat(), "outgoing_number": "21-3/1601"})
    assert response.status_code == 302
    db_session.refresh(sent)
    client.post(f"/requests/{sent.id}/status-enquiry", headers=EN, data={
        "version": str(sent.version), "sent_on": TODAY.isoformat(), "outgoing_number": "21-3/1702"})
    clocks = enquiries(db_session, sent)
    assert [(c.sequence, c.state, c.started_on, c.stopped_on) for c in clocks] == [
        (1, ClockState.MET, TODAY - timedelta(days=10), first_sent),
        (2, ClockState.MET, first_sent, TODAY),
        (3, ClockState.RUNNING, TODAY, None)]
    assert clocks[1].due_on >= first_sent + timedelta(days=30)  # the gap of the 30/60/90 series
    history = page(client, f"/requests/{sent.id}").split('data-testid="history"')[1]
    assert "Status enquiry no. 1 sent on" in history and "№ 21-3/1601" in history
    assert "Status enquiry no. 2 sent on" in history and "№ 21-3/1702" in history
    assert sent.stage == Stage.SENT and sent.outgoing_number == "21-3/1458"  # the transmission stays


def test_a_refused_enquiry_record_says_why_and_keeps_what_was_typed(
    client: FlaskClient, sent: AssistanceRequest, db_session: Session,
) -> None:
    db_session.refresh(sent)
    typed = (TODAY - timedelta(days=1)).isoformat()
    response = client.post(f"/requests/{sent.id}/status-enquiry", headers=EN, data={
        "version": str(sent.version), "sent_on": typed, "outgoing_number": " "})
    shown = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Please enter the outgoing number from the register." in shown and typed in shown
    early = (TODAY - timedelta(days=20)).isoformat()
    response = client.post(f"/requests/{sent.id}/status-enquiry", headers=EN, data={
        "version": str(sent.version), "sent_on": early, "outgoing_number": "21-3/9"})
    assert response.status_code == 400
    assert "cannot be sent before the request was transmitted" in unescape(response.get_data(as_text=True))
    assert db_session.scalar(select(StageChange.id).where(StageChange.move == "send_status_enquiry")) is None
    assert [c.state for c in enquiries(db_session, sent)] == [ClockState.RUNNING]


def test_no_enquiry_is_recorded_while_none_is_due(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = complete_request(stage=Stage.READY_TO_SEND)
    response = client.post(f"/requests/{item.id}/status-enquiry", headers=EN, data={
        "version": str(item.version), "sent_on": TODAY.isoformat(), "outgoing_number": "21-3/9"})
    assert response.status_code == 400
    assert "No status enquiry is due" in unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(("target", "verb"), [(Stage.ACKNOWLEDGED, Verb.RESTART),
                                              (Stage.CONDITIONS_PROPOSED, Verb.MEET)])
def test_news_restarts_the_enquiry_while_the_partner_still_owes_the_next_step(target: Stage,
                                                                             verb: Verb) -> None:
    actions = plan(Direction.OUTGOING, RequestKind.MLA, target,
                   [OpenClock("enquiry", ClockKind.STATUS_ENQUIRY, False)],
                   frozenset({ClockKind.STATUS_ENQUIRY}), is_move=True)
    enquiry = [a.verb for a in actions if a.kind == ClockKind.STATUS_ENQUIRY]
    assert enquiry == [verb]


@pytest.mark.parametrize(("days", "sequence", "expected"), [
    ((30, 60, 90), 1, 30), ((30, 60, 90), 2, 30), ((30, 60, 90), 3, None), ((15, 30, 45), 1, 15)])
def test_the_next_enquiry_is_due_after_the_gap_of_the_series(days: tuple[int, ...], sequence: int,
                                                             expected: int | None) -> None:
    assert next_enquiry_days(days, sequence) == expected
