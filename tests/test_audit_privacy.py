"""The audit trail shows case values only to those who may see the request, and a protected person's
values (written before she was marked protected too) only to those who may see protected identities;
sealing them leaves the chain whole."""

from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.access import AuditValueAccess, audit_value_access
from mla.domain.enums import PersonRole, Role, Stage
from mla.models import AssistanceRequest, AuditEvent, AuditValue, Person, User
from mla.services.audit import verify_chain
from mla.services.oversight.audit_reading import readable_values
from mla.services.persons.editing import PersonInput, add_person, update_person

NAME = "Қодирова Нилуфар"
PASSPORT = "AB1234567"
HIDDEN = "hidden: you may not see this request"


@pytest.fixture
def victim(db_session: Session, make_user: Callable[..., User],
           make_request: Callable[..., AssistanceRequest], now: datetime) -> Person:
    """A victim entered without protection, with her name and passport number in the trail."""
    drafter = make_user(Role.DRAFTER)
    item = make_request(stage=Stage.DRAFT)
    person = add_person(db_session, actor=drafter, now=now, item=item,
                        data=PersonInput(role=PersonRole.VICTIM, name_original=NAME, id_documents=PASSPORT))
    db_session.commit()
    return person


def _protect(db_session: Session, person: Person, make_user: Callable[..., User], now: datetime) -> None:
    drafter = make_user(Role.DRAFTER)
    item = db_session.get(AssistanceRequest, person.request_id)
    data = PersonInput(role=PersonRole.VICTIM, name_original=NAME, id_documents=PASSPORT, is_protected=True)
    update_person(db_session, actor=drafter, now=now, item=item, person=person,
                  expected_version=person.version, data=data)
    db_session.commit()


def test_the_admin_reads_which_fields_changed_but_no_case_values(
    client: FlaskClient, login_as: Callable[..., User], victim: Person
) -> None:
    login_as(Role.ADMIN)
    page = client.get("/audit/?action=person.").get_data(as_text=True)
    export = client.get("/audit/export.csv?action=person.").get_data(as_text=True)
    for body in (page, export):
        assert "person.add" in body and "name_original" in body and "id_documents" in body
        assert NAME not in body and PASSPORT not in body
        assert HIDDEN in body


def test_a_manager_who_sees_every_request_reads_its_values(
    client: FlaskClient, login_as: Callable[..., User], victim: Person
) -> None:
    login_as(Role.MANAGER)
    page = client.get("/audit/?action=person.").get_data(as_text=True)
    export = client.get("/audit/export.csv?action=person.").get_data(as_text=True)
    assert NAME in page and PASSPORT in page and NAME in export and HIDDEN not in page


def test_marking_a_person_protected_seals_what_the_trail_recorded_before(
    db_session: Session, victim: Person, make_user: Callable[..., User], now: datetime, audit_key: bytes
) -> None:
    before = db_session.scalars(select(AuditValue).join(AuditEvent).where(
        AuditEvent.object_type == "person", AuditEvent.object_id == str(victim.id))).all()
    assert before and not any(value.is_protected for value in before)
    _protect(db_session, victim, make_user, now)
    events = db_session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "person", AuditEvent.object_id == str(victim.id))
        .order_by(AuditEvent.id)).all()
    assert [event.action for event in events] == ["person.add", "person.update"]
    assert all(value.is_protected for event in events for value in event.values)
    # A translator may see the request while it waits for translation, but not a protected identity.
    translator = SimpleNamespace(id=0, role=Role.TRANSLATOR, office_id=None)
    office_id = db_session.get(AssistanceRequest, victim.request_id).office_id
    shown = readable_values(translator, events[0], office_id, Stage.TRANSLATION, None)
    assert {value.field: value.access for value in shown}["name_original"] == AuditValueAccess.PROTECTED
    assert all(value.value is None for value in shown)
    assert verify_chain(db_session, audit_key).is_whole


def test_a_manager_reading_sealed_values_in_the_trail_is_recorded(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session, victim: Person,
    make_user: Callable[..., User], now: datetime
) -> None:
    _protect(db_session, victim, make_user, now)
    manager = login_as(Role.MANAGER)
    assert NAME in client.get("/audit/?action=person.add").get_data(as_text=True)
    assert NAME in client.get("/audit/export.csv?action=person.add").get_data(as_text=True)
    shown = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "person.identity_shown",
                                                         AuditEvent.actor_id == manager.id)).all()
    assert len(shown) == 2 and all(event.changes == {"persons": [victim.id]} for event in shown)


def test_the_admin_never_reads_a_protected_persons_earlier_values(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session, victim: Person,
    make_user: Callable[..., User], now: datetime
) -> None:
    _protect(db_session, victim, make_user, now)
    login_as(Role.ADMIN)
    for url in ("/audit/?action=person.", "/audit/export.csv?action=person."):
        body = client.get(url).get_data(as_text=True)
        assert NAME not in body and PASSPORT not in body and "name_original" in body


ADMIN = SimpleNamespace(id=1, role=Role.ADMIN, office_id=1)
MANAGER = SimpleNamespace(id=2, role=Role.MANAGER, office_id=None)
DRAFTER = SimpleNamespace(id=3, role=Role.DRAFTER, office_id=1)
TRANSLATOR = SimpleNamespace(id=4, role=Role.TRANSLATOR, office_id=None)
CASE = {"request_id": 7, "office_id": 1, "stage": Stage.DRAFT, "assignee_id": None}
S, H, P = AuditValueAccess.SHOWN, AuditValueAccess.HIDDEN_REQUEST, AuditValueAccess.PROTECTED


@pytest.mark.parametrize(("actor", "where", "is_protected", "expected"), [
    (ADMIN, CASE, False, H),
    (ADMIN, CASE, True, H),
    (ADMIN, {"request_id": None, "office_id": None, "stage": None, "assignee_id": None}, False, S),
    (MANAGER, CASE, False, S),
    (MANAGER, CASE, True, S),
    (MANAGER, {"request_id": 7, "office_id": None, "stage": None, "assignee_id": None}, False, H),
    (DRAFTER, CASE, True, S),
    (DRAFTER, {**CASE, "office_id": 2}, False, H),
    (DRAFTER, {**CASE, "office_id": 2, "assignee_id": 3}, False, S),
    (TRANSLATOR, {**CASE, "stage": Stage.TRANSLATION}, False, S),
    (TRANSLATOR, {**CASE, "stage": Stage.TRANSLATION}, True, P),
    (TRANSLATOR, CASE, False, H),
])
def test_who_reads_which_audit_value(actor: SimpleNamespace, where: dict, is_protected: bool,
                                     expected: AuditValueAccess) -> None:
    assert audit_value_access(actor, is_protected=is_protected, **where) == expected
