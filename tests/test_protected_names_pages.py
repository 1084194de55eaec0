"""A protected person's name typed in free text does not leave the office: the request page says where
it is written, every letter printing it is refused, and the pseudonym replaces it in one step."""
import json
import re
from collections.abc import Callable
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.enums import Direction, PersonRole, Role, Stage
from mla.models import (
    AssistanceRequest,
    AuditEvent,
    GeneratedDocument,
    Measure,
    Person,
    TextTranslation,
    User,
)
from tests.conftest import sign_in_as
from tests.test_letters import complete_request
from tests.test_persons_measures import measure_form, person_form

EN = {"Accept-Language": "en"}
SECTION = "Names of protected persons in the text"
LETTER = {"kind": "mla_request", "language": "ru", "second_language": "", "layout": "columns"}
RequestMaker = Callable[..., AssistanceRequest]


def seen_versions(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(seen-[^"]+)" value="(\d+)"', page))


def test_a_name_typed_in_a_measure_blocks_the_letter_until_the_pseudonym_replaces_it(
    client: FlaskClient, login_as: Callable[..., User], make_request: RequestMaker, db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    item = complete_request(make_request, db_session, stage=Stage.DRAFT)
    victim = person_form(name_original="Қодирова Нилуфар", name_cyrillic="Кодирова Нилуфар",
                         name_latin="Qodirova Nilufar", patronymic="Саидовна", is_protected="y")
    assert client.post(f"/requests/{item.id}/persons/new", data=victim, headers=EN).status_code == 302
    typed = measure_form(assistance_type_code="statement",
                         details="Допросить потерпевшую Кодирову Н.С. об обстоятельствах вербовки.")
    assert client.post(f"/requests/{item.id}/measures/new", data=typed, headers=EN).status_code == 302
    measure = db_session.scalars(select(Measure).where(Measure.request_id == item.id)
                                 .order_by(Measure.id.desc())).first()

    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert SECTION in page
    assert "The name of protected person P-1 is written in What is asked of measure 2" in page
    refused = client.post(f"/requests/{item.id}/letters", data=LETTER, headers=EN)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "The name of protected person P-1 is written in What is asked of measure 2" in body
    assert f'href="/requests/{item.id}#protected-names"' in body
    letters = select(GeneratedDocument.id).where(GeneratedDocument.request_id == item.id)
    assert db_session.scalar(letters) is None

    seen = seen_versions(page)
    later = measure_form(assistance_type_code="statement", details="Ознакомить N. Qodirova с правами.")
    assert client.post(f"/requests/{item.id}/measures/new", data=later, headers=EN).status_code == 302
    stale = client.post(f"/requests/{item.id}/protected-names", data=seen, headers=EN)
    assert "The text was changed after you opened the page" in client.get(
        stale.headers["Location"], headers=EN).get_data(as_text=True)
    db_session.expire_all()
    assert "Кодирову Н.С." in db_session.get(Measure, measure.id).details
    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert "is written in What is asked of measure 3" in page

    replaced = client.post(f"/requests/{item.id}/protected-names", data=seen_versions(page), headers=EN)
    assert replaced.status_code == 302 and replaced.headers["Location"].endswith("#protected-names")
    db_session.expire_all()
    details = db_session.get(Measure, measure.id).details
    assert details == "Допросить потерпевшую P-1 об обстоятельствах вербовки."
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "request.pseudonymise"))
    assert event.changes["texts"][0] == f"measure:{measure.id}:details" and len(event.changes["texts"]) == 2
    assert event.changes["pseudonyms"] == ["P-1"]
    assert "Кодиров" not in json.dumps(event.changes, ensure_ascii=False)
    assert SECTION not in client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert client.post(f"/requests/{item.id}/letters", data=LETTER, headers=EN).status_code == 302


def test_a_name_in_a_translation_is_replaced_by_the_desk_over_the_version_it_saw(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User],
    make_request: RequestMaker, db_session: Session,
) -> None:
    desk = login_as(Role.DESK)
    item = complete_request(make_request, db_session, stage=Stage.TRANSLATION)
    db_session.add(Person(request_id=item.id, role=PersonRole.VICTIM, name_original="Қодирова Нилуфар",
                          is_protected=True, pseudonym="P-1"))
    translation = TextTranslation(request_id=item.id, field_key="facts_summary", language="en",
                                  text="Nilufar Qodirova was recruited in March 2026.")
    db_session.add(translation)
    db_session.commit()

    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert "is written in the English translation of Summary of the facts" in page
    seen = seen_versions(page)
    assert seen == {f"seen-translation:{translation.id}": "1"}
    translation.text = "Nilufar Qodirova was recruited in March and April 2026."
    db_session.commit()
    stale = client.post(f"/requests/{item.id}/protected-names", data=seen, headers=EN)
    assert "The text was changed after you opened the page" in client.get(
        stale.headers["Location"], headers=EN).get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(TextTranslation, translation.id).text.startswith("Nilufar Qodirova")

    sign_in_as(client, make_user(Role.DRAFTER), db_session)
    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert SECTION in page and "Replace the names with the pseudonyms" not in page
    refused = client.post(f"/requests/{item.id}/protected-names", data=seen_versions(page), headers=EN)
    assert "cannot be changed at its current stage" in client.get(
        refused.headers["Location"], headers=EN).get_data(as_text=True)

    sign_in_as(client, desk, db_session)
    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    client.post(f"/requests/{item.id}/protected-names", data=seen_versions(page), headers=EN)
    db_session.expire_all()
    text = db_session.get(TextTranslation, translation.id).text
    assert text == "P-1 was recruited in March and April 2026."


def test_an_acknowledgement_printing_a_protected_name_is_refused_as_well(
    client: FlaskClient, login_as: Callable[..., User], make_request: RequestMaker, db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED, country="AF",
                        drafting_language="en", request_language="en", channel_code="diplomatic",
                        requesting_authority="Attorney General's Office of Afghanistan",
                        addressee="General Prosecutor's Office of the Republic of Tajikistan",
                        subject_matter="Trafficking of Mariam Ahmadi, a minor",
                        partner_reference="AGO-1403/77", received_on=date(2026, 11, 20))
    db_session.add(Person(request_id=item.id, role=PersonRole.VICTIM, name_original="مریم احمدی",
                          name_latin="Maryam Ahmadi", is_protected=True, is_child=True, pseudonym="P-1"))
    db_session.commit()
    letter = {"kind": "acknowledgement", "language": "en", "second_language": "", "layout": "columns"}
    refused = client.post(f"/requests/{item.id}/letters", data=letter, headers=EN)
    assert refused.status_code == 400
    assert "The name of protected person P-1 is written in Subject matter" in refused.get_data(as_text=True)

    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    client.post(f"/requests/{item.id}/protected-names", data=seen_versions(page), headers=EN)
    db_session.expire_all()
    assert db_session.get(AssistanceRequest, item.id).subject_matter == "Trafficking of P-1, a minor"
    assert client.post(f"/requests/{item.id}/letters", data=letter, headers=EN).status_code == 302
