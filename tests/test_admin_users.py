"""Administrators create and change accounts; bad input is answered on the form, nothing half-written."""
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.domain.enums import Role
from mla.models import AuditEvent, Office, User

EN = {"Accept-Language": "en"}


def new_user_form(**overrides: str) -> dict[str, str]:
    form = {"email": "new.person@example.org", "full_name": "Новый Сотрудник", "role": "drafter",
            "office": "TST", "password": "long enough password", "is_active": "y"}
    form.update(overrides)
    return form


def test_admin_creates_a_user_with_office_and_audit(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session, office: Office
) -> None:
    admin = login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data=new_user_form(), headers=EN)
    assert response.status_code == 302
    user = db_session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user is not None and user.office_id == office.id and user.role == Role.DRAFTER
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                       AuditEvent.object_id == str(user.id)))
    assert event.actor_id == admin.id


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": ""}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid e-mail address."),
        ({"full_name": ""}, "This field is required."),
        ({"full_name": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"password": "short"}, "Field must be between 10 and 256 characters long."),
        ({"role": "superuser"}, "Not a valid choice."),
        ({"office": "NOPE"}, "Not a valid choice."),
    ],
)
def test_bad_user_input_keeps_what_was_typed(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session, overrides: dict,
    message: str,
) -> None:
    login_as(Role.ADMIN)
    before = db_session.scalar(select(func.count()).select_from(User))
    response = client.post("/admin/users/new", data=new_user_form(**overrides), headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body
    assert "Новый Сотрудник" in body or overrides.get("full_name") is not None
    assert db_session.scalar(select(func.count()).select_from(User)) == before


def test_html_in_a_name_is_stored_as_text_and_shown_escaped(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session
) -> None:
    login_as(Role.ADMIN)
    client.post("/admin/users/new", data=new_user_form(full_name="<img src=x onerror=alert(1)>"))
    body = client.get("/admin/users").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<img src=x" not in body


def test_duplicate_email_is_refused_beside_the_field(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User]
) -> None:
    login_as(Role.ADMIN)
    existing = make_user(Role.DESK)
    response = client.post("/admin/users/new", data=new_user_form(email=existing.email.upper()),
                           headers=EN)
    assert response.status_code == 400
    assert "An account with this e-mail address exists already." in response.get_data(as_text=True)


def test_admin_changes_role_and_deactivates(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User],
    db_session: Session,
) -> None:
    login_as(Role.ADMIN)
    user = make_user(Role.DRAFTER)
    response = client.post(f"/admin/users/{user.id}", data={
        "full_name": user.full_name, "role": "manager", "office": "TST", "version": "1"})
    assert response.status_code == 302
    db_session.refresh(user)
    assert user.role == Role.MANAGER and user.is_active is False
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "user.update"))
    assert event.changes["role"] == ["drafter", "manager"]


def test_admin_cannot_lock_themselves_out(client: FlaskClient, login_as: Callable[..., User]) -> None:
    admin = login_as(Role.ADMIN)
    response = client.post(f"/admin/users/{admin.id}", data={
        "full_name": admin.full_name, "role": "admin", "office": "TST", "version": "1"}, headers=EN)
    assert response.status_code == 400
    assert "You cannot deactivate yourself" in response.get_data(as_text=True)


def test_unknown_user_is_404(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.ADMIN)
    assert client.get("/admin/users/999999").status_code == 404
