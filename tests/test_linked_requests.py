"""Linked requests inherit what they need and are checked like any other (issue 17, item 4): a supplementary
request and an MLA request converted from a police request carry over the routing and handling, the edit
form refills from the country profile, every kind of letter needs whom it goes to, and sending a
supplementary request records on the original that more information was sent."""
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.domain.enums import Direction, PersonRole, RequestKind, Role, Stage, Urgency
from mla.models import (
    AssistanceRequest,
    GeneratedDocument,
    Measure,
    Person,
    RequestLegalBasis,
    RequestLink,
    StageChange,
    User,
)
from tests.conftest import sign_in_as

EN = {"Accept-Language": "en"}
HANDLING = {"contact_person": "Прокурор Каримов, +992 37 221 00 00",
            "use_restrictions": "Только для уголовного дела № 12-345", "urgency": Urgency.URGENT,
            "deadline_on": date(2027, 3, 1), "deadline_reason": "Срок содержания под стражей"}


def page(client: FlaskClient, url: str) -> str:
    return unescape(client.get(url, headers=EN).get_data(as_text=True))


def test_a_supplementary_request_carries_over_the_addressee_channel_and_handling(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    original = complete_request(stage=Stage.ADDITIONAL_INFO_REQUESTED,
                                addressee="Генеральная прокуратура Республики Казахстан", **HANDLING)
    client.post(f"/requests/{original.id}/supplementary", headers=EN)
    link = db_session.scalar(select(RequestLink).where(RequestLink.to_request_id == original.id))
    draft = db_session.get(AssistanceRequest, link.from_request_id)
    for name in ("addressee", "channel_code", "contact_person", "use_restrictions", "urgency", "deadline_on",
                 "request_language"):
        assert getattr(draft, name) == getattr(original, name), name
    assert [b.treaty_code for b in draft.legal_bases] == ["minsk_1993"]
    shown = page(client, f"/requests/{draft.id}")
    assert "Генеральная прокуратура Республики Казахстан" in shown
    assert f"Supplements {original.reference}" in shown


def test_a_converted_draft_is_routed_as_a_formal_request_and_names_the_police_request(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    user = login_as(Role.DRAFTER)
    police = make_request(office=user.office, kind=RequestKind.POLICE, stage=Stage.ANSWERED, country="UZ",
                          channel_code="police_ncb", addressee="НЦБ Интерпола МВД Республики Узбекистан",
                          **HANDLING)
    db_session.add_all([RequestLegalBasis(request_id=police.id, treaty_code="cis_mvd_1992"),
                        RequestLegalBasis(request_id=police.id, treaty_code="untoc")])
    db_session.commit()
    client.post(f"/requests/{police.id}/moves/convert_to_mla", headers=EN,
                data={"version": str(police.version), "note": "Для использования в суде"})
    link = db_session.scalar(select(RequestLink).where(RequestLink.from_request_id == police.id))
    draft = db_session.get(AssistanceRequest, link.to_request_id)
    # a police channel and the police addressee reached through it do not carry a formal request
    assert (draft.channel_code, draft.addressee) == ("central_authority",
                                                     "Генеральная прокуратура Республики Узбекистан")
    assert [b.treaty_code for b in draft.legal_bases] == ["untoc"]  # the police-only agreement stays behind
    for name in ("contact_person", "use_restrictions", "urgency", "deadline_on", "deadline_reason"):
        assert getattr(draft, name) == getattr(police, name), name
    history = page(client, f"/requests/{draft.id}").split('data-testid="history"')[1]
    assert f"Converted from {police.reference}" in history


def test_the_edit_form_refills_the_routing_from_the_country_profile(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    item = complete_request(country="UZ", addressee="")
    plain = page(client, f"/requests/{item.id}/edit")
    assert "Генеральная прокуратура Республики Узбекистан" not in plain
    assert "Fill in from the country profile" in plain
    refilled = page(client, f"/requests/{item.id}/edit?refill=profile")
    assert "Генеральная прокуратура Республики Узбекистан</textarea>" in refilled
    assert "Торговля людьми" in refilled  # the rest of the request is as saved
    db_session.refresh(item)
    assert item.addressee == ""  # nothing is saved until the user saves


def test_a_status_enquiry_to_nobody_is_refused_and_names_the_field(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = complete_request(stage=Stage.SENT, addressee="", transmitted_on=date(2026, 11, 2),
                            outgoing_number="12-3/1458")
    letter = {"kind": "status_enquiry", "language": "ru", "second_language": "", "layout": "columns"}
    refused = unescape(client.post(f"/requests/{item.id}/letters", data=letter, headers=EN)
                       .get_data(as_text=True))
    assert "The letter has no recipient: name the partner's authority as the addressee" in refused
    assert db_session.scalar(select(func.count()).select_from(GeneratedDocument)) == 0
    item.addressee = "Генеральная прокуратура Республики Казахстан"
    db_session.commit()
    assert client.post(f"/requests/{item.id}/letters", data=letter, headers=EN).status_code == 302
    assert db_session.scalar(select(GeneratedDocument.letter_kind)) == "status_enquiry"


def test_an_acknowledgement_to_no_requesting_authority_is_refused(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED, country="KZ",
                        received_on=date(2026, 11, 2), partner_reference="KZ-2026/77")
    letter = {"kind": "acknowledgement", "language": "ru", "second_language": "", "layout": "columns"}
    refused = unescape(client.post(f"/requests/{item.id}/letters", data=letter, headers=EN)
                       .get_data(as_text=True))
    assert "The letter has no recipient: name the partner's authority that made the request" in refused
    assert db_session.scalar(select(func.count()).select_from(GeneratedDocument)) == 0


def test_an_empty_addressee_stops_the_submission_of_a_draft(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    item = complete_request(addressee="")
    response = client.post(f"/requests/{item.id}/moves/submit", data={"version": str(item.version)},
                           headers=EN)
    assert response.status_code == 400
    assert "The addressee is not named" in unescape(response.get_data(as_text=True))


def test_sending_a_supplementary_request_records_more_information_sent_on_the_original(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest], db_session: Session,
) -> None:
    drafter = login_as(Role.DRAFTER)
    original = complete_request(stage=Stage.ADDITIONAL_INFO_REQUESTED,
                                addressee="Генеральная прокуратура Республики Казахстан")
    client.post(f"/requests/{original.id}/supplementary", headers=EN)
    link = db_session.scalar(select(RequestLink).where(RequestLink.to_request_id == original.id))
    supplementary = db_session.get(AssistanceRequest, link.from_request_id)
    assert supplementary.created_by_id == drafter.id
    supplementary.stage = Stage.READY_TO_SEND  # reviewed and approved like any request
    db_session.commit()
    sign_in_as(client, make_user(Role.DESK), db_session)
    sent_on = date.today() - timedelta(days=1)
    response = client.post(f"/requests/{supplementary.id}/moves/transmit", headers=EN, data={
        "version": str(supplementary.version), "transmitted_on": sent_on.isoformat(),
        "channel": "central_authority", "outgoing_number": "21-3/1502"})
    assert response.status_code == 302
    db_session.refresh(original)
    assert original.stage == Stage.ADDITIONAL_INFO_SENT
    change = db_session.scalars(select(StageChange).where(StageChange.request_id == original.id)
                                .order_by(StageChange.id.desc())).first()
    assert change.move == "send_additional_info"
    assert change.details == {"transmitted_on": sent_on.isoformat(), "channel": "central_authority",
                              "outgoing_number": "21-3/1502", "supplementary": supplementary.reference}
    history = page(client, f"/requests/{original.id}").split('data-testid="history"')[1]
    assert f"Sent with supplementary request {supplementary.reference}" in history


def test_a_supplementary_after_a_refusal_leaves_the_original_as_it_is(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest], db_session: Session,
) -> None:
    login_as(Role.DESK)
    original = complete_request(stage=Stage.REFUSED, addressee="Генеральная прокуратура")
    client.post(f"/requests/{original.id}/supplementary", headers=EN)
    link = db_session.scalar(select(RequestLink).where(RequestLink.to_request_id == original.id))
    supplementary = db_session.get(AssistanceRequest, link.from_request_id)
    supplementary.stage = Stage.READY_TO_SEND
    db_session.add(Person(request_id=supplementary.id, role=PersonRole.WITNESS, name_original="Ким Олег",
                          nationality="KZ", address="Алматы"))
    db_session.add(Measure(request_id=supplementary.id, assistance_type_code="statement", details="Допрос"))
    db_session.commit()
    response = client.post(f"/requests/{supplementary.id}/moves/transmit", headers=EN, data={
        "version": str(supplementary.version), "transmitted_on": date.today().isoformat(),
        "channel": "central_authority", "outgoing_number": "21-3/1600"})
    assert response.status_code == 302
    db_session.refresh(original)
    assert original.stage == Stage.REFUSED
