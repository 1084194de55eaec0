"""Persons and requested measures of a request: who may change them, when, and what bad input gets."""
import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.domain.enums import Direction, MeasureStatus, PersonRole, Role, Stage
from mla.domain.errors import DomainError
from mla.models import AssistanceRequest, AssistanceType, AuditEvent, Measure, Office, Person, User
from mla.services.persons.editing import PersonInput, add_person
from mla.services.requests.measures import MeasureInput, add_measure
from tests.conftest import FIXED_NOW

EN = {"Accept-Language": "en"}
RequestMaker = Callable[..., AssistanceRequest]
Login = Callable[..., User]
FUTURE = (date.today() + timedelta(days=3)).isoformat()


def person_form(**overrides: str) -> dict[str, str]:
    form = {"role": "victim", "name_original": "Иванова Мария Петровна", "name_latin": "Ivanova Mariya",
            "name_cyrillic": "Иванова Мария", "birth_date": "1999-04-05", "nationality": "TJ",
            "gender": "female", "victim_language": "tg"}
    form.update(overrides)
    return form


def measure_form(**overrides: str) -> dict[str, str]:
    form = {"assistance_type_code": "records_bank",
            "details": "Bank X, account 123, 2024-01 to 2024-06, statements", "procedure": "Certified copies"}
    form.update(overrides)
    return form


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model))


def events(db: Session, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def make_person(db: Session, user: User, item: AssistanceRequest, **fields: object) -> Person:
    values = {"role": PersonRole.SUSPECT, "name_original": "Каримов Алишер", **fields}
    person = add_person(db, actor=user, now=FIXED_NOW, item=item, data=PersonInput(**values))
    db.commit()
    return person


def make_measure(db: Session, user: User, item: AssistanceRequest, code: str = "statement") -> Measure:
    measure = add_measure(db, actor=user, now=FIXED_NOW, item=item,
                          data=MeasureInput(assistance_type_code=code, details="Interview the witness"))
    db.commit()
    return measure


def test_drafter_adds_a_protected_victim_with_pseudonym_and_no_name_in_audit(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    drafter = login_as(Role.DRAFTER)
    item = make_request()
    response = client.post(f"/requests/{item.id}/persons/new", data=person_form(is_protected="y"), headers=EN)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/requests/{item.id}#persons")
    person = db_session.scalar(select(Person).where(Person.request_id == item.id))
    assert (person.name_original, person.name_latin, person.name_cyrillic) == (
        "Иванова Мария Петровна", "Ivanova Mariya", "Иванова Мария")
    assert person.is_protected and person.pseudonym == "P-1" and person.name_key == ""
    assert person.birth_date == date(1999, 4, 5)
    [event] = events(db_session, "person.add")
    assert event.actor_id == drafter.id and event.request_id == item.id
    assert event.object_id == str(person.id)
    logged = json.dumps(event.changes, ensure_ascii=False)
    for secret in ("Иванова", "Ivanova", "1999-04-05"):
        assert secret not in logged
    assert "name_original" in event.changes["withheld"]
    assert event.changes["pseudonym"] == [None, "P-1"]
    second = client.post(f"/requests/{item.id}/persons/new",
                         data=person_form(role="witness", name_original="Другой", is_protected="y"))
    assert second.status_code == 302
    pseudonyms = db_session.scalars(select(Person.pseudonym).where(Person.request_id == item.id))
    assert sorted(pseudonyms) == ["P-1", "P-2"]


def test_drafter_edits_and_removes_a_person_with_audit(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    drafter = login_as(Role.DRAFTER)
    item = make_request()
    person = make_person(db_session, drafter, item)
    page = client.get(f"/requests/{item.id}/persons/{person.id}", headers=EN)
    assert page.status_code == 200 and "Каримов Алишер" in page.get_data(as_text=True)
    assert "<title>Edit a person · " in page.get_data(as_text=True)
    response = client.post(f"/requests/{item.id}/persons/{person.id}",
                           data=person_form(role="suspect", name_original="Каримов Алишер",
                                            name_latin="Karimov Alisher", version="1"))
    assert response.status_code == 302
    db_session.refresh(person)
    assert person.name_latin == "Karimov Alisher" and person.role == PersonRole.SUSPECT
    [update] = events(db_session, "person.update")
    assert update.changes["name_latin"] == ["", "Karimov Alisher"]
    assert client.post(f"/requests/{item.id}/persons/{person.id}/remove",
                       data={"version": "2"}).status_code == 302
    assert count(db_session, Person) == 0
    [removal] = events(db_session, "person.remove")
    assert removal.changes["name_original"] == ["Каримов Алишер", None]


def test_editing_a_protected_person_logs_field_names_only(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    drafter = login_as(Role.DRAFTER)
    item = make_request()
    person = make_person(db_session, drafter, item, role=PersonRole.VICTIM, is_protected=True,
                         name_original="Секретова Анна")
    response = client.post(f"/requests/{item.id}/persons/{person.id}",
                           data=person_form(name_original="Секретова Анна", name_latin="Sekretova Anna",
                                            is_protected="y", pseudonym=person.pseudonym, version="1"))
    assert response.status_code == 302
    [update] = events(db_session, "person.update")
    assert "name_latin" in update.changes["withheld"]
    assert "Sekretova" not in json.dumps(update.changes, ensure_ascii=False)
    client.post(f"/requests/{item.id}/persons/{person.id}/remove", data={"version": "2"})
    [removal] = events(db_session, "person.remove")
    assert "Секретова" not in json.dumps(removal.changes, ensure_ascii=False)


@pytest.mark.parametrize("role", [Role.TRANSLATOR, Role.ADMIN])
def test_translator_and_admin_are_refused(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session,
    make_user: Callable[..., User], role: Role,
) -> None:
    login_as(role)
    item = make_request()
    person = make_person(db_session, make_user(Role.DESK), item)
    measure = make_measure(db_session, make_user(Role.DESK), item)
    item.stage = Stage.TRANSLATION  # the translator sees the request, but changes nothing in it
    db_session.commit()
    paths = [f"/requests/{item.id}/persons/new", f"/requests/{item.id}/persons/{person.id}",
             f"/requests/{item.id}/measures/new", f"/requests/{item.id}/measures/{measure.id}",
             f"/requests/{item.id}/measures/{measure.id}/result"]
    for path in paths:
        assert client.get(path).status_code in (403, 404), path
        assert client.post(path, data=person_form() | measure_form()).status_code in (403, 404), path
    assert client.post(f"/requests/{item.id}/persons/{person.id}/remove").status_code in (403, 404)
    assert client.post(f"/requests/{item.id}/measures/{measure.id}/remove").status_code in (403, 404)
    assert count(db_session, Person) == 1 and count(db_session, Measure) == 1


def test_drafter_of_another_office_gets_404(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session,
    make_user: Callable[..., User],
) -> None:
    other = Office(code="OTH", name="Other office")
    db_session.add(other)
    db_session.commit()
    login_as(Role.DRAFTER, office=other)
    item = make_request()
    person = make_person(db_session, make_user(Role.DRAFTER), item)
    measure = make_measure(db_session, make_user(Role.DRAFTER), item)
    for path in (f"/requests/{item.id}/persons/new", f"/requests/{item.id}/persons/{person.id}",
                 f"/requests/{item.id}/measures/new", f"/requests/{item.id}/measures/{measure.id}"):
        assert client.get(path).status_code == 404, path
        assert client.post(path, data=person_form() | measure_form()).status_code == 404, path
    assert client.post(f"/requests/{item.id}/persons/{person.id}/remove").status_code == 404
    assert client.post(f"/requests/{item.id}/measures/{measure.id}/remove").status_code == 404
    assert count(db_session, Person) == 1 and count(db_session, Measure) == 1


def test_nothing_changes_after_an_outgoing_request_is_sent(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session,
    make_user: Callable[..., User],
) -> None:
    login_as(Role.DRAFTER)
    item = make_request()
    person = make_person(db_session, make_user(Role.DRAFTER), item)
    measure = make_measure(db_session, make_user(Role.DRAFTER), item)
    item.stage = Stage.SENT
    db_session.commit()
    for path, message in (
            (f"/requests/{item.id}/persons/new", "The persons of this request cannot be changed"),
            (f"/requests/{item.id}/persons/{person.id}", "The persons of this request cannot be changed"),
            (f"/requests/{item.id}/measures/new", "The measures of this request cannot be changed"),
            (f"/requests/{item.id}/measures/{measure.id}", "The measures of this request cannot be changed")):
        opened = client.get(path, headers=EN)
        assert opened.status_code == 303 and opened.headers["Location"].startswith(f"/requests/{item.id}#")
        assert message in client.get(opened.headers["Location"], headers=EN).get_data(as_text=True)
        typed = person_form(aliases="Typed alias") | measure_form(details="Typed details") | {"version": "1"}
        saved = client.post(path, data=typed, headers=EN)
        body = saved.get_data(as_text=True)
        assert saved.status_code == 409 and message in body, path
        assert "Typed alias" in body or "Typed details" in body, path
    for path in (f"/requests/{item.id}/persons/{person.id}/remove",
                 f"/requests/{item.id}/measures/{measure.id}/remove"):
        assert client.post(path, data={"version": "1"}).status_code == 302
    assert count(db_session, Person) == 1 and count(db_session, Measure) == 1


def test_a_person_or_measure_of_another_request_is_404(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    drafter = login_as(Role.DRAFTER)
    item = make_request()
    other = make_request()
    person = make_person(db_session, drafter, other)
    measure = make_measure(db_session, drafter, other)
    assert client.get(f"/requests/{item.id}/persons/{person.id}").status_code == 404
    assert client.post(f"/requests/{item.id}/persons/{person.id}/remove").status_code == 404
    assert client.get(f"/requests/{item.id}/measures/{measure.id}").status_code == 404
    assert client.post(f"/requests/{item.id}/measures/{measure.id}/remove").status_code == 404
    assert client.get("/requests/999999/persons/new").status_code == 404
    assert db_session.get(Person, person.id) is not None


@pytest.mark.parametrize(
    ("overrides", "message", "kept"),
    [
        ({"name_original": ""}, "This field is required.", "Ivanova Mariya"),
        ({"name_original": "Ж" * 301}, "Field cannot be longer than 300 characters.", "Ж" * 301),
        ({"birth_date": FUTURE}, "Enter a date from Jan 1, 1900 to ", FUTURE),
        ({"birth_date": "1899-12-31"}, "Enter a date from Jan 1, 1900 to ", "1899-12-31"),
        ({"birth_date": "2026-02-30"}, "Not a valid date value.", "2026-02-30"),
        ({"role": "suspect", "is_protected": "y"}, "Only a victim or a witness can be marked", "Иванова"),
        ({"is_protected": "y", "disclose_identity": "y"}, "Give the reason for disclosing", "Иванова"),
        ({"role": "legal_person", "is_child": "y"}, "Only a natural person can be marked as a child.",
         "Иванова"),
        ({"victim_language": "tajik!"}, "Enter a language code such as uz, ru or fa_AF.", "tajik!"),
        ({"role": "boss"}, "Not a valid choice.", "Иванова"),
    ],
)
def test_bad_person_input_is_answered_on_the_form(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session,
    overrides: dict[str, str], message: str, kept: str,
) -> None:
    login_as(Role.DRAFTER)
    item = make_request()
    events_before = count(db_session, AuditEvent)
    response = client.post(f"/requests/{item.id}/persons/new", data=person_form(**overrides), headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body
    assert kept in body
    assert count(db_session, Person) == 0
    assert count(db_session, AuditEvent) == events_before


def test_a_bad_edit_keeps_the_stored_person(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    drafter = login_as(Role.DRAFTER)
    item = make_request()
    person = make_person(db_session, drafter, item)
    response = client.post(f"/requests/{item.id}/persons/{person.id}",
                           data=person_form(name_original="Новое имя", birth_date=FUTURE, version="1"),
                           headers=EN)
    assert response.status_code == 400
    assert "Новое имя" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Person, person.id).name_original == "Каримов Алишер"


def test_script_in_names_is_stored_as_text_and_shown_escaped(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    login_as(Role.DRAFTER)
    item = make_request()
    script = "<script>alert(1)</script>"
    client.post(f"/requests/{item.id}/persons/new",
                data=person_form(name_original=script, name_latin="<b>bold</b>"))
    person = db_session.scalar(select(Person).where(Person.request_id == item.id))
    assert person.name_original == script and person.name_latin == "<b>bold</b>"
    for path in (f"/requests/{item.id}/persons/{person.id}", f"/requests/{item.id}"):
        body = client.get(path).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path
        assert script not in body and "<b>bold</b>" not in body, path


def test_desk_adds_edits_and_removes_a_measure_with_audit(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    desk = login_as(Role.DESK)
    item = make_request()
    form_page = client.get(f"/requests/{item.id}/measures/new", headers={"Accept-Language": "ru"})
    assert "Истребование банковских, финансовых" in form_page.get_data(as_text=True)
    english = client.get(f"/requests/{item.id}/measures/new?lang=en").get_data(as_text=True)
    assert "Bank, financial and business records" in english
    response = client.post(f"/requests/{item.id}/measures/new", data=measure_form())
    assert response.status_code == 302 and response.headers["Location"].endswith("#measures")
    measure = db_session.scalar(select(Measure).where(Measure.request_id == item.id))
    assert measure.assistance_type_code == "records_bank" and measure.status == MeasureStatus.PENDING
    [added] = events(db_session, "measure.add")
    assert added.actor_id == desk.id and added.changes["assistance_type_code"] == [None, "records_bank"]
    response = client.post(f"/requests/{item.id}/measures/{measure.id}",
                           data=measure_form(assistance_type_code="freezing", details="Freeze account 123",
                                             version="1"))
    assert response.status_code == 302
    db_session.refresh(measure)
    assert measure.assistance_type_code == "freezing"
    [updated] = events(db_session, "measure.update")
    assert updated.changes["assistance_type_code"] == ["records_bank", "freezing"]
    assert client.post(f"/requests/{item.id}/measures/{measure.id}/remove",
                       data={"version": "2"}).status_code == 302
    assert count(db_session, Measure) == 0
    assert len(events(db_session, "measure.remove")) == 1


def test_unknown_assistance_type_is_refused(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    drafter = login_as(Role.DRAFTER)
    item = make_request()
    response = client.post(f"/requests/{item.id}/measures/new",
                           data=measure_form(assistance_type_code="telepathy", details="Кто это сделал?"),
                           headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Not a valid choice." in body and "Кто это сделал?" in body
    assert count(db_session, Measure) == 0
    with pytest.raises(DomainError) as refused:
        add_measure(db_session, actor=drafter, now=FIXED_NOW, item=item,
                    data=MeasureInput(assistance_type_code="telepathy"))
    assert refused.value.field == "assistance_type_code"


def test_desk_records_a_result(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    desk = login_as(Role.DESK)
    item = make_request()
    measure = make_measure(db_session, desk, item)
    item.stage = Stage.SENT
    db_session.commit()
    assert client.get(f"/requests/{item.id}/measures/{measure.id}/result").status_code == 200
    response = client.post(f"/requests/{item.id}/measures/{measure.id}/result",
                           data={"status": "executed", "evidence_received_on": "2025-03-01", "version": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#measures")
    db_session.refresh(measure)
    assert measure.status == MeasureStatus.EXECUTED and measure.evidence_received_on == date(2025, 3, 1)
    [event] = events(db_session, "measure.result")
    assert event.changes["status"] == ["pending", "executed"]


@pytest.mark.parametrize(
    ("data", "message", "kept"),
    [
        ({"status": "executed"}, "Give the date the evidence was received, or a note",
         'selected value="executed"'),
        ({"status": "partially_executed", "result_note": "  "}, "Give the date the evidence",
         'selected value="partially_executed"'),
        ({"status": "refused", "evidence_received_on": "2025-01-01"},
         "Give the reason the measure was refused.", "2025-01-01"),
        ({"status": "executed", "evidence_received_on": FUTURE}, "Enter a date from Jan 1, 1950 to ", FUTURE),
        ({"status": "executed", "evidence_received_on": "2026-02-30"}, "Not a valid date value.",
         "2026-02-30"),
        ({"status": "lost", "result_note": "Куда-то делось"}, "Not a valid choice.", "Куда-то делось"),
    ],
)
def test_bad_result_input_is_answered_on_the_form(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session,
    data: dict[str, str], message: str, kept: str,
) -> None:
    desk = login_as(Role.DESK)
    item = make_request()
    measure = make_measure(db_session, desk, item)
    response = client.post(f"/requests/{item.id}/measures/{measure.id}/result", data=data | {"version": "1"},
                           headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body and kept in body
    db_session.expire_all()
    assert db_session.get(Measure, measure.id).status == MeasureStatus.PENDING
    assert events(db_session, "measure.result") == []


@pytest.mark.parametrize(
    ("direction", "stage", "status"),
    [
        (Direction.OUTGOING, Stage.SENT, 403),  # never the drafter's to record
        (Direction.INCOMING, Stage.IN_EXECUTION, 302),
        (Direction.INCOMING, Stage.CLOSED, 409),  # no longer: said on the form
    ],
)
def test_drafter_records_results_only_on_incoming_requests_in_execution(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session,
    make_user: Callable[..., User], direction: Direction, stage: Stage, status: int,
) -> None:
    login_as(Role.DRAFTER)
    item = make_request(direction=direction, stage=Stage.RECEIVED if direction == Direction.INCOMING
                        else Stage.DRAFT)
    measure = make_measure(db_session, make_user(Role.DESK), item)
    item.stage = stage
    db_session.commit()
    response = client.post(f"/requests/{item.id}/measures/{measure.id}/result",
                           data={"status": "refused", "result_note": "Dual criminality", "version": "1"})
    assert response.status_code == status


def test_content_of_incoming_requests_is_for_the_desk_not_the_drafter(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    item = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED)
    login_as(Role.DRAFTER)
    assert client.post(f"/requests/{item.id}/persons/new", data=person_form()).status_code == 403
    login_as(Role.DESK)
    assert client.post(f"/requests/{item.id}/persons/new", data=person_form()).status_code == 302
    assert count(db_session, Person) == 1


def _render_partials(app: Flask, item: AssistanceRequest, db: Session, **context: object) -> str:
    from flask import render_template

    types = {t.code: t for t in db.scalars(select(AssistanceType))}
    persons = list(db.scalars(select(Person).where(Person.request_id == item.id).order_by(Person.id)))
    measures = list(db.scalars(select(Measure).where(Measure.request_id == item.id)))
    with app.test_request_context(headers=EN):
        return "".join(render_template(name, item=item, persons=persons, measures=measures,
                                       assistance_types=types, **context)
                       for name in ("requests/_persons.html", "requests/_measures.html"))


def test_partials_hide_protected_identity_and_offer_actions_by_permission(
    app: Flask, make_request: RequestMaker, db_session: Session, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = make_request()
    make_person(db_session, desk, item, role=PersonRole.VICTIM, is_protected=True,
                name_original="Скрытая Ольга", name_latin="<i>Skrytaya</i>")
    make_person(db_session, desk, item, name_original="مراد احمدی")
    make_measure(db_session, desk, item, code="records_bank")
    hidden = _render_partials(app, item, db_session, show_identity=False, may_edit=False, may_record=False)
    assert 'id="persons"' in hidden and 'id="measures"' in hidden
    assert "Скрытая" not in hidden and "Skrytaya" not in hidden and "P-1" in hidden
    assert '<span dir="auto">مراد احمدی</span>' in hidden
    assert "Bank, financial and business records" in hidden and "Pending" in hidden
    assert "Add a person" not in hidden and "Record the result" not in hidden and "Remove" not in hidden
    shown = _render_partials(app, item, db_session, show_identity=True, may_edit=True, may_record=True)
    assert "Скрытая Ольга" in shown and "&lt;i&gt;Skrytaya&lt;/i&gt;" in shown
    for text in ("Add a person", "Add a measure", "Record the result", 'name="csrf_token"',
                 f"/requests/{item.id}/persons/"):
        assert text in shown, text
