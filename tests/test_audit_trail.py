"""Managers and admins read and export the audit trail with filters; displays of a protected
person's identity are recorded in it."""

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.enums import PersonRole, Role, Stage
from mla.models import AssistanceRequest, AuditEvent, Person, User
from mla.services.audit import record_event

EN = {"Accept-Language": "en"}


@pytest.fixture
def trail(
    db_session: Session, make_user: Callable[..., User], make_request: Callable[..., AssistanceRequest], now
) -> dict[str, object]:
    alice = make_user(Role.DESK)
    bob = make_user(Role.DRAFTER)
    item = make_request()
    record_event(
        db_session,
        actor=alice,
        now=now,
        action="request.move.transmit",
        object_type="request",
        object_id=item.id,
        request_id=item.id,
        changes={"stage": ["ready_to_send", "sent"]},
    )
    record_event(
        db_session,
        actor=bob,
        now=now.replace(year=2025),
        action="person.add",
        object_type="person",
        request_id=item.id,
    )
    db_session.commit()
    return {"alice": alice, "bob": bob, "item": item}


def test_filters_by_user_request_action_and_period(
    client: FlaskClient, login_as: Callable[..., User], trail: dict
) -> None:
    login_as(Role.MANAGER)
    by_user = client.get(f"/audit/?user={trail['alice'].id}").get_data(as_text=True)
    assert "request.move.transmit" in by_user and "person.add" not in by_user
    by_action = client.get("/audit/?action=person.").get_data(as_text=True)
    assert "person.add" in by_action and "request.move.transmit" not in by_action
    by_request = client.get(f"/audit/?reference={trail['item'].reference}").get_data(as_text=True)
    assert "request.move.transmit" in by_request and "person.add" in by_request
    period = client.get("/audit/?date_from=2026-01-01&date_to=2026-12-31").get_data(as_text=True)
    assert "request.move.transmit" in period and "person.add" not in period


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-12-31&date_to=2026-01-01", "The period ends before it starts."),
        ("date_from=1900-01-01&date_to=2026-01-01", "Choose a period of at most ten years."),
        ("date_from=2026-02-30", "Not a valid date value."),
        ("user=not-a-number", "Not a valid choice."),
    ],
)
def test_odd_filters_get_a_message(
    client: FlaskClient, login_as: Callable[..., User], trail: dict, query: str, message: str
) -> None:
    login_as(Role.ADMIN)
    response = client.get(f"/audit/?{query}", headers=EN)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_export_has_the_hashes_and_is_itself_audited(
    client: FlaskClient, login_as: Callable[..., User], trail: dict, db_session: Session
) -> None:
    manager = login_as(Role.MANAGER)
    response = client.get("/audit/export.csv?action=request.")
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "request.move.transmit" in body and "person.add" not in body
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "request.move.transmit"))
    assert event.hash in body
    export = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.export"))
    assert export.actor_id == manager.id


def test_showing_a_protected_identity_is_recorded(
    client: FlaskClient,
    login_as: Callable[..., User],
    make_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    desk = login_as(Role.DESK)
    item = make_request(stage=Stage.SENT)
    victim = Person(
        request_id=item.id,
        role=PersonRole.VICTIM,
        name_original="Қодирова Нилуфар",
        is_protected=True,
        pseudonym="P-1",
    )
    db_session.add(victim)
    db_session.commit()
    assert "Қодирова Нилуфар" in client.get(f"/requests/{item.id}").get_data(as_text=True)
    shown = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "person.identity_shown"))
    assert shown.actor_id == desk.id and shown.changes == {"persons": [victim.id]}


def test_the_person_page_and_the_edit_form_record_a_protected_identity_shown(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = make_request(stage=Stage.DRAFT)
    victim = Person(request_id=item.id, role=PersonRole.VICTIM, name_original="Қодирова Нилуфар",
                    is_protected=True, pseudonym="P-1")
    db_session.add(victim)
    db_session.commit()
    assert "Қодирова Нилуфар" in client.get(f"/search/persons/{victim.id}").get_data(as_text=True)
    assert client.get(f"/requests/{item.id}/persons/{victim.id}").status_code == 200
    shown = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "person.identity_shown")).all()
    assert len(shown) == 2 and all(event.changes == {"persons": [victim.id]} for event in shown)
