"""Sign-in: one message for every failure, throttling, inactive and demo accounts, CSRF, cookies."""
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.enums import Role
from mla.models import AuditEvent, User
from tests.conftest import TEST_PASSWORD

WRONG = "The e-mail address or the password is not correct."


def sign_in(client: FlaskClient, email: str, password: str, **query: str):
    return client.post("/sign-in", data={"email": email, "password": password},
                       query_string=query, headers={"Accept-Language": "en"})


def test_every_page_but_sign_in_needs_a_session(client: FlaskClient) -> None:
    for path in ["/", "/requests/", "/requests/1", "/admin/users", "/administration"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/sign-in")
    assert client.get("/sign-in").status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_and_sees_its_home(
    client: FlaskClient, make_user: Callable[..., User], role: Role
) -> None:
    user = make_user(role)
    response = sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 302
    home = client.get(response.headers["Location"], follow_redirects=True,
                      headers={"Accept-Language": "en"})
    assert home.status_code == 200
    assert user.full_name in home.get_data(as_text=True)


def test_password_is_hashed_with_scrypt(make_user: Callable[..., User]) -> None:
    user = make_user(Role.DRAFTER)
    assert user.password_hash.startswith("scrypt:")
    assert TEST_PASSWORD not in user.password_hash


def test_unknown_account_and_wrong_password_get_the_same_answer(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.DESK)
    wrong_password = sign_in(client, user.email, "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    assert wrong_password.status_code == unknown.status_code == 401
    assert WRONG in wrong_password.get_data(as_text=True)
    assert WRONG in unknown.get_data(as_text=True)


def test_inactive_account_is_refused(client: FlaskClient, make_user: Callable[..., User],
                                     db_session: Session) -> None:
    user = make_user(Role.DRAFTER)
    user.is_active = False
    db_session.commit()
    response = sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 401
    assert "deactivated" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_demo_accounts_exist_only_in_demo_mode(
    client: FlaskClient, app: Flask, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(Role.MANAGER, is_demo=True)
    assert WRONG in sign_in(client, user.email, TEST_PASSWORD).get_data(as_text=True)
    monkeypatch.setitem(app.config, "DEMO_MODE", True)
    assert sign_in(client, user.email, TEST_PASSWORD).status_code == 302


def test_repeated_failures_slow_down_even_the_right_password(
    client: FlaskClient, make_user: Callable[..., User], db_session: Session
) -> None:
    user = make_user(Role.DESK)
    for _ in range(4):
        sign_in(client, user.email, "wrong password")
    response = sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 401
    assert "Too many failed attempts. Try again in" in response.get_data(as_text=True)
    actions = db_session.scalars(select(AuditEvent.action)).all()
    assert actions.count("auth.sign_in_failed") == 4


def test_throttling_does_not_reveal_which_accounts_exist(client: FlaskClient) -> None:
    for _ in range(4):
        sign_in(client, "ghost@example.org", "wrong password")
    assert "Too many failed attempts" in sign_in(client, "ghost@example.org", "x").get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("", ""),
        ("a" * 300 + "@example.org", "x"),
        ("drafter@example.org", "p" * 5000),
        ("Ҷӯраев@пример.тҷ", "пароль-ҷ"),
        ('<script>alert("x")</script>', "<b>bold</b>"),
        ("{{ 7*7 }}", "' OR 1=1 --"),
    ],
)
def test_bad_input_gets_a_message_never_a_500(client: FlaskClient, email: str, password: str) -> None:
    response = sign_in(client, email, password)
    assert response.status_code in (400, 401)
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body
    assert "49" not in body.split("<main", 1)[1]
    assert 'class="invalid-feedback' in body or WRONG in body


def test_csrf_token_is_required(client: FlaskClient, app: Flask, make_user: Callable[..., User],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(Role.DESK)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client: FlaskClient,
                                                 make_user: Callable[..., User]) -> None:
    user = make_user(Role.DRAFTER)
    response = sign_in(client, user.email, TEST_PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/requests/"])
def test_next_never_leaves_the_site(client: FlaskClient, make_user: Callable[..., User],
                                    target: str) -> None:
    user = make_user(Role.DESK)
    response = sign_in(client, user.email, TEST_PASSWORD, next=target)
    location = response.headers["Location"]
    assert location == ("/requests/" if target == "/requests/" else "/")


def test_sign_out_ends_the_session(client: FlaskClient, make_user: Callable[..., User],
                                   db_session: Session) -> None:
    user = make_user(Role.DESK)
    sign_in(client, user.email, TEST_PASSWORD)
    assert client.get("/").status_code == 200
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302
    assert client.get("/").status_code == 302
    actions = db_session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id))
    assert {"auth.sign_in", "auth.sign_out"} <= set(actions)
