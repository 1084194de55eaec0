"""Every route, every role: who may open it and who is refused. A new route must be added here."""
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mla.domain.enums import Role, Stage
from mla.models import AssistanceRequest, Office, User

CASE_ROLES = {Role.DRAFTER, Role.DESK, Role.MANAGER, Role.TRANSLATOR}
ALL = set(Role)

# endpoint -> (path template, roles allowed); {own} / {other} are requests in the user's
# office and in another office, {user} is an account id.
ROUTES = {
    "home.index": ("/", ALL - {Role.ADMIN}),
    "home.admin_home": ("/administration", {Role.ADMIN}),
    "requests.index": ("/requests/", CASE_ROLES),
    "requests.show": ("/requests/{own}", {Role.DRAFTER, Role.DESK, Role.MANAGER}),
    "admin.users": ("/admin/users", {Role.ADMIN}),
    "admin.new_user": ("/admin/users/new", {Role.ADMIN}),
    "admin.edit_user": ("/admin/users/{user}", {Role.ADMIN}),
}
PUBLIC = {"auth.sign_in", "ops.healthz", "static", "auth.sign_out"}


def test_every_route_is_in_the_table(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES) | PUBLIC


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_access_by_role(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    role: Role, endpoint: str,
) -> None:
    user = login_as(role)
    own = make_request(office=user.office, stage=Stage.DRAFT)
    path, allowed = ROUTES[endpoint]
    response = client.get(path.format(own=own.id, user=user.id))
    if role in allowed:
        assert response.status_code == 200, (endpoint, role)
    elif endpoint == "home.index" and role == Role.ADMIN:
        assert response.status_code == 302
    else:
        assert response.status_code in (403, 404), (endpoint, role, response.status_code)


@pytest.mark.parametrize(
    ("role", "stage", "same_office", "visible"),
    [
        (Role.DRAFTER, Stage.DRAFT, True, True),
        (Role.DRAFTER, Stage.DRAFT, False, False),
        (Role.DESK, Stage.DRAFT, False, True),
        (Role.MANAGER, Stage.SENT, False, True),
        (Role.TRANSLATOR, Stage.TRANSLATION, False, True),
        (Role.TRANSLATOR, Stage.SENT, False, False),
        (Role.ADMIN, Stage.DRAFT, True, False),
    ],
)
def test_request_page_and_list_respect_office_and_role(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    db_session, role: Role, stage: Stage, same_office: bool, visible: bool,
) -> None:
    user = login_as(role)
    other = Office(code="OTH", name="Other office")
    db_session.add(other)
    db_session.commit()
    item = make_request(office=user.office if same_office else other, stage=stage)
    page = client.get(f"/requests/{item.id}")
    assert (page.status_code == 200) is visible
    listing = client.get("/requests/")
    if role != Role.ADMIN:
        assert (item.reference in listing.get_data(as_text=True)) is visible


def test_protected_identity_hidden_from_translator(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    db_session,
) -> None:
    from mla.domain.enums import PersonRole
    from mla.models import Person

    login_as(Role.TRANSLATOR)
    item = make_request(stage=Stage.TRANSLATION)
    db_session.add(Person(request_id=item.id, role=PersonRole.VICTIM, name_original="Қодирова Нилуфар",
                          is_protected=True, pseudonym="Лицо А"))
    db_session.commit()
    body = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "Лицо А" in body
    assert "Қодирова" not in body
