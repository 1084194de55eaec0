"""Accounts: locking after repeated failures, the TOTP second factor, password reset and ending
sessions by an administrator."""

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.app import create_app
from mla.db import get_database
from mla.domain.enums import Role
from mla.migrations import upgrade
from mla.models import AuditEvent, SignInThrottle, User
from mla.services.accounts.throttle import throttle_key
from mla.services.accounts.users import create_user
from tests.conftest import TEST_PASSWORD

EN = {"Accept-Language": "en"}


def sign_in(client: FlaskClient, email: str, password: str = TEST_PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password}, headers=EN)


@pytest.fixture
def quick_lock(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "SIGN_IN_FREE_FAILURES", 100)
    monkeypatch.setitem(app.config, "SIGN_IN_LOCK_AFTER", 3)
    monkeypatch.setitem(app.config, "SIGN_IN_LOCK_MINUTES", 15)


def test_repeated_failures_lock_the_account_and_say_until_when(
    client: FlaskClient, make_user: Callable[..., User], db_session: Session, quick_lock: None
) -> None:
    user = make_user(Role.DESK)
    for _ in range(3):
        sign_in(client, user.email, "wrong password")
    locked = sign_in(client, user.email)
    assert locked.status_code == 401
    assert (
        "This account is locked after too many failed attempts. Try again in 15 minutes."
        in locked.get_data(as_text=True)
    )
    actions = db_session.scalars(select(AuditEvent.action)).all()
    assert actions.count("auth.sign_in_failed") == 3 and actions.count("auth.locked") == 1


def test_a_second_factor_is_asked_after_the_password(
    client: FlaskClient, make_user: Callable[..., User], db_session: Session
) -> None:
    user = make_user(Role.MANAGER)
    user.totp_secret = pyotp.random_base32()
    db_session.commit()
    response = sign_in(client, user.email)
    assert response.headers["Location"] == "/sign-in/code"
    assert client.get("/").status_code == 302  # not signed in yet
    wrong = client.post("/sign-in/code", data={"code": "000000"}, headers=EN)
    assert wrong.status_code == 401 and "The code is not correct." in wrong.get_data(as_text=True)
    right = client.post("/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert right.status_code == 302
    assert client.get("/").status_code == 200
    assert "auth.totp_failed" in db_session.scalars(select(AuditEvent.action)).all()


def test_a_role_that_requires_a_second_factor_enrols_before_getting_in(
    client: FlaskClient,
    app: Flask,
    make_user: Callable[..., User],
    db_session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_ROLES", ("admin", "manager"))
    user = make_user(Role.ADMIN)
    response = sign_in(client, user.email)
    assert response.headers["Location"] == "/two-factor"
    page = client.get("/two-factor").get_data(as_text=True)
    secret = page.split('data-testid="totp-secret">', 1)[1].split("<", 1)[0]
    bad = client.post("/two-factor", data={"secret": secret, "code": "111111"}, headers=EN)
    assert bad.status_code == 400 and "The code does not match." in bad.get_data(as_text=True)
    good = client.post("/two-factor", data={"secret": secret, "code": pyotp.TOTP(secret).now()})
    assert good.status_code == 200 and 'data-testid="recovery-codes"' in good.get_data(as_text=True)
    db_session.refresh(user)
    assert user.totp_secret == secret
    assert client.get("/administration").status_code == 200


def test_a_signed_in_user_without_the_required_factor_is_sent_to_enrol(
    client: FlaskClient, app: Flask, login_as: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as(Role.MANAGER)
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_ROLES", ("manager",))
    assert client.get("/requests/").headers["Location"] == "/two-factor"


def test_an_admin_resets_a_password_and_the_old_sessions_end(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    db_session: Session,
) -> None:
    login_as(Role.ADMIN)
    user = make_user(Role.DRAFTER)
    other = app.test_client()
    sign_in(other, user.email)
    assert other.get("/").status_code == 200
    short = client.post(
        f"/admin/users/{user.id}/password", data={"password": "short"}, headers=EN, follow_redirects=True
    )
    assert "Field must be between 10 and 256 characters long." in short.get_data(as_text=True)
    assert (
        client.post(f"/admin/users/{user.id}/password", data={"password": "a brand new password"}).status_code
        == 302
    )
    assert other.get("/").status_code == 302
    assert sign_in(other, user.email, "a brand new password").status_code == 302
    assert client.post(f"/admin/users/{user.id}/end-sessions").status_code == 302
    assert other.get("/").status_code == 302
    actions = db_session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(user.id)))
    assert {"user.reset_password", "user.end_sessions"} <= set(actions)


def sign_in_from(client: FlaskClient, address: str, email: str, password: str = TEST_PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password}, headers=EN,
                       environ_base={"REMOTE_ADDR": address})


def test_failures_from_other_addresses_never_lock_the_owner_out(
    client: FlaskClient, make_user: Callable[..., User], db_session: Session, quick_lock: None
) -> None:
    owner = make_user(Role.DESK)
    for _ in range(3):
        sign_in_from(client, "203.0.113.9", owner.email, "guess")
    attacker = sign_in_from(client, "203.0.113.9", owner.email)
    assert attacker.status_code == 401 and "locked" in attacker.get_data(as_text=True)
    assert sign_in_from(client, "198.51.100.20", owner.email).status_code == 302
    assert "auth.locked" in db_session.scalars(select(AuditEvent.action)).all()


def test_an_account_under_attack_gives_each_new_address_only_the_free_tries(
    client: FlaskClient, app: Flask, make_user: Callable[..., User], db_session: Session,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SIGN_IN_FREE_FAILURES", 2)
    monkeypatch.setitem(app.config, "SIGN_IN_LOCK_AFTER", 4)
    owner = make_user(Role.DESK)
    for number in range(4):  # spread out: no address reaches its own limit
        sign_in_from(client, f"203.0.113.{number}", owner.email, "guess")
    assert "auth.under_attack" in db_session.scalars(select(AuditEvent.action)).all()
    sign_in_from(client, "203.0.113.50", owner.email, "guess")
    slowed = sign_in_from(client, "203.0.113.50", owner.email, "guess")
    assert "Too many failed attempts. Try again in" in slowed.get_data(as_text=True)
    assert sign_in_from(client, "198.51.100.20", owner.email).status_code == 302


def app_of_its_own(url: str, folder: Path, **settings: object) -> Flask:
    """An app on a database of its own that commits for real, with one account, owner@example.org."""
    upgrade(url)
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
                      "INSTANCE_PATH": folder, "DEFAULT_LOCALE": "en", **settings})
    with get_database(app).session_factory() as session:
        create_user(session, actor=None, now=datetime.now(UTC), email="owner@example.org", full_name="Owner",
                    role=Role.DESK, password=TEST_PASSWORD)
        session.commit()
    return app


def test_wrong_passwords_sent_at_once_are_each_counted(fresh_database_url: str, tmp_path: Path) -> None:
    app = app_of_its_own(fresh_database_url, tmp_path, SIGN_IN_FREE_FAILURES=100, SIGN_IN_LOCK_AFTER=100)
    barrier = threading.Barrier(6)

    def guess() -> None:
        client = app.test_client()
        barrier.wait()
        client.post("/sign-in", data={"email": "owner@example.org", "password": "guess"})

    threads = [threading.Thread(target=guess) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with get_database(app).session_factory() as session:
        assert session.get(SignInThrottle, throttle_key("owner@example.org")).failures == 6
        assert session.get(SignInThrottle, throttle_key("owner@example.org", "127.0.0.1")).failures == 6
    get_database(app).engine.dispose()


def test_behind_a_proxy_failures_are_counted_per_forwarded_address(fresh_database_url: str,
                                                                   tmp_path: Path) -> None:
    app = app_of_its_own(fresh_database_url, tmp_path, PROXY_COUNT=1, SIGN_IN_FREE_FAILURES=100,
                         SIGN_IN_LOCK_AFTER=3)
    client = app.test_client()

    def attempt(address: str, password: str = TEST_PASSWORD) -> int:
        return client.post("/sign-in", data={"email": "owner@example.org", "password": password},
                           headers={"X-Forwarded-For": address}).status_code

    for _ in range(3):
        attempt("203.0.113.9", "guess")
    assert attempt("203.0.113.9") == 401
    assert attempt("198.51.100.20") == 302
    get_database(app).engine.dispose()
