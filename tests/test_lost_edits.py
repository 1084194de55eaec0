"""Nothing lost: two people saving the same person, measure, result or translation, a stage that moves
while someone types, and forms whose version is missing or garbled. Each test acts as the users would,
through their own browsers (test clients)."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mla.domain.enums import Direction, MeasureStatus, PersonRole, RequestKind, Role, Stage
from mla.migrations import upgrade
from mla.models import AssistanceRequest, Measure, Office, Person, PersonDocument, TextTranslation, User
from mla.reference.loader import load_reference
from mla.services.operations.reference import load_reference_data
from tests.conftest import insert_old_row, sign_in_as
from tests.test_letters import complete_request
from tests.test_persons_measures import make_measure, make_person, measure_form, person_form
from tests.test_requests import request_form

EN = {"Accept-Language": "en"}
RequestMaker = Callable[..., AssistanceRequest]
UserMaker = Callable[..., User]
STALE_PERSON = "Someone else saved this person after you opened the form."
STALE_MEASURE = "Someone else saved this measure after you opened the form."
STALE_TRANSLATION = "Someone else changed the translation of this field after you opened the page."
STALE_REMOVAL = "Someone else changed this after you opened the page, so nothing was removed."
NO_VERSION = "The form did not say which version of the record it was opened on"


@pytest.fixture
def signed_in(app: Flask, db_session: Session) -> Callable[[User], FlaskClient]:
    """A browser of its own, signed in as `user`."""

    def open_as(user: User) -> FlaskClient:
        client = app.test_client()
        sign_in_as(client, user, db_session)
        return client

    return open_as


def hidden(page: str, name: str) -> str:
    """The value of the hidden input `name` on a page, as the browser would post it back."""
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    assert found is not None, name
    return found.group(1)


def opened(client: FlaskClient, path: str) -> str:
    page = client.get(path, headers=EN)
    assert page.status_code == 200, path
    return page.get_data(as_text=True)


def test_the_second_of_two_person_saves_is_refused_and_keeps_what_was_typed(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    first = make_user(Role.DRAFTER)
    second = make_user(Role.DRAFTER)
    item = make_request()
    person = make_person(db_session, first, item)
    path = f"/requests/{item.id}/persons/{person.id}"
    alice = signed_in(first)
    bob = signed_in(second)
    version_a = hidden(opened(alice, path), "version")
    version_b = hidden(opened(bob, path), "version")
    saved = alice.post(path, data=person_form(name_original="Каримов Алишер", name_latin="Karimov Alisher",
                                               version=version_a))
    assert saved.status_code == 302
    refused = bob.post(path, data=person_form(name_original="Каримов Алишер", address="Худжанд, ул. Ленина 5",
                                              version=version_b), headers=EN)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and STALE_PERSON in body and "Худжанд, ул. Ленина 5" in body
    db_session.expire_all()
    stored = db_session.get(Person, person.id)
    assert (stored.name_latin, stored.address) == ("Karimov Alisher", "")
    again = bob.post(path, data=person_form(name_original="Каримов Алишер", address="Худжанд, ул. Ленина 5",
                                            version=hidden(body, "version")))
    assert again.status_code == 302  # after review, the second user may overwrite on purpose
    db_session.expire_all()
    assert db_session.get(Person, person.id).address == "Худжанд, ул. Ленина 5"


def test_the_second_of_two_measure_saves_is_refused_and_keeps_what_was_typed(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    first = make_user(Role.DRAFTER)
    second = make_user(Role.DESK)
    item = make_request()
    measure = make_measure(db_session, first, item)
    path = f"/requests/{item.id}/measures/{measure.id}"
    alice = signed_in(first)
    bob = signed_in(second)
    version_a = hidden(opened(alice, path), "version")
    version_b = hidden(opened(bob, path), "version")
    assert alice.post(path, data=measure_form(details="Bank X, 2024", version=version_a)).status_code == 302
    refused = bob.post(path, data=measure_form(details="Bank Y, 2025", version=version_b), headers=EN)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and STALE_MEASURE in body and "Bank Y, 2025" in body
    db_session.expire_all()
    assert db_session.get(Measure, measure.id).details == "Bank X, 2024"


def test_a_result_recorded_over_a_newer_one_is_refused(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    first = make_user(Role.DESK)
    second = make_user(Role.MANAGER)
    item = make_request()
    measure = make_measure(db_session, first, item)
    item.stage = Stage.SENT
    db_session.commit()
    path = f"/requests/{item.id}/measures/{measure.id}/result"
    alice = signed_in(first)
    bob = signed_in(second)
    version_a = hidden(opened(alice, path), "version")
    version_b = hidden(opened(bob, path), "version")
    assert alice.post(path, data={"status": "refused", "result_note": "Dual criminality",
                                  "version": version_a}).status_code == 302
    refused = bob.post(path, data={"status": "executed", "result_note": "Протокол получен",
                                   "version": version_b}, headers=EN)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and STALE_MEASURE in body and "Протокол получен" in body
    db_session.expire_all()
    assert db_session.get(Measure, measure.id).status == MeasureStatus.REFUSED


def test_removing_a_person_or_measure_someone_changed_meanwhile_is_refused(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    first = make_user(Role.DRAFTER)
    second = make_user(Role.DRAFTER)
    item = make_request()
    person, measure = make_person(db_session, first, item), make_measure(db_session, first, item)
    alice = signed_in(first)
    bob = signed_in(second)
    request_page = opened(bob, f"/requests/{item.id}")
    assert alice.post(f"/requests/{item.id}/persons/{person.id}", data=person_form(
        name_original="Каримов Алишер", id_documents="Паспорт 401234567", version="1")).status_code == 302
    assert alice.post(f"/requests/{item.id}/measures/{measure.id}",
                      data=measure_form(version="1")).status_code == 302
    for path in (f"/requests/{item.id}/persons/{person.id}/remove",
                 f"/requests/{item.id}/measures/{measure.id}/remove"):
        removal = bob.post(path, data={"version": hidden(request_page[request_page.index(path):], "version")})
        assert removal.status_code == 302
        assert STALE_REMOVAL in bob.get(removal.headers["Location"], headers=EN).get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Person, person.id).id_documents == "Паспорт 401234567"
    assert db_session.get(Measure, measure.id) is not None


def test_the_second_of_two_administrators_saving_an_account_is_refused(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, db_session: Session,
) -> None:
    account = make_user(Role.DRAFTER)
    path = f"/admin/users/{account.id}"
    alice = signed_in(make_user(Role.ADMIN))
    bob = signed_in(make_user(Role.ADMIN))
    version_a = hidden(opened(alice, path), "version")
    version_b = hidden(opened(bob, path), "version")
    signed_in(account).get("/")  # the account's own use of the application moves nothing
    assert alice.post(path, data={"full_name": account.full_name, "role": "manager", "office": "TST",
                                  "is_active": "y", "version": version_a}).status_code == 302
    refused = bob.post(path, data={"full_name": "Renamed by Bob", "role": "drafter", "office": "TST",
                                   "is_active": "y", "version": version_b}, headers=EN)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Another administrator saved this account after you opened the form." in body
    assert "Renamed by Bob" in body
    db_session.expire_all()
    stored = db_session.get(User, account.id)
    assert (stored.role, stored.full_name) == (Role.MANAGER, account.full_name)
    missing = bob.post(path, data={"full_name": "Renamed by Bob", "role": "drafter", "office": "TST",
                                   "is_active": "y"}, headers=EN)
    assert missing.status_code == 409 and NO_VERSION in missing.get_data(as_text=True)


def translation_request(make_request: RequestMaker, db: Session) -> AssistanceRequest:
    return complete_request(make_request, db, stage=Stage.TRANSLATION)


def test_a_stale_empty_translation_box_does_not_delete_another_translators_text(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    item = translation_request(make_request, db_session)
    path = f"/requests/{item.id}/translations?language=en"
    alice = signed_in(make_user(Role.TRANSLATOR))
    bob = signed_in(make_user(Role.TRANSLATOR))
    page_a = opened(alice, path)
    page_b = opened(bob, path)
    assert alice.post(path, data={"t-purpose": "To establish how the victims were recruited.",
                                  "v-purpose": hidden(page_a, "v-purpose")}).status_code == 302
    # Bob's page still has an empty purpose box; he only typed the subject matter.
    refused = bob.post(path, data={"t-purpose": "", "v-purpose": hidden(page_b, "v-purpose"),
                                   "t-subject_matter": "Criminal case of trafficking in persons",
                                   "v-subject_matter": hidden(page_b, "v-subject_matter")}, headers=EN)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and STALE_TRANSLATION in body
    assert "Criminal case of trafficking in persons" in body  # what Bob typed stays
    assert "The translation saved now:" in body and "To establish how the victims were recruited." in body
    db_session.expire_all()
    rows = {row.field_key: row.text for row in db_session.scalars(select(TextTranslation))}
    assert rows == {"purpose": "To establish how the victims were recruited."}  # nothing half-written


def test_the_second_translation_of_a_field_is_refused_then_may_overwrite_after_review(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    item = translation_request(make_request, db_session)
    path = f"/requests/{item.id}/translations?language=en"
    alice = signed_in(make_user(Role.TRANSLATOR))
    bob = signed_in(make_user(Role.DESK))
    page_a = opened(alice, path)
    page_b = opened(bob, path)
    assert alice.post(path, data={"t-purpose": "First text",
                                  "v-purpose": hidden(page_a, "v-purpose")}).status_code == 302
    same = bob.post(path, data={"t-purpose": "First text", "v-purpose": hidden(page_b, "v-purpose")})
    assert same.status_code == 302  # both typed the same: nothing to lose
    refused = bob.post(path, data={"t-purpose": "Second text", "v-purpose": hidden(page_b, "v-purpose")},
                       headers=EN)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Second text" in body and "First text" in body
    assert db_session.scalar(select(TextTranslation.text)) == "First text"
    again = bob.post(path, data={"t-purpose": "Second text", "v-purpose": hidden(body, "v-purpose")})
    assert again.status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(TextTranslation.text)) == "Second text"


def test_an_emptied_translation_keeps_counting_its_version(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    """Emptied then entered again meanwhile, a translation is still newer than the page showed."""
    item = translation_request(make_request, db_session)
    path = f"/requests/{item.id}/translations?language=en"
    alice = signed_in(make_user(Role.TRANSLATOR))
    bob = signed_in(make_user(Role.TRANSLATOR))
    alice.post(path, data={"t-purpose": "One", "v-purpose": "0"})
    stale = hidden(opened(bob, path), "v-purpose")
    alice.post(path, data={"t-purpose": "", "v-purpose": hidden(opened(alice, path), "v-purpose")})
    alice.post(path, data={"t-purpose": "Three", "v-purpose": hidden(opened(alice, path), "v-purpose")})
    refused = bob.post(path, data={"t-purpose": "Two", "v-purpose": stale}, headers=EN)
    assert refused.status_code == 409
    db_session.expire_all()
    assert db_session.scalar(select(TextTranslation.text)) == "Three"


def _withdraw(client: FlaskClient, item: AssistanceRequest, db: Session) -> None:
    db.refresh(item)
    moved = client.post(f"/requests/{item.id}/moves/withdraw",
                        data={"version": str(item.version), "reason": "The case was closed."})
    assert moved.status_code == 302


def test_a_withdrawal_while_someone_types_refuses_their_save_on_the_form(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    drafter = make_user(Role.DRAFTER)
    manager = make_user(Role.MANAGER)
    item = make_request()
    person, measure = make_person(db_session, drafter, item), make_measure(db_session, drafter, item)
    typist = signed_in(drafter)
    persons, measures = "The persons of this request", "The measures of this request"
    forms = {
        f"/requests/{item.id}/edit": (request_form(purpose="Typed purpose"), "This request cannot be edited"),
        f"/requests/{item.id}/persons/new": (person_form(aliases="Typed alias"), persons),
        f"/requests/{item.id}/persons/{person.id}": (person_form(aliases="Typed alias"), persons),
        f"/requests/{item.id}/measures/new": (measure_form(details="Typed details"), measures),
        f"/requests/{item.id}/measures/{measure.id}": (measure_form(details="Typed details"), measures),
    }
    versions = {path: hidden(opened(typist, path), "version") for path in forms if "/new" not in path}
    _withdraw(signed_in(manager), item, db_session)
    for path, (typed, message) in forms.items():
        response = typist.post(path, data={**typed, "version": versions.get(path, "")}, headers=EN)
        body = response.get_data(as_text=True)
        assert response.status_code == 409, path
        assert message in body and "Typed" in body, path
    db_session.expire_all()
    assert db_session.get(AssistanceRequest, item.id).purpose == ""
    assert len(list(db_session.scalars(select(Person)))) == 1
    assert db_session.get(Measure, measure.id).details == "Interview the witness"


def test_a_result_typed_while_the_request_is_withdrawn_stays_on_the_form(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    desk = make_user(Role.DESK)
    manager = make_user(Role.MANAGER)
    item = make_request()
    measure = make_measure(db_session, desk, item)
    item.stage = Stage.SENT
    db_session.commit()
    path = f"/requests/{item.id}/measures/{measure.id}/result"
    typist = signed_in(desk)
    version = hidden(opened(typist, path), "version")
    _withdraw(signed_in(manager), item, db_session)
    response = typist.post(path, data={"status": "executed", "result_note": "Typed result note",
                                       "version": version}, headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Results cannot be recorded for this request at its current stage." in body
    assert "Typed result note" in body
    db_session.expire_all()
    assert db_session.get(Measure, measure.id).status == MeasureStatus.PENDING


def test_a_translator_whose_request_left_translation_gets_the_typed_text_back(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session,
) -> None:
    item = translation_request(make_request, db_session)
    path = f"/requests/{item.id}/translations?language=en"
    typist = signed_in(make_user(Role.TRANSLATOR))
    other = signed_in(make_user(Role.TRANSLATOR))
    page = opened(typist, path)
    db_session.refresh(item)
    finished = other.post(f"/requests/{item.id}/moves/finish_translation",
                          data={"version": str(item.version)})
    assert finished.status_code == 302
    response = typist.post(path, data={"t-purpose": "Typed translation of the purpose",
                                       "v-purpose": hidden(page, "v-purpose")}, headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This request has left the translation stage" in body
    assert "Typed translation of the purpose" in body
    assert "Установить обстоятельства вербовки." not in body  # nothing of the request it may no longer see
    assert db_session.scalar(select(TextTranslation.id)) is None
    never = make_request(stage=Stage.DRAFT)  # one that never waited for translation stays unseen
    assert typist.post(f"/requests/{never.id}/translations", data={"t-purpose": "x"}).status_code == 404


@pytest.mark.parametrize("version", [None, "", "abc", "²", "-1", "1.0", "9" * 30])
def test_a_missing_or_garbled_version_is_a_message_not_a_500(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session, version: str | None,
) -> None:
    drafter = make_user(Role.DRAFTER)
    desk = make_user(Role.DESK)
    item = make_request(stage=Stage.DRAFT, purpose="Допрос потерпевшей")
    person, measure = make_person(db_session, drafter, item), make_measure(db_session, drafter, item)
    forms = {
        f"/requests/{item.id}/edit": request_form(purpose="Typed purpose"),
        f"/requests/{item.id}/persons/{person.id}": person_form(aliases="Typed alias"),
        f"/requests/{item.id}/measures/{measure.id}": measure_form(details="Typed details"),
        f"/requests/{item.id}/measures/{measure.id}/result": {"status": "refused",
                                                              "result_note": "Typed note"},
        f"/requests/{item.id}/translations?language=en": {"t-purpose": "Typed translation"},
    }
    client = signed_in(desk)
    for path, typed in forms.items():
        name = "v-purpose" if "translations" in path else "version"
        data = typed if version is None else {**typed, name: version}
        response = client.post(path, data=data, headers=EN)
        body = response.get_data(as_text=True)
        assert response.status_code == 409, path
        assert NO_VERSION in body and "Typed" in body, path
    db_session.expire_all()
    assert db_session.get(AssistanceRequest, item.id).purpose == "Допрос потерпевшей"
    assert db_session.get(Person, person.id).aliases == ""
    assert db_session.get(Measure, measure.id).status == MeasureStatus.PENDING
    assert db_session.scalar(select(TextTranslation.id)) is None


def test_the_migration_starts_existing_rows_at_version_1(fresh_databases: Callable[[], str]) -> None:
    url = fresh_databases()
    upgrade(url, "0008_request_search")
    engine = create_engine(url)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        load_reference_data(session, load_reference())
        office_id = insert_old_row(session, Office, code="OLD", name="Office", created_at=at)
        request_id = insert_old_row(
            session, AssistanceRequest, reference="OLD-MLA-2025-0001", direction=Direction.OUTGOING,
            kind=RequestKind.MLA, stage=Stage.DRAFT, office_id=office_id, country_iso2="KZ", created_at=at,
            updated_at=at, version=3)
        person_id = insert_old_row(session, Person, request_id=request_id, role=PersonRole.SUSPECT.value,
                             name_original="Каримов", created_at=at)
        session.execute(insert(PersonDocument.__table__).values(person_id=person_id, number_key="401234567"))
        insert_old_row(session, Measure, request_id=request_id, assistance_type_code="statement",
                 status=MeasureStatus.PENDING.value, created_at=at)
        insert_old_row(session, TextTranslation, request_id=request_id, field_key="purpose", language="en",
                 text="Purpose", updated_at=at)
        session.commit()
    upgrade(url)
    with engine.connect() as connection:
        versions = [connection.execute(text(f"SELECT version FROM {table}")).scalar_one()  # nosec B608
                    for table in ("person", "measure", "text_translation", "assistance_request")]
        documents = connection.execute(text("SELECT count(*) FROM person_document")).scalar_one()
    engine.dispose()
    assert versions == [1, 1, 1, 3] and documents == 1


def test_a_write_that_meets_another_at_the_same_instant_is_a_message_not_a_500(
    signed_in: Callable[[User], FlaskClient], make_user: UserMaker, make_request: RequestMaker,
    db_session: Session, monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = make_user(Role.DESK)
    first = make_person(db_session, desk, make_request())
    second = make_person(db_session, desk, make_request())

    def raced(*args: object, **kwargs: object) -> None:
        raise StaleDataError("UPDATE statement on table 'person' expected to update 1 row(s); 0 matched.")

    monkeypatch.setattr("mla.web.search.views.link_persons", raced)
    response = signed_in(desk).post(f"/search/persons/{first.id}/link", data={"other_id": str(second.id)},
                                    headers=EN)
    assert response.status_code == 409
    assert "Someone else saved the same record at the same moment" in response.get_data(as_text=True)
