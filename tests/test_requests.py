"""Creating and editing requests: profile pre-fill, bad input, optimistic locking, audit."""
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.domain.enums import Role, Stage
from mla.models import AssistanceRequest, AuditEvent, StageChange, User

EN = {"Accept-Language": "en"}
NEW = "/requests/new?direction=outgoing&kind=mla"
IN_A_YEAR = (date.today() + timedelta(days=365)).isoformat()


def request_form(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "country_iso2": "KZ", "requesting_authority": "Прокуратура Согдийской области",
        "conducting_authority": "Следственный отдел прокуратуры Согдийской области",
        "addressee": "Генеральная прокуратура Республики Казахстан", "channel_code": "central_authority",
        "legal_bases": ["minsk_1993"], "request_language": "ru", "case_number": "2026/117",
        "case_stage": "pre_trial", "offence_category": "trafficking_in_persons",
        "subject_matter": "Уголовное дело о торговле людьми", "facts_summary": "Вербовка & <обман>",
        "offences": "ч. 2 ст. 130¹ УК РТ", "law_text_annexed": "y",
        "dual_criminality_note": "ст. 128 УК РК", "purpose": "Допрос потерпевшей",
        "urgency": "normal", "deadline_on": "", "deadline_reason": "", "handling_code": "",
    }
    form.update(overrides)
    return form


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_the_profile_prefills_the_form(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.DRAFTER)
    body = client.get(NEW + "&country=KZ", headers=EN).get_data(as_text=True)
    assert "Генеральная прокуратура Республики Казахстан" in body
    assert '<option selected value="ru">' in body
    afghan = client.get(NEW + "&country=AF", headers=EN).get_data(as_text=True)
    assert "not accepted by Afghanistan" in afghan


def test_drafter_creates_a_draft_with_reference_history_and_audit(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session
) -> None:
    user = login_as(Role.DRAFTER)
    response = client.post(NEW, data=request_form(), headers=EN)
    assert response.status_code == 302
    item = db_session.scalar(select(AssistanceRequest).order_by(AssistanceRequest.id.desc()))
    assert item.reference.startswith(f"OUT-MLA-{date.today().year}-")
    assert item.stage == Stage.DRAFT and item.office_id == user.office_id
    assert item.facts_summary == "Вербовка & <обман>"
    assert [b.treaty_code for b in item.legal_bases] == ["minsk_1993"]
    assert item.national_case.case_number == "2026/117"
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "request.create"))
    assert event.changes["after"]["facts_summary"] == "Вербовка & <обман>"
    first_stage = select(StageChange.to_stage).where(StageChange.request_id == item.id)
    assert db_session.scalar(first_stage) == Stage.DRAFT
    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert "Вербовка &amp; &lt;обман&gt;" in page


def test_a_draft_can_be_saved_incomplete(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.DRAFTER)
    response = client.post(NEW, data={"country_iso2": "RU", "case_stage": "pre_trial",
                                      "urgency": "normal"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"country_iso2": ""}, "This field is required."),
        ({"country_iso2": "ZZ"}, "Not a valid choice."),
        ({"channel_code": "carrier_pigeon"}, "Not a valid choice."),
        ({"legal_bases": ["no_such_treaty"]}, "not a valid choice"),
        ({"deadline_on": "2020-01-01", "deadline_reason": "суд"},
         "The deadline cannot be before the day the request was created."),
        ({"deadline_on": "2026-02-30"}, "Not a valid date value."),
        ({"deadline_on": IN_A_YEAR, "deadline_reason": ""}, "Say why the deadline matters"),
        ({"facts_summary": "ф" * 20_001}, "Field cannot be longer than 20000 characters."),
        ({"case_number": "x" * 61}, "Field cannot be longer than 60 characters."),
        ({"urgency": "panic"}, "Not a valid choice."),
    ],
)
def test_bad_input_is_answered_on_the_form_and_nothing_is_stored(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session, overrides: dict, message: str
) -> None:
    login_as(Role.DRAFTER)
    before = count(db_session, AssistanceRequest)
    response = client.post(NEW, data=request_form(**overrides), headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body
    assert "Допрос потерпевшей" in body  # what the user typed is still there
    assert count(db_session, AssistanceRequest) == before


def test_incoming_requests_are_registered_by_the_desk_not_the_drafter(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session
) -> None:
    login_as(Role.DRAFTER)
    assert client.get("/requests/new?direction=incoming&kind=mla").status_code == 403


def test_desk_registers_an_incoming_request_with_its_partner_reference(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session
) -> None:
    login_as(Role.DESK)
    url = "/requests/new?direction=incoming&kind=mla"
    tomorrow = "2099-01-01"
    future = client.post(url, data=request_form(country_iso2="AF", partner_reference="AGO/1405/77",
                                                 received_on=tomorrow, office="TST"), headers=EN)
    assert future.status_code == 400 and "Enter a date from Jan 1, 1950 to " in future.get_data(as_text=True)
    response = client.post(url, data=request_form(country_iso2="AF", partner_reference="AGO/1405/77",
                                                   received_on="2026-11-20", office="TST"))
    assert response.status_code == 302
    item = db_session.scalar(select(AssistanceRequest).where(
        AssistanceRequest.partner_reference == "AGO/1405/77"))
    assert item.stage == Stage.RECEIVED and item.reference.startswith("IN-MLA-")
    found = client.get("/requests/?q=AGO/1405").get_data(as_text=True)
    assert item.reference in found


def test_an_edit_is_audited_field_by_field(client: FlaskClient, login_as: Callable[..., User],
                                           db_session: Session) -> None:
    login_as(Role.DRAFTER)
    client.post(NEW, data=request_form())
    item = db_session.scalar(select(AssistanceRequest).order_by(AssistanceRequest.id.desc()))
    response = client.post(f"/requests/{item.id}/edit",
                           data=request_form(purpose="Допрос свидетеля", version=str(item.version)))
    assert response.status_code == 302
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "request.update"))
    assert event.changes == {"purpose": ["Допрос потерпевшей", "Допрос свидетеля"]}


def test_the_second_of_two_concurrent_edits_is_refused_and_keeps_its_input(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session
) -> None:
    login_as(Role.DRAFTER)
    client.post(NEW, data=request_form())
    item = db_session.scalar(select(AssistanceRequest).order_by(AssistanceRequest.id.desc()))
    opened = str(item.version)
    edit = f"/requests/{item.id}/edit"
    first = client.post(edit, data=request_form(purpose="Первая правка", version=opened))
    assert first.status_code == 302
    second = client.post(edit, data=request_form(purpose="Вторая правка", version=opened), headers=EN)
    body = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Someone else saved this request after you opened it." in body
    assert "Вторая правка" in body
    db_session.expire_all()
    assert db_session.get(AssistanceRequest, item.id).purpose == "Первая правка"


def test_a_sent_request_can_no_longer_be_edited(client: FlaskClient, login_as: Callable[..., User],
                                                 make_request: Callable[..., AssistanceRequest]) -> None:
    user = login_as(Role.DESK)
    item = make_request(office=user.office, stage=Stage.SENT)
    opened = client.get(f"/requests/{item.id}/edit", headers=EN)
    assert opened.status_code == 303 and opened.headers["Location"] == f"/requests/{item.id}"
    message = "This request cannot be edited at its present stage."
    assert message in client.get(opened.headers["Location"], headers=EN).get_data(as_text=True)
    saved = client.post(f"/requests/{item.id}/edit", data=request_form(version="1", purpose="Typed purpose"),
                        headers=EN)
    assert saved.status_code == 409
    assert message in saved.get_data(as_text=True) and "Typed purpose" in saved.get_data(as_text=True)


def test_the_list_filters_live_in_the_url(client: FlaskClient, login_as: Callable[..., User],
                                          make_request: Callable[..., AssistanceRequest]) -> None:
    user = login_as(Role.DESK)
    kz = make_request(country="KZ", stage=Stage.SENT, assignee_id=user.id)
    ru = make_request(country="RU", stage=Stage.DRAFT)
    body = client.get("/requests/?country=KZ&stage=sent").get_data(as_text=True)
    assert kz.reference in body and ru.reference not in body
    assert '<option value="KZ" selected>' in body and '<option value="sent" selected>' in body
    mine = client.get(f"/requests/?assignee={user.id}").get_data(as_text=True)
    assert kz.reference in mine and ru.reference not in mine
    by_office = client.get("/requests/?office=TST").get_data(as_text=True)
    assert kz.reference in by_office and ru.reference in by_office
    oldest = client.get("/requests/?sort=oldest").get_data(as_text=True)
    assert oldest.index(kz.reference) < oldest.index(ru.reference)
    newest = client.get("/requests/").get_data(as_text=True)
    assert newest.index(ru.reference) < newest.index(kz.reference)


@pytest.mark.parametrize(
    "query",
    ["stage=nonsense", "country=ZZZZ", "country=<script>", "assignee=99999999999999999999",
     "page=999999999999", "page=-5", "page=abc", "sort=drop table", "office=%27%3B--",
     "q=" + "x" * 5000, "overdue=yes", "direction=sideways&kind=psychic"],
)
def test_odd_filters_give_an_answer_never_a_500(client: FlaskClient, login_as: Callable[..., User],
                                                make_request: Callable[..., AssistanceRequest],
                                                query: str) -> None:
    login_as(Role.MANAGER)
    make_request()
    response = client.get(f"/requests/?{query}", headers=EN)
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[1]
