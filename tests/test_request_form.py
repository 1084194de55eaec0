"""The request form (issue 17, item 9): one partner-country field whose choice fills in the profile's
addressee, language, channel and every legal basis both States are party to that fits the offence, by a
script asking the server or, without script, by a button that keeps what was typed; and the request page
shows every field the form took."""
import re
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape

from babel.dates import format_date
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.domain.enums import Direction, Role, Stage
from mla.models import AssistanceRequest, User

EN = {"Accept-Language": "en"}
NEW = "/requests/new?direction=outgoing&kind=mla"
PROFILE = "/requests/profile?direction=outgoing&kind=mla"
KZ_AUTHORITY = "Генеральная прокуратура Республики Казахстан"
DEADLINE = date.today() + timedelta(days=200)


def ticked(body: str) -> set[str]:
    return {match.group(1) for match in re.finditer(
        r'<input checked id="legal_bases-\d+" name="legal_bases" type="checkbox" value="([a-z0-9_]+)"', body)}


def requests_made(db_session: Session) -> int:
    return db_session.scalar(select(func.count()).select_from(AssistanceRequest)) or 0


def test_the_profile_gives_every_basis_that_fits_trafficking_to_kazakhstan(
    client: FlaskClient, login_as: Callable[..., User],
) -> None:
    login_as(Role.DRAFTER)
    answer = client.get(PROFILE + "&country=KZ&offence=trafficking_in_persons", headers=EN).get_json()
    assert answer["fields"]["addressee"] == KZ_AUTHORITY
    assert (answer["fields"]["request_language"], answer["fields"]["channel_code"]) == ("ru",
                                                                                      "central_authority")
    assert answer["fields"]["legal_bases"] == ["untoc", "tip_protocol", "minsk_1993"]
    assert "Kazakhstan" in answer["message"]
    assert ["ru", "Russian"] in answer["options"]["request_language"]
    assert ["tg", "Tajik — not accepted by Kazakhstan"] in answer["options"]["request_language"]
    assert "not verified yet" in answer["unverified"]  # the profile of Kazakhstan rests partly on [B] facts
    smuggling = client.get(PROFILE + "&country=KZ&offence=smuggling_of_migrants").get_json()
    assert smuggling["fields"]["legal_bases"] == ["untoc", "som_protocol", "minsk_1993"]
    # the offence not yet chosen: only what covers any offence; reciprocity only where no treaty fits
    assert client.get(PROFILE + "&country=KZ").get_json()["fields"]["legal_bases"] == ["minsk_1993"]
    assert client.get(PROFILE + "&country=PK&offence=other").get_json()["fields"]["legal_bases"] == [
        "reciprocity"]
    # an incoming request: the partner's authority is the requesting one
    incoming = client.get("/requests/profile?direction=incoming&kind=mla&country=KZ").get_json()
    assert incoming["fields"]["requesting_authority"] == KZ_AUTHORITY
    assert "addressee" not in incoming["fields"]
    assert client.get(PROFILE + "&country=ZZ").status_code == 404
    assert client.get("/requests/profile?direction=sideways&kind=mla&country=KZ").status_code == 404


def test_the_form_has_one_country_field_and_the_button_fills_in_keeping_what_was_typed(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    blank = client.get(NEW, headers=EN).get_data(as_text=True)
    assert blank.count('name="country_iso2"') == 1 and 'name="country"' not in blank
    assert 'src="/static/profile_prefill.js"' in blank
    typed = {"country_iso2": "KZ", "offence_category": "trafficking_in_persons", "case_stage": "pre_trial",
             "urgency": "normal", "subject_matter": "Вербовка граждан в Алматы", "addressee": "",
             "contact_person": "Прокурор Каримов", "legal_bases": ["uncac"], "prefill": "profile"}
    filled = unescape(client.post(NEW, data=typed, headers=EN).get_data(as_text=True))
    assert f"{KZ_AUTHORITY}</textarea>" in filled
    assert ticked(filled) == {"untoc", "tip_protocol", "minsk_1993"}
    assert "Вербовка граждан в Алматы</textarea>" in filled and "Прокурор Каримов</textarea>" in filled
    assert '<option selected value="trafficking_in_persons">' in filled
    assert requests_made(db_session) == 0  # nothing is saved until the user saves


def test_the_edit_form_fills_in_from_a_new_country_keeping_the_edits(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    item = complete_request(country="UZ")
    edited = {"version": str(item.version), "country_iso2": "KZ",
              "offence_category": "trafficking_in_persons", "case_stage": "pre_trial", "urgency": "normal",
              "purpose": "Допрос свидетеля Н.", "prefill": "profile"}
    response = client.post(f"/requests/{item.id}/edit", data=edited, headers=EN)
    filled = unescape(response.get_data(as_text=True))
    assert f"{KZ_AUTHORITY}</textarea>" in filled and "Допрос свидетеля Н.</textarea>" in filled
    assert ticked(filled) == {"untoc", "tip_protocol", "minsk_1993"}
    db_session.refresh(item)
    assert item.country_iso2 == "UZ" and item.purpose == "Допрос потерпевшей"


def test_the_edit_form_of_an_incoming_request_keeps_the_partners_authority_as_registered(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
) -> None:
    login_as(Role.DESK)
    item = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED, country="KZ")
    response = client.get(f"/requests/{item.id}/edit", headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'name="country_iso2"' in body
    assert "data-profile-url" not in body and 'name="prefill"' not in body


TYPED = {
    "country_iso2": "KZ", "requesting_authority": "Прокуратура Согдийской области",
    "conducting_authority": "Следственный отдел прокуратуры Согдийской области",
    "addressee": KZ_AUTHORITY, "channel_code": "central_authority", "legal_bases": ["untoc", "minsk_1993"],
    "request_language": "ru", "case_number": "2026/117", "case_stage": "trial",
    "offence_category": "trafficking_in_persons", "subject_matter": "Уголовное дело о торговле людьми",
    "facts_summary": "Вербовка граждан для принудительного труда", "offences": "ч. 2 ст. 130¹ УК РТ",
    "law_text_annexed": "y", "dual_criminality_note": "ст. 128 УК РК", "purpose": "Допрос потерпевшей",
    "evidence_location_reason": "Потерпевшая проживает в Алматы", "urgency": "urgent",
    "deadline_on": DEADLINE.isoformat(), "deadline_reason": "Срок содержания под стражей истекает",
    "is_confidential": "y", "confidentiality_reason": "Угроза потерпевшей",
    "use_restrictions": "Только для уголовного дела № 2026/117", "victim_protection": "Не раскрывать адрес",
    "handling_code": "H2", "prior_informal_contact": "Запрос по линии Интерпола от 3 ноября",
    "contact_person": "Прокурор Каримов, +992 37 221 00 00",
    "costs_note": "Расходы несет запрашивающая сторона",
}
SHOWN = {  # each field as the request page shows it, under the label the form gives it
    "Partner country": "Kazakhstan", "National case number": "2026/117",
    "Stage of the proceedings": "Trial", "Offence category": "Trafficking in persons",
    "Equivalent offence in the requested State": "ст. 128 УК РК",
    "Why the evidence or person is believed to be there": "Потерпевшая проживает в Алматы",
    "Urgency": "Urgent", "Reason for the deadline": "Срок содержания под стражей истекает",
    "Use restrictions accepted or requested": "Только для уголовного дела № 2026/117",
    "Handling code": "H2", "Prior informal or police contact": "Запрос по линии Интерпола от 3 ноября",
    "Contact person for clarifications": "Прокурор Каримов, +992 37 221 00 00",
    "Costs": "Расходы несет запрашивающая сторона",
}


def test_the_request_page_shows_every_field_typed_with_its_label(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    assert client.post(NEW, data=TYPED, headers=EN).status_code == 302
    item = db_session.scalar(select(AssistanceRequest))
    page = unescape(client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True))
    for name, value in TYPED.items():
        if name not in {"country_iso2", "channel_code", "legal_bases", "request_language", "case_stage",
                        "offence_category", "law_text_annexed", "urgency", "deadline_on", "is_confidential"}:
            assert value in page, name
    for label, value in SHOWN.items():
        assert re.search(rf"<dt[^>]*>{re.escape(label)}</dt>\s*<dd[^>]*>{re.escape(value)}</dd>", page), label
    assert "The text of the applicable provisions is annexed" in page
    assert "Central authority" in page and "Russian" in page
    assert format_date(DEADLINE, "long", locale="en") in page
