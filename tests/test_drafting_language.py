"""The drafting language is the request's: the form records it (the office's by default, an incoming
request's the language the partner wrote in), translation pages and letters translate from it, and the
desk asks translators for any request at any open stage, incoming acknowledgements included."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.access import may_ask_for_translation, may_see_request
from mla.domain.enums import Direction, Role, Stage
from mla.models import AssistanceRequest, AuditEvent, GeneratedDocument, Office, TextTranslation, User
from tests.conftest import sign_in_as
from tests.test_letter_templates import text_of
from tests.test_letters import content

EN = {"Accept-Language": "en"}
Login = Callable[..., User]
RequestMaker = Callable[..., AssistanceRequest]
INCOMING_FROM_AFGHANISTAN = {
    "country_iso2": "AF", "request_language": "en", "channel_code": "diplomatic", "case_stage": "pre_trial",
    "urgency": "normal", "requesting_authority": "Attorney General's Office of Afghanistan",
    "addressee": "General Prosecutor's Office of the Republic of Tajikistan",
    "subject_matter": "Trafficking of two minors", "partner_reference": "AGO-1403/77",
    "received_on": "2026-11-20",
}
DARI = {"requesting_authority": "لوی څارنوالی افغانستان", "addressee": "دادستانی کل جمهوری تاجیکستان",
        "subject_matter": "قاچاق دو طفل"}


def _created(db: Session, prefix: str) -> AssistanceRequest:
    return db.scalars(select(AssistanceRequest).where(AssistanceRequest.reference.startswith(prefix))).one()


def test_an_incoming_request_written_in_english_is_translated_from_english(
    client: FlaskClient, login_as: Login, db_session: Session
) -> None:
    login_as(Role.DESK)
    created = client.post("/requests/new?direction=incoming&kind=mla", data=INCOMING_FROM_AFGHANISTAN,
                          headers=EN)
    assert created.status_code == 302, created.get_data(as_text=True)
    item = _created(db_session, "IN-MLA")
    assert item.drafting_language == "en"  # the language the partner wrote in
    shown = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert 'data-testid="drafting-language">English<' in shown

    page = client.get(f"/requests/{item.id}/translations?language=fa_AF", headers=EN).get_data(as_text=True)
    assert "Translated from English, the language the request is written in." in page
    assert 'value="en"' not in page.split('id="language"')[1].split("</select>")[0]  # not a target
    saved = client.post(f"/requests/{item.id}/translations?language=fa_AF", headers=EN,
                        data={**{f"t-{key}": text for key, text in DARI.items()},
                              **{f"v-{key}": "0" for key in DARI}})
    assert saved.status_code == 302

    item.stage = Stage.REGISTERED
    db_session.commit()
    for language in ("fa_AF", "en"):  # English needs no translation: it is the drafting language
        made = client.post(f"/requests/{item.id}/letters", headers=EN,
                           data={"kind": "acknowledgement", "language": language, "second_language": "",
                                 "layout": "separate"})
        assert made.status_code == 302, made.get_data(as_text=True)
    letters = {letter.language: text_of(content(db_session, letter)) for letter in db_session.scalars(
        select(GeneratedDocument).where(GeneratedDocument.request_id == item.id))}
    assert "ترجمه از زبان: انگلیسی" in letters["fa_AF"] and "روسی" not in letters["fa_AF"]
    assert "قاچاق دو طفل" in letters["fa_AF"]
    assert "Translation from" not in letters["en"] and "Trafficking of two minors" in letters["en"]


def test_a_new_request_takes_the_office_language_and_the_form_may_choose_another(
    client: FlaskClient, login_as: Login, db_session: Session, office: Office
) -> None:
    office.drafting_language = "tg"
    db_session.commit()
    login_as(Role.DRAFTER)
    form = client.get("/requests/new?direction=outgoing&kind=mla&country=KZ", headers=EN).get_data(True)
    assert '<option selected value="tg">' in form.split('name="drafting_language"')[1]
    data = {"country_iso2": "KZ", "case_stage": "pre_trial", "urgency": "normal",
            "subject_matter": "Торговля людьми"}
    refused = client.post("/requests/new?direction=outgoing&kind=mla", headers=EN,
                          data={**data, "drafting_language": "xx"})
    assert refused.status_code == 400 and "Торговля людьми" in refused.get_data(True)
    assert db_session.scalar(select(AssistanceRequest.id)) is None
    assert client.post("/requests/new?direction=outgoing&kind=mla", data=data).status_code == 302
    item = _created(db_session, "OUT-MLA")
    assert item.drafting_language == "tg"
    edit = client.get(f"/requests/{item.id}/edit", headers=EN).get_data(True)
    assert client.post(f"/requests/{item.id}/edit", data={**data, "drafting_language": "en",
                                                          "version": str(item.version)}).status_code == 302
    db_session.refresh(item)
    assert '<option selected value="tg">' in edit and item.drafting_language == "en"


def test_translators_are_asked_for_an_incoming_acknowledgement_until_the_request_ends(
    client: FlaskClient, make_user: Callable[..., User], make_request: RequestMaker, db_session: Session
) -> None:
    item = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED, country="AF",
                        drafting_language="en", request_language="en", received_on=date(2026, 11, 20),
                        **{key: value for key, value in INCOMING_FROM_AFGHANISTAN.items()
                           if key in {"requesting_authority", "addressee", "subject_matter"}})
    translator, desk = make_user(Role.TRANSLATOR), make_user(Role.DESK)
    sign_in_as(client, translator, db_session)
    assert client.get(f"/requests/{item.id}/translations", headers=EN).status_code == 404
    assert "Trafficking of two minors" not in client.get("/", headers=EN).get_data(True)
    assert client.post(f"/requests/{item.id}/translations/ask").status_code == 403

    sign_in_as(client, desk, db_session)
    page = client.get(f"/requests/{item.id}", headers=EN).get_data(True)
    assert "Ask the translators to translate this request" in page
    assert client.post(f"/requests/{item.id}/translations/ask").status_code == 302
    assert "The translators were asked to translate this request." in client.get(
        f"/requests/{item.id}", headers=EN).get_data(True)
    assert db_session.scalars(select(AuditEvent.action).where(AuditEvent.request_id == item.id)).all() == [
        "translation.ask"]

    sign_in_as(client, translator, db_session)
    assert item.reference in client.get("/", headers=EN).get_data(True)
    page = client.get(f"/requests/{item.id}/translations?language=fa_AF", headers=EN)
    assert page.status_code == 200 and "Translated from English" in page.get_data(True)
    saved = client.post(f"/requests/{item.id}/translations?language=fa_AF",
                        data={"t-subject_matter": DARI["subject_matter"], "v-subject_matter": "0"})
    assert saved.status_code == 302
    assert db_session.scalars(select(TextTranslation.text)).all() == [DARI["subject_matter"]]

    db_session.refresh(item)
    item.stage = Stage.CLOSED
    db_session.commit()
    assert client.get(f"/requests/{item.id}/translations", headers=EN).status_code == 404
    late = client.post(f"/requests/{item.id}/translations?language=fa_AF", headers=EN,
                       data={"t-addressee": "دادستانی کل", "v-addressee": "0"})
    assert late.status_code == 409 and "This request has ended" in late.get_data(True)
    assert "دادستانی کل" in late.get_data(True) and "Trafficking" not in late.get_data(True)


def test_who_sees_and_asks_for_a_translation_at_which_stage(make_user: Callable[..., User]) -> None:
    translator, desk, drafter = make_user(Role.TRANSLATOR), make_user(Role.DESK), make_user(Role.DRAFTER)
    seen = {(stage, asked): may_see_request(translator, 999, stage, assignee_id=None, translation_asked=asked)
            for stage in (Stage.TRANSLATION, Stage.REGISTERED, Stage.CLOSED) for asked in (False, True)}
    assert seen == {(Stage.TRANSLATION, False): True, (Stage.TRANSLATION, True): True,
                    (Stage.REGISTERED, False): False, (Stage.REGISTERED, True): True,
                    (Stage.CLOSED, False): False, (Stage.CLOSED, True): False}
    assert may_ask_for_translation(desk, Stage.DRAFT) and not may_ask_for_translation(desk, Stage.CLOSED)
    assert not may_ask_for_translation(translator, Stage.DRAFT)
    assert not may_ask_for_translation(drafter, Stage.DRAFT)
