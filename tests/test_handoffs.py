"""Where work passes from one person or event to the next (issue 17): the desk assigns an incoming request
to a prosecutor of another office, who then works it; each dispatch keeps its own facts; an incoming
request names the partner as requesting authority and us as addressee, and its letters go from us to them."""
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from mla.domain.enums import ClockKind, Direction, LetterKind, RequestKind, Role, Stage
from mla.migrations import upgrade
from mla.models import AssistanceRequest, Clock, GeneratedDocument, Office, StageChange, User
from mla.reference.loader import load_reference
from mla.services.operations.reference import load_reference_data
from tests.conftest import insert_old_row, sign_in_as
from tests.test_dashboard import figures, list_total

EN = {"Accept-Language": "en"}
RequestMaker = Callable[..., AssistanceRequest]
UserMaker = Callable[..., User]
AFGHAN_AGO = "Генеральная прокуратура Афганистана"
TAJIK_PGO = "Генеральная прокуратура Республики Таджикистан"


def incoming_from_afghanistan(make_request: RequestMaker, stage: Stage,
                              **fields: object) -> AssistanceRequest:
    values = {"requesting_authority": AFGHAN_AGO, "addressee": TAJIK_PGO,
              "partner_reference": "AGO-1405/0213", "received_on": date(2026, 11, 20),
              "subject_matter": "Торговля людьми", **fields}
    return make_request(direction=Direction.INCOMING, stage=stage, country="AF", **values)


def bokhtar_prosecutor(db_session: Session, make_user: UserMaker) -> User:
    bokhtar = Office(code="BKH", name="Прокуратура города Бохтар", city="Bokhtar")
    db_session.add(bokhtar)
    db_session.commit()
    prosecutor = make_user(Role.DRAFTER, office=bokhtar)
    prosecutor.full_name = "Рахмонов Бахтиёр"
    db_session.commit()
    return prosecutor


def test_the_prosecutor_of_another_office_works_the_request_the_desk_assigns_him(
    client: FlaskClient, login_as: UserMaker, make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    desk = login_as(Role.DESK)
    prosecutor = bokhtar_prosecutor(db_session, make_user)
    item = incoming_from_afghanistan(make_request, Stage.SUBSTANTIVE_CHECK)
    url = f"/requests/{item.id}/moves/assign"
    form = client.get(url, headers=EN).get_data(as_text=True)
    assert 'name="execute_by"' in form and "Рахмонов Бахтиёр (BKH)" in form
    execute_by = datetime.now(UTC).date() + timedelta(days=3)  # due soon: on the dashboard
    refused = client.post(url, data={"version": str(item.version), "assignee": str(prosecutor.id)},
                          headers=EN)
    assert refused.status_code == 400
    assert "Please enter the date by which the request is to be executed." in refused.get_data(as_text=True)
    past = client.post(url, data={"version": str(item.version), "assignee": str(prosecutor.id),
                                  "execute_by": (execute_by - timedelta(days=60)).isoformat()}, headers=EN)
    assert past.status_code == 400 and "cannot be in the past" in past.get_data(as_text=True)
    db_session.refresh(item)
    assert item.stage == Stage.SUBSTANTIVE_CHECK and item.assignee_id is None
    done = client.post(url, data={"version": str(item.version), "assignee": str(prosecutor.id),
                                  "execute_by": execute_by.isoformat()}, headers=EN)
    assert done.status_code == 302
    db_session.refresh(item)
    assert item.stage == Stage.ASSIGNED and item.assignee_id == prosecutor.id
    [clock] = db_session.scalars(select(Clock).where(Clock.request_id == item.id,
                                                     Clock.kind == ClockKind.EXECUTE_BY))
    assert clock.due_on == execute_by and clock.responsible_id == prosecutor.id
    board = client.get("/dashboard", headers=EN).get_data(as_text=True)
    assigned = [(link, value) for link, value in figures(board) if f"assignee={prosecutor.id}" in link]
    assert assigned and all(list_total(client, link) == value for link, value in assigned)

    sign_in_as(client, prosecutor, db_session)
    page = client.get(f"/requests/{item.id}", headers=EN)
    assert page.status_code == 200
    shown = page.get_data(as_text=True)
    assert "assigned to Рахмонов Бахтиёр" in shown and "Execute by (assigned)" in shown
    assert item.reference in client.get("/", headers=EN).get_data(as_text=True)
    deadlines = client.get("/deadlines", headers=EN).get_data(as_text=True)
    assert item.reference in deadlines and "Execute by (assigned)" in deadlines
    listing = client.get("/requests/", headers=EN).get_data(as_text=True)
    assert item.reference in listing and "Assigned to" in listing and "Рахмонов Бахтиёр" in listing
    own_board = client.get("/dashboard", headers=EN).get_data(as_text=True)
    for link, value in figures(own_board):
        assert list_total(client, link) == value, link
    assert any(item.reference in client.get(link, headers=EN).get_data(as_text=True)
               for link, _value in figures(own_board) if f"assignee={prosecutor.id}" in link)
    letter = client.post(f"/requests/{item.id}/letters", headers=EN, data={
        "kind": "execution_cover", "language": "ru", "second_language": "", "layout": "columns"})
    assert letter.status_code == 302, letter.get_data(as_text=True)[:3000]
    assert db_session.scalar(select(GeneratedDocument.id).where(GeneratedDocument.request_id == item.id))
    started = client.post(f"/requests/{item.id}/moves/start_execution",
                          data={"version": str(item.version)}, headers=EN)
    assert started.status_code == 302
    db_session.refresh(item)
    assert item.stage == Stage.IN_EXECUTION
    certified = client.post(f"/requests/{item.id}/moves/certify_evidence",
                            data={"version": str(item.version)}, headers=EN)
    assert certified.status_code == 302
    db_session.refresh(clock)
    assert clock.stopped_on is not None and clock.state.value == "met"
    assert desk.id != prosecutor.id


def test_a_prosecutor_of_another_office_still_does_not_see_what_is_not_assigned_to_him(
    client: FlaskClient, make_user: UserMaker, make_request: RequestMaker, db_session: Session,
) -> None:
    prosecutor = bokhtar_prosecutor(db_session, make_user)
    other = make_user(Role.DRAFTER)
    item = incoming_from_afghanistan(make_request, Stage.ASSIGNED, assignee_id=other.id)
    sign_in_as(client, prosecutor, db_session)
    assert client.get(f"/requests/{item.id}", headers=EN).status_code == 404
    assert item.reference not in client.get("/requests/", headers=EN).get_data(as_text=True)


def test_the_incoming_form_names_the_partner_as_requesting_authority_and_us_as_addressee(
    client: FlaskClient, login_as: UserMaker,
) -> None:
    desk = login_as(Role.DESK)
    incoming = client.get("/requests/new?direction=incoming&kind=mla&country=AF", headers=EN).get_data(
        as_text=True)
    partner = load_reference().countries["AF"].central_authorities[0].name["ru"]
    requesting = incoming.split('name="requesting_authority"')[1].split("</textarea>")[0]
    addressee = incoming.split('name="addressee"')[1].split("</textarea>")[0]
    assert partner in requesting and desk.office is not None and desk.office.name in addressee
    outgoing = client.get("/requests/new?direction=outgoing&kind=mla&country=AF", headers=EN).get_data(
        as_text=True)
    assert desk.office.name in outgoing.split('name="requesting_authority"')[1].split("</textarea>")[0]
    assert partner in outgoing.split('name="addressee"')[1].split("</textarea>")[0]


def test_a_letter_whose_parties_are_the_wrong_way_round_is_refused_with_what_to_correct(
    client: FlaskClient, login_as: UserMaker, make_request: RequestMaker, db_session: Session,
) -> None:
    login_as(Role.DESK)
    form = {"kind": "acknowledgement", "language": "ru", "second_language": "", "layout": "columns"}
    swapped = incoming_from_afghanistan(make_request, Stage.REGISTERED, requesting_authority=TAJIK_PGO,
                                        addressee=AFGHAN_AGO)
    response = client.post(f"/requests/{swapped.id}/letters", data=form, headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The parties are the wrong way round: an incoming request is made by the partner" in body
    same = incoming_from_afghanistan(make_request, Stage.REGISTERED, addressee=AFGHAN_AGO)
    body = client.post(f"/requests/{same.id}/letters", data=form, headers=EN).get_data(as_text=True)
    assert "would go from an authority to itself" in body
    nobody = incoming_from_afghanistan(make_request, Stage.REGISTERED, addressee="")
    body = client.post(f"/requests/{nobody.id}/letters", data=form, headers=EN).get_data(as_text=True)
    assert "The letter has no sender: name our authority" in body
    assert db_session.scalar(select(GeneratedDocument.id)) is None
    right = incoming_from_afghanistan(make_request, Stage.REGISTERED)
    assert client.post(f"/requests/{right.id}/letters", data=form, headers=EN).status_code == 302
    outgoing_swapped = make_request(stage=Stage.SENT, addressee=TAJIK_PGO, transmitted_on=date(2026, 11, 2),
                                    requesting_authority="Генеральная прокуратура Республики Казахстан",
                                    outgoing_number="12-3/1")
    body = client.post(f"/requests/{outgoing_swapped.id}/letters", headers=EN, data={
        **form, "kind": LetterKind.STATUS_ENQUIRY.value}).get_data(as_text=True)
    assert "an outgoing request is made by our authority" in body


def test_the_migration_gives_each_dispatch_its_facts_and_the_request_its_first_transmission(
    fresh_databases: Callable[[], str],
) -> None:
    url = fresh_databases()
    upgrade(url, "0011_edit_versions")
    engine = create_engine(url)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        load_reference_data(session, load_reference())
        office_id = insert_old_row(session, Office, code="OLD", name="Office", created_at=at)
        request_id = insert_old_row(
            session, AssistanceRequest, reference="OUT-MLA-2025-0001", direction=Direction.OUTGOING,
            kind=RequestKind.MLA, stage=Stage.ADDITIONAL_INFO_SENT, office_id=office_id, country_iso2="KZ",
            created_at=at, updated_at=at, version=1, transmitted_on=date(2025, 11, 12),
            outgoing_number="21-3/1502", channel_code="diplomatic")
        for move, details in (
            ("transmit", {"transmitted_on": "2025-11-02", "channel": "central_authority",
                          "outgoing_number": "21-3/1458"}),
            ("record_info_request", {"info_requested": "Копия постановления"}),
            ("send_additional_info", {"transmitted_on": "2025-11-12", "channel": "diplomatic",
                                      "outgoing_number": "21-3/1502"}),
        ):
            insert_old_row(session, StageChange, request_id=request_id, move=move, to_stage=Stage.SENT.value,
                           at=at, details=details)
        session.commit()
    upgrade(url)
    with Session(engine) as session:
        item = session.get_one(AssistanceRequest, request_id)
        assert (item.transmitted_on, item.outgoing_number, item.channel_code) == (
            date(2025, 11, 2), "21-3/1458", "central_authority")
        dispatches = [(c.move, c.sent_on, c.channel_code, c.number) for c in session.scalars(
            select(StageChange).where(StageChange.sent_on.is_not(None)).order_by(StageChange.id))]
    engine.dispose()
    assert dispatches == [("transmit", date(2025, 11, 2), "central_authority", "21-3/1458"),
                          ("send_additional_info", date(2025, 11, 12), "diplomatic", "21-3/1502")]


def test_assigning_again_hands_the_execute_by_clock_to_the_new_assignee(
    client: FlaskClient, login_as: UserMaker, make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    first = bokhtar_prosecutor(db_session, make_user)
    second = make_user(Role.DRAFTER)
    item = incoming_from_afghanistan(make_request, Stage.SUBSTANTIVE_CHECK)
    soon = datetime.now(UTC).date() + timedelta(days=10)

    def post(move: str, **data: str) -> None:
        db_session.refresh(item)
        response = client.post(f"/requests/{item.id}/moves/{move}", headers=EN,
                               data={"version": str(item.version), **data})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    post("assign", assignee=str(first.id), execute_by=soon.isoformat())
    post("postpone", reason="Ожидаются сведения от банка")
    post("assign", assignee=str(second.id), execute_by=(soon + timedelta(days=5)).isoformat())
    clocks = db_session.scalars(select(Clock).where(Clock.request_id == item.id,
                                                    Clock.kind == ClockKind.EXECUTE_BY)
                                .order_by(Clock.sequence)).all()
    assert [(c.responsible_id, c.due_on, c.state.value) for c in clocks] == [
        (first.id, soon, "cancelled"), (second.id, soon + timedelta(days=5), "running")]
    sign_in_as(client, first, db_session)
    assert client.get(f"/requests/{item.id}", headers=EN).status_code == 404
    assert item.reference not in client.get("/deadlines", headers=EN).get_data(as_text=True)


def test_receiving_more_information_keeps_the_date_the_request_was_received(
    client: FlaskClient, login_as: UserMaker, make_request: RequestMaker, db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = incoming_from_afghanistan(make_request, Stage.ADDITIONAL_INFO_REQUESTED)
    response = client.post(f"/requests/{item.id}/moves/record_info_received", headers=EN,
                           data={"version": str(item.version), "received_on": "2026-11-27"})
    assert response.status_code == 302
    db_session.refresh(item)
    assert item.stage == Stage.FORMAL_CHECK and item.received_on == date(2026, 11, 20)
    change = db_session.scalars(select(StageChange).where(StageChange.request_id == item.id)).one()
    assert change.details["received_on"] == "2026-11-27"


def test_the_translator_who_finishes_a_translation_is_taken_home_not_to_a_page_he_no_longer_sees(
    client: FlaskClient, login_as: UserMaker, make_request: RequestMaker,
) -> None:
    login_as(Role.TRANSLATOR)
    item = make_request(stage=Stage.TRANSLATION)
    finished = client.post(f"/requests/{item.id}/moves/finish_translation",
                           data={"version": str(item.version)}, headers=EN, follow_redirects=True)
    assert finished.status_code == 200
    assert finished.request.path == "/"
    assert "Done: Ready to send." in finished.get_data(as_text=True)
