"""Moving requests through their stages: the outgoing journey, refusals, forbidden moves posted
directly, conversion, supplementary requests, links, references under concurrency, atomicity."""

import threading
from collections.abc import Callable
from datetime import date, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.db import make_engine
from mla.domain.enums import Direction, LinkKind, MeasureStatus, PersonRole, RequestKind, Role, Stage
from mla.domain.workflow import machine_for
from mla.migrations import upgrade
from mla.models import (
    AssistanceRequest,
    AuditEvent,
    Measure,
    Person,
    RequestLink,
    StageChange,
    User,
)
from mla.reference.loader import load_reference
from mla.services.requests import stages
from mla.services.requests.editing import next_reference
from tests.conftest import sign_in_as

HOME = load_reference().home_iso2

EN = {"Accept-Language": "en"}


def move(client: FlaskClient, item: AssistanceRequest, name: str, db: Session, **data: str):
    db.refresh(item)
    return client.post(
        f"/requests/{item.id}/moves/{name}", data={"version": str(item.version), **data}, headers=EN
    )


def switch(client: FlaskClient, user: User, db: Session) -> None:
    sign_in_as(client, user, db)


def test_an_outgoing_mla_request_goes_from_draft_to_closed(
    client: FlaskClient,
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    drafter = login_as(Role.DRAFTER)
    manager = make_user(Role.MANAGER)
    desk = make_user(Role.DESK)
    item = complete_request()
    steps = [
        (drafter, "submit", {}, Stage.INTERNAL_REVIEW),
        (manager, "return_for_correction", {"note": "Уточните период."}, Stage.RETURNED_FOR_CORRECTION),
        (drafter, "resubmit", {}, Stage.INTERNAL_REVIEW),
        (manager, "approve", {}, Stage.APPROVED),
        (desk, "mark_ready_to_send", {}, Stage.READY_TO_SEND),
        (
            desk,
            "transmit",
            {"transmitted_on": "2026-11-02", "channel": "central_authority", "outgoing_number": "12-3/456"},
            Stage.SENT,
        ),
        (
            desk,
            "record_acknowledgement",
            {"acknowledged_on": "2026-11-09", "partner_reference": "KZ-2026/881"},
            Stage.ACKNOWLEDGED,
        ),
        (
            desk,
            "record_info_request",
            {"info_requested": "Копия постановления"},
            Stage.ADDITIONAL_INFO_REQUESTED,
        ),
        (
            desk,
            "send_additional_info",
            {"transmitted_on": "2026-11-12", "channel": "central_authority", "outgoing_number": "12-3/470"},
            Stage.ADDITIONAL_INFO_SENT,
        ),
        (desk, "record_execution_start", {}, Stage.IN_EXECUTION),
        (desk, "record_execution", {"pending_accepted": "y"}, Stage.EXECUTED),
        (desk, "close", {"note": "Доказательства получены в полном объёме.", "pending_accepted": "y"},
         Stage.CLOSED),
    ]
    for actor, name, data, target in steps:
        switch(client, actor, db_session)
        response = move(client, item, name, db_session, **data)
        assert response.status_code == 302, (name, response.get_data(as_text=True)[:2000])
        db_session.refresh(item)
        assert item.stage == target, name
    # sending more information is an event of its own: the transmission keeps its date and number
    assert item.transmitted_on.isoformat() == "2026-11-02" and item.outgoing_number == "12-3/456"
    assert item.partner_reference == "KZ-2026/881" and item.approved_by_id == manager.id
    assert item.closed_on is not None and item.outcome.startswith("Доказательства")
    history = db_session.scalars(
        select(StageChange.move).where(StageChange.request_id == item.id).order_by(StageChange.id)
    ).all()
    assert history == [name for _actor, name, _data, _target in steps]
    moves_audited = db_session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.request_id == item.id, AuditEvent.action.like("request.move.%"))
    )
    assert moves_audited == len(steps)
    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert "Уточните период." in page and "Return for correction" in page
    dispatches = page.split('data-testid="dispatches"')[1].split("</ul>")[0]
    assert "Record transmission: November 2, 2026, № 12-3/456" in dispatches
    assert "more information was sent: November 12, 2026, № 12-3/470" in dispatches


def test_an_incomplete_request_cannot_be_submitted(
    client: FlaskClient,
    login_as: Callable[..., User],
    make_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    user = login_as(Role.DRAFTER)
    item = make_request(office=user.office, country="KZ")
    response = move(client, item, "submit", db_session)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The request is not complete yet" in body
    assert "requesting authority" in body.lower()
    db_session.refresh(item)
    assert item.stage == Stage.DRAFT


@pytest.mark.parametrize(("kind", "stage", "name", "data"), [
    (RequestKind.MLA, Stage.DRAFT, "submit", {}),
    (RequestKind.MLA, Stage.READY_TO_SEND, "transmit",
     {"transmitted_on": date(2026, 11, 2), "channel": "central_authority", "outgoing_number": "1"}),
    (RequestKind.POLICE, Stage.DRAFT, "transmit",
     {"transmitted_on": date(2026, 11, 2), "channel": "police_ncb", "outgoing_number": "1"}),
])
def test_the_service_itself_refuses_to_hand_on_an_incomplete_request(
    db_session: Session, make_user: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    now: datetime, kind: RequestKind, stage: Stage, name: str, data: dict,
) -> None:
    actor = make_user(Role.DRAFTER if name == "submit" else Role.DESK)
    item = make_request(kind=kind, stage=stage, country="KZ")
    with pytest.raises(stages.IncompleteRequest) as refused:
        stages.advance_stage(db_session, home_iso2=HOME,
                             actor=actor, now=now, item=item, move_name=name, data=data,
                             expected_version=item.version)
    assert any(finding.field_name == "requesting_authority" for finding in refused.value.findings)
    db_session.rollback()
    db_session.refresh(item)
    assert item.stage == stage


@pytest.mark.parametrize(
    ("name", "data", "field_message", "status"),
    [
        ("return_for_correction", {}, "Returning a request needs a comment on what to correct.", 400),
        ("approve", {"version": "abc"}, "The form did not say which version of the record", 409),
        ("approve", {"version": "²"}, "The form did not say which version of the record", 409),
        ("approve", {"version": "0"}, "Someone else saved this request", 409),
    ],
)
def test_a_move_without_what_it_needs_is_refused_on_its_page(
    client: FlaskClient,
    login_as: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
    name: str,
    data: dict,
    field_message: str,
    status: int,
) -> None:
    login_as(Role.MANAGER)
    item = complete_request(stage=Stage.INTERNAL_REVIEW)
    db_session.refresh(item)
    response = client.post(
        f"/requests/{item.id}/moves/{name}", data={"version": str(item.version), **data}, headers=EN
    )
    assert response.status_code == status
    assert field_message in response.get_data(as_text=True)
    db_session.refresh(item)
    assert item.stage == Stage.INTERNAL_REVIEW


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"channel": "central_authority", "outgoing_number": "1"},
            "Please enter the date the letter was transmitted.",
        ),
        (
            {"transmitted_on": "2026-11-02", "outgoing_number": "1"},
            "Please choose the channel it went through.",
        ),
        (
            {"transmitted_on": "2099-01-01", "channel": "central_authority", "outgoing_number": "1"},
            "Enter a date from Jan 1, 1950 to ",
        ),
        (
            {"transmitted_on": "2026-13-45", "channel": "central_authority", "outgoing_number": "1"},
            "Not a valid date value.",
        ),
    ],
)
def test_transmission_needs_date_channel_and_number(
    client: FlaskClient,
    login_as: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
    data: dict,
    message: str,
) -> None:
    login_as(Role.DESK)
    item = complete_request(stage=Stage.READY_TO_SEND)
    response = move(client, item, "transmit", db_session, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db_session.refresh(item)
    assert item.stage == Stage.READY_TO_SEND and item.transmitted_on is None


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"reason": "Не указано"}, 400, "A refusal needs a ground from the list and a reason."),
        (
            {"refusal_ground": "essential_interests"},
            400,
            "A refusal needs a ground from the list and a reason.",
        ),
        (
            {"refusal_ground": "bank_secrecy", "reason": "Банковская тайна"},
            400,
            "not a permitted ground for refusal",
        ),
        ({"refusal_ground": "essential_interests", "reason": "Угроза суверенитету"}, 302, ""),
    ],
)
def test_a_refusal_needs_a_permitted_ground_and_a_reason(
    client: FlaskClient,
    login_as: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
    data: dict,
    status: int,
    message: str,
) -> None:
    login_as(Role.DESK)
    item = complete_request(stage=Stage.ACKNOWLEDGED)
    response = move(client, item, "record_refusal", db_session, **data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    db_session.refresh(item)
    if status == 302:
        assert item.stage == Stage.REFUSED and item.refusal_ground_code == "essential_interests"
    else:
        assert item.stage == Stage.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("role", "name"),
    [(Role.DRAFTER, "approve"), (Role.DESK, "submit"), (Role.DESK, "close"), (Role.MANAGER, "no_such_move")],
)
def test_a_move_posted_directly_that_is_not_allowed_changes_nothing(
    client: FlaskClient,
    login_as: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
    role: Role,
    name: str,
) -> None:
    login_as(role)
    item = complete_request(stage=Stage.INTERNAL_REVIEW if name == "approve" else Stage.DRAFT)
    before = item.stage
    response = move(client, item, name, db_session, note="Typed note")
    if name == "no_such_move":
        assert response.status_code == 404
    else:  # refused on the form, which keeps what was typed
        body = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "This step is not open to you" in body and "Typed note" in body
    db_session.refresh(item)
    assert item.stage == before


def test_a_police_request_is_converted_into_a_linked_mla_draft(
    client: FlaskClient,
    login_as: Callable[..., User],
    make_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    user = login_as(Role.DRAFTER)
    police = make_request(
        office=user.office,
        kind=RequestKind.POLICE,
        stage=Stage.ANSWERED,
        country="UZ",
        facts_summary="Местонахождение подозреваемого установлено.",
    )
    db_session.add(Person(request_id=police.id, role=PersonRole.SUSPECT, name_original="Abdullaev Sardor"))
    db_session.commit()
    assert move(client, police, "convert_to_mla", db_session).status_code == 400
    response = move(client, police, "convert_to_mla", db_session, note="Для использования в суде")
    assert response.status_code == 302
    db_session.refresh(police)
    assert police.stage == Stage.CONVERTED_TO_MLA
    link = db_session.scalar(select(RequestLink).where(RequestLink.from_request_id == police.id))
    draft = db_session.get(AssistanceRequest, link.to_request_id)
    assert link.kind == LinkKind.CONVERTED
    assert (
        draft.kind == RequestKind.MLA
        and draft.stage == Stage.DRAFT
        and draft.reference.startswith("OUT-MLA-")
    )
    assert draft.facts_summary == police.facts_summary
    assert (
        db_session.scalar(select(Person.name_original).where(Person.request_id == draft.id))
        == "Abdullaev Sardor"
    )
    assert police.reference in client.get(f"/requests/{draft.id}").get_data(as_text=True)


def test_a_supplementary_request_answers_a_request_for_more_information(
    client: FlaskClient,
    login_as: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    draft_only = complete_request()
    assert client.post(f"/requests/{draft_only.id}/supplementary").status_code == 302
    assert db_session.scalar(select(func.count()).select_from(RequestLink)) == 0
    item = complete_request(stage=Stage.ADDITIONAL_INFO_REQUESTED)
    response = client.post(f"/requests/{item.id}/supplementary")
    link = db_session.scalar(select(RequestLink).where(RequestLink.to_request_id == item.id))
    assert link.kind == LinkKind.SUPPLEMENTARY
    supplementary = db_session.get(AssistanceRequest, link.from_request_id)
    assert response.headers["Location"] == f"/requests/{supplementary.id}"
    assert [b.treaty_code for b in supplementary.legal_bases] == ["minsk_1993"]
    assert supplementary.stage == Stage.DRAFT and supplementary.country_iso2 == "KZ"


@pytest.mark.parametrize(("kind", "stage"), [
    pytest.param(kind, stage, id=f"{kind}-{stage}")
    for kind in (RequestKind.MLA, RequestKind.POLICE)
    for stage in sorted(machine_for(Direction.OUTGOING, kind).stages())
])
def test_the_supplementary_button_shows_exactly_when_the_request_may_be_supplemented(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    db_session: Session, kind: RequestKind, stage: Stage,
) -> None:
    login_as(Role.DESK)
    item = make_request(kind=kind, stage=stage)
    shown = "Start a supplementary request" in client.get(f"/requests/{item.id}", headers=EN).get_data(
        as_text=True)
    client.post(f"/requests/{item.id}/supplementary", headers=EN)
    made = db_session.scalar(select(func.count()).select_from(RequestLink).where(
        RequestLink.to_request_id == item.id, RequestLink.kind == LinkKind.SUPPLEMENTARY))
    assert shown is (made == 1)


@pytest.mark.parametrize(
    ("reference", "message"),
    [("OUT-MLA-1999-9999", "No request you may see"), ("self", "cannot be linked to itself")],
)
def test_links_by_reference(
    client: FlaskClient,
    login_as: Callable[..., User],
    make_request: Callable[..., AssistanceRequest],
    db_session: Session,
    reference: str,
    message: str,
) -> None:
    login_as(Role.DESK)
    incoming = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED)
    outgoing = make_request(stage=Stage.SENT)
    ok = client.post(
        f"/requests/{incoming.id}/links", data={"reference": outgoing.reference, "kind": "reply"}
    )
    assert ok.status_code == 302
    assert db_session.scalar(select(RequestLink.kind)) == LinkKind.REPLY
    target = incoming.reference if reference == "self" else reference
    bad = client.post(
        f"/requests/{incoming.id}/links",
        data={"reference": target, "kind": "related"},
        headers=EN,
        follow_redirects=True,
    )
    assert message in bad.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(RequestLink)) == 1


def test_a_stage_move_and_its_audit_record_commit_together(
    client: FlaskClient,
    login_as: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    login_as(Role.DRAFTER)
    item = complete_request()

    def broken_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(stages, "record_event", broken_audit)
    response = move(client, item, "submit", db_session)
    assert response.status_code == 500
    db_session.expire_all()
    assert db_session.get(AssistanceRequest, item.id).stage == Stage.DRAFT
    assert (
        db_session.scalar(
            select(func.count())
            .select_from(StageChange)
            .where(StageChange.request_id == item.id, StageChange.move == "submit")
        )
        == 0
    )


def test_references_are_gap_free_and_unique_when_created_at_once(fresh_database_url: str) -> None:
    upgrade(fresh_database_url)
    engine = make_engine(fresh_database_url)
    references: list[str] = []
    errors: list[BaseException] = []

    def create(rollback: bool) -> None:
        try:
            with Session(engine) as session:
                reference = next_reference(session, Direction.OUTGOING, RequestKind.MLA, 2026)
                if rollback:
                    session.rollback()
                    return
                session.commit()
                references.append(reference)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(i % 5 == 0,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert errors == []
    assert sorted(references) == [f"OUT-MLA-2026-{n:04d}" for n in range(1, 25)]


def test_measure_results_feed_the_request(
    client: FlaskClient,
    login_as: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = complete_request(stage=Stage.IN_EXECUTION)
    measure = db_session.scalar(select(Measure).where(Measure.request_id == item.id))
    response = client.post(
        f"/requests/{item.id}/measures/{measure.id}/result",
        data={
            "status": "executed",
            "evidence_received_on": "2026-11-20",
            "result_note": "Протокол допроса получен",
            "version": str(measure.version),
        },
    )
    assert response.status_code == 302
    db_session.refresh(measure)
    assert measure.status == MeasureStatus.EXECUTED


def test_the_move_form_offers_what_the_request_already_records(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest]
) -> None:
    login_as(Role.DESK)
    item = make_request(direction=Direction.INCOMING, stage=Stage.RECEIVED, country="AF",
                        partner_reference="AGO/1405/77", received_on=date(2026, 11, 20))
    body = client.get(f"/requests/{item.id}/moves/register").get_data(as_text=True)
    assert 'value="AGO/1405/77"' in body and 'value="2026-11-20"' in body
    response = client.post(f"/requests/{item.id}/moves/register",
                           data={"version": str(item.version), "partner_reference": "AGO/1405/77",
                                 "received_on": "2026-11-20"})
    assert response.status_code == 302


@pytest.mark.parametrize(("role", "shown"), [(Role.DESK, True), (Role.TRANSLATOR, False)])
def test_the_link_form_shows_to_those_who_may_link(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    role: Role, shown: bool,
) -> None:
    login_as(role)
    item = make_request(stage=Stage.TRANSLATION)
    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert (f"/requests/{item.id}/links" in page) is shown
