"""Police requests flow like MLA requests (issue 17, item 10): the drafter hands one to the desk, which finds
it on its home page and sends it; "Record the answer" takes the answer's date. Per-measure results and the
request's stage agree (item 12): the page offers to record execution once every measure is executed, and
declaring a request executed with measures pending must be confirmed."""
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.enums import ClockKind, ClockState, MeasureStatus, RequestKind, Role, Stage
from mla.models import AssistanceRequest, Clock, Measure, StageChange, User
from tests.conftest import sign_in_as

EN = {"Accept-Language": "en"}
TODAY = date.today()


def post_move(client: FlaskClient, item: AssistanceRequest, name: str, db: Session, **data: str):
    db.refresh(item)
    return client.post(f"/requests/{item.id}/moves/{name}", headers=EN,
                       data={"version": str(item.version), **data})


@pytest.fixture
def police_draft(make_request: Callable[..., AssistanceRequest], db_session: Session) -> AssistanceRequest:
    """A complete police-to-police request to Kazakhstan, as its drafter left it."""
    item = make_request(kind=RequestKind.POLICE, country="KZ", channel_code="police_ncb",
                        request_language="ru",
                        requesting_authority="УВД Согдийской области", addressee="НЦБ Интерпола МВД РК",
                        subject_matter="Розыск подозреваемого", facts_summary="Выехал в Алматы в мае.",
                        purpose="Установить местонахождение")
    db_session.add(Measure(request_id=item.id, assistance_type_code="locate_identify_person",
                           details="Установить адрес Рахимова Ф."))
    db_session.commit()
    return item


def test_the_drafter_hands_a_police_request_to_the_desk_which_sends_it_from_its_home_page(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User],
    police_draft: AssistanceRequest, db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    shown = unescape(client.get(f"/requests/{police_draft.id}", headers=EN).get_data(as_text=True))
    assert "Hand to the desk for sending" in shown
    assert post_move(client, police_draft, "hand_to_desk", db_session).status_code == 302
    db_session.refresh(police_draft)
    assert police_draft.stage == Stage.READY_TO_SEND
    sign_in_as(client, make_user(Role.DESK), db_session)
    home = unescape(client.get("/", headers=EN).get_data(as_text=True))
    assert police_draft.reference in home
    sent = post_move(client, police_draft, "transmit", db_session, transmitted_on=TODAY.isoformat(),
                     channel="police_ncb", outgoing_number="21-3/77")
    assert sent.status_code == 302
    db_session.refresh(police_draft)
    assert police_draft.stage == Stage.SENT


def test_an_incomplete_police_request_is_not_handed_over(
    client: FlaskClient, login_as: Callable[..., User], police_draft: AssistanceRequest, db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    police_draft.purpose = ""
    db_session.commit()
    response = post_move(client, police_draft, "hand_to_desk", db_session)
    assert response.status_code == 400
    assert "purpose" in unescape(response.get_data(as_text=True))
    db_session.refresh(police_draft)
    assert police_draft.stage == Stage.DRAFT


def test_record_the_answer_takes_the_answers_date(
    client: FlaskClient, login_as: Callable[..., User], police_draft: AssistanceRequest, db_session: Session,
) -> None:
    login_as(Role.DESK)
    sent_on = (TODAY - timedelta(days=9)).isoformat()
    assert post_move(client, police_draft, "transmit", db_session, transmitted_on=sent_on,
                     channel="police_ncb", outgoing_number="21-3/77").status_code == 302
    form = unescape(client.get(f"/requests/{police_draft.id}/moves/record_answer", headers=EN)
                    .get_data(as_text=True))
    assert "Date of the answer" in form
    refused = post_move(client, police_draft, "record_answer", db_session)
    assert refused.status_code == 400
    assert "Please enter the date of the partner's answer." in unescape(refused.get_data(as_text=True))
    answered = TODAY - timedelta(days=3)
    assert post_move(client, police_draft, "record_answer", db_session,
                     answered_on=answered.isoformat()).status_code == 302
    change = db_session.scalars(select(StageChange).where(StageChange.request_id == police_draft.id)
                                .order_by(StageChange.id.desc())).first()
    assert change.details["answered_on"] == answered.isoformat()
    clock = db_session.scalar(select(Clock).where(Clock.request_id == police_draft.id,
                                                  Clock.kind == ClockKind.EXECUTION_EXPECTED))
    assert (clock.state, clock.stopped_on) == (ClockState.MET, answered)
    history = unescape(client.get(f"/requests/{police_draft.id}", headers=EN).get_data(as_text=True))
    assert "Answer dated" in history.split('data-testid="history"')[1]


def _in_execution(complete_request: Callable[..., AssistanceRequest], db: Session,
                  *statuses: MeasureStatus) -> AssistanceRequest:
    item = complete_request(stage=Stage.IN_EXECUTION)
    measures = db.scalars(select(Measure).where(Measure.request_id == item.id)).all()
    measures[0].status = statuses[0]
    db.add_all(Measure(request_id=item.id, assistance_type_code="information_and_items", details="Справка",
                       position=number, status=status) for number, status in enumerate(statuses[1:], 2))
    db.commit()
    return item


def test_the_page_offers_to_record_execution_once_every_measure_is_executed(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    done = _in_execution(complete_request, db_session, MeasureStatus.EXECUTED, MeasureStatus.EXECUTED)
    shown = client.get(f"/requests/{done.id}", headers=EN).get_data(as_text=True)
    assert 'data-testid="offer-execution"' in shown and "Every requested measure is executed." in shown
    partly = _in_execution(complete_request, db_session, MeasureStatus.EXECUTED, MeasureStatus.PENDING)
    assert 'data-testid="offer-execution"' not in client.get(f"/requests/{partly.id}").get_data(as_text=True)


def test_execution_with_measures_pending_must_be_confirmed(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = _in_execution(complete_request, db_session, MeasureStatus.EXECUTED, MeasureStatus.PENDING)
    form = client.get(f"/requests/{item.id}/moves/record_execution", headers=EN).get_data(as_text=True)
    assert 'data-testid="measures-pending"' in form and 'name="pending_accepted"' in form
    refused = post_move(client, item, "record_execution", db_session, note="Ответ по второму пункту не нужен")
    assert refused.status_code == 400
    assert "Measures still pending: 1." in unescape(refused.get_data(as_text=True))
    assert "Ответ по второму пункту не нужен" in unescape(refused.get_data(as_text=True))
    db_session.refresh(item)
    assert item.stage == Stage.IN_EXECUTION
    assert post_move(client, item, "record_execution", db_session, note="Ответ по второму пункту не нужен",
                     pending_accepted="y").status_code == 302
    db_session.refresh(item)
    assert item.stage == Stage.EXECUTED


def test_execution_without_pending_measures_asks_nothing_more(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = _in_execution(complete_request, db_session, MeasureStatus.EXECUTED, MeasureStatus.REFUSED)
    form = client.get(f"/requests/{item.id}/moves/record_execution").get_data(as_text=True)
    assert 'name="pending_accepted"' not in form
    assert post_move(client, item, "record_execution", db_session).status_code == 302
