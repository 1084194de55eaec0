"""The second factor cannot be bypassed or guessed: enrolment only without a key (or with a current
code), wrong codes counted per account in the database, each code accepted once, recovery codes,
the QR code and an administrator's reset."""
import re
import threading
from collections.abc import Callable, Iterator
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
from mla.models import AuditEvent, RecoveryCode, SignInThrottle, User
from mla.services.accounts.throttle import throttle_key
from mla.services.accounts.users import create_user
from tests.conftest import TEST_PASSWORD

EN = {"Accept-Language": "en"}


def sign_in(client: FlaskClient, email: str, password: str = TEST_PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password}, headers=EN)


def actions(db: Session, user: User) -> list[str]:
    return list(db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(user.id))))


@pytest.fixture
def with_key(make_user: Callable[..., User], db_session: Session) -> Callable[..., User]:
    def make(role: Role = Role.MANAGER) -> User:
        user = make_user(role)
        user.totp_secret = pyotp.random_base32()
        db_session.commit()
        return user

    return make


@pytest.mark.parametrize("required", [(), ("manager",)])
def test_after_the_password_nobody_can_enrol_a_key_of_their_own(
    client: FlaskClient, app: Flask, with_key: Callable[..., User], db_session: Session,
    monkeypatch: pytest.MonkeyPatch, required: tuple[str, ...]
) -> None:
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_ROLES", required)
    owner = with_key()
    owner_secret = owner.totp_secret
    assert sign_in(client, owner.email).headers["Location"] == "/sign-in/code"
    assert client.get("/two-factor").headers["Location"] == "/sign-in/code"
    attacker_secret = pyotp.random_base32()
    response = client.post("/two-factor", data={"secret": attacker_secret,
                                                "code": pyotp.TOTP(attacker_secret).now()})
    assert response.headers["Location"] == "/sign-in/code"
    assert client.get("/").status_code == 302  # not signed in
    db_session.refresh(owner)
    assert owner.totp_secret == owner_secret
    assert "auth.totp_changed" not in actions(db_session, owner)
    assert "auth.totp_enrol_refused" in actions(db_session, owner)


def test_the_cookie_of_the_password_step_is_worth_nothing_once_the_code_is_passed(
    app: Flask, client: FlaskClient, with_key: Callable[..., User]
) -> None:
    user = with_key()
    sign_in(client, user.email)
    pending_cookie = copy_cookie(app, client)
    assert client.post("/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now()}).status_code == 302
    assert pending_cookie.get("/sign-in/code").headers["Location"] == "/sign-in"
    assert pending_cookie.get("/").status_code == 302


def copy_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    copy = app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    copy.set_cookie(name, client.get_cookie(name).value)
    return copy


def test_changing_a_key_needs_a_code_of_the_current_one(
    client: FlaskClient, with_key: Callable[..., User], db_session: Session
) -> None:
    user = with_key()
    old = user.totp_secret
    sign_in(client, user.email)
    assert client.post("/sign-in/code", data={"code": pyotp.TOTP(old).now()}).status_code == 302
    page = client.get("/two-factor", headers=EN).get_data(as_text=True)
    assert "A code from your current key, or a recovery code" in page
    new = pyotp.random_base32()
    typed = {"secret": new, "code": pyotp.TOTP(new).now()}
    missing = client.post("/two-factor", data=typed, headers=EN)
    assert missing.status_code == 400
    assert "Enter a code from your current key, or a recovery code." in missing.get_data(as_text=True)
    wrong = client.post("/two-factor", data={**typed, "current_code": "000000"}, headers=EN)
    assert wrong.status_code == 400 and "The code is not correct." in wrong.get_data(as_text=True)
    assert new in wrong.get_data(as_text=True)  # what was typed stays on the page
    db_session.refresh(user)
    assert user.totp_secret == old
    assert actions(db_session, user).count("auth.totp_failed") == 1
    user.totp_last_step = None  # the code used to sign in above may be typed again for this test
    db_session.commit()
    right = client.post("/two-factor", data={**typed, "current_code": pyotp.TOTP(old).now()})
    assert right.status_code == 200
    db_session.refresh(user)
    assert user.totp_secret == new and "auth.totp_changed" in actions(db_session, user)


def test_replaying_the_password_steps_cookie_does_not_reset_the_count_of_wrong_codes(
    client: FlaskClient, app: Flask, with_key: Callable[..., User], db_session: Session,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SIGN_IN_FREE_FAILURES", 100)
    monkeypatch.setitem(app.config, "SIGN_IN_LOCK_AFTER", 5)
    user = with_key()
    sign_in(client, user.email)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    for _ in range(5):
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        client.post("/sign-in/code", data={"code": "123456"})
    sign_in(client, user.email)  # a new password step does not reset it either
    right = client.post("/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now()}, headers=EN)
    assert right.status_code == 401
    assert "locked after too many failed attempts" in right.get_data(as_text=True)
    assert client.get("/").status_code == 302
    done = actions(db_session, user)
    assert done.count("auth.totp_failed") == 5 and done.count("auth.totp_locked") == 1


def test_wrong_codes_slow_down_after_the_free_tries(
    client: FlaskClient, with_key: Callable[..., User]
) -> None:
    user = with_key()
    sign_in(client, user.email)
    for _ in range(4):
        client.post("/sign-in/code", data={"code": "123456"})
    response = client.post("/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now()}, headers=EN)
    assert response.status_code == 401
    assert "Too many failed attempts. Try again in" in response.get_data(as_text=True)


def test_a_code_is_accepted_only_once(
    app: Flask, client: FlaskClient, with_key: Callable[..., User], db_session: Session
) -> None:
    user = with_key()
    code = pyotp.TOTP(user.totp_secret).now()
    sign_in(client, user.email)
    assert client.post("/sign-in/code", data={"code": code}).status_code == 302
    thief = app.test_client()
    sign_in(thief, user.email)
    replay = thief.post("/sign-in/code", data={"code": code}, headers=EN)
    assert replay.status_code == 401
    assert "This code was used already." in replay.get_data(as_text=True)
    assert thief.get("/").status_code == 302
    assert "auth.totp_failed" in actions(db_session, user)


def test_enrolment_shows_a_qr_code_and_recovery_codes_that_each_work_once(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], db_session: Session
) -> None:
    user = login_as(Role.DESK)
    page = client.get("/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and 'data-testid="totp-qr"' in page
    secret = page.split('data-testid="totp-secret">', 1)[1].split("<", 1)[0]
    shown = client.post("/two-factor", data={"secret": secret, "code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</li>", shown.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db_session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # stored hashed
    phone_lost = app.test_client()
    sign_in(phone_lost, user.email)
    assert phone_lost.post("/sign-in/code", data={"code": codes[0].upper()}).status_code == 302
    assert phone_lost.get("/").status_code == 200
    again = app.test_client()
    sign_in(again, user.email)
    assert again.post("/sign-in/code", data={"code": codes[0]}).status_code == 401
    assert "auth.recovery_code_used" in actions(db_session, user)


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session
) -> None:
    user = login_as(Role.DESK)
    user.totp_secret = pyotp.random_base32()
    db_session.commit()
    wrong = client.post("/two-factor/recovery-codes", data={"code": "000000"}, headers=EN)
    assert wrong.status_code == 401 and "The code is not correct." in wrong.get_data(as_text=True)
    assert db_session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    right = client.post("/two-factor/recovery-codes", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert right.status_code == 200 and 'data-testid="recovery-codes"' in right.get_data(as_text=True)
    assert len(db_session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()) == 10
    assert "auth.recovery_codes_renewed" in actions(db_session, user)


def test_an_admin_resets_a_lost_second_factor(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], with_key: Callable[..., User],
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as(Role.ADMIN)
    user = with_key(Role.MANAGER)
    phone = app.test_client()
    sign_in(phone, user.email)
    phone.post("/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert phone.get("/").status_code == 200
    page = client.get(f"/admin/users/{user.id}", headers=EN).get_data(as_text=True)
    assert "Reset the second factor" in page
    assert client.post(f"/admin/users/{user.id}/second-factor").status_code == 302
    db_session.refresh(user)
    assert user.totp_secret is None
    assert phone.get("/").status_code == 302  # their sessions ended
    assert "user.reset_second_factor" in actions(db_session, user)
    again = client.post(f"/admin/users/{user.id}/second-factor", headers=EN, follow_redirects=True)
    assert "This user has no second factor to reset." in again.get_data(as_text=True)
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_ROLES", ("manager",))
    assert sign_in(phone, user.email).headers["Location"] == "/two-factor"


@pytest.mark.parametrize(("secret", "code"), [
    ("!!!", "123456"), ("ABCDEFGH", "123456"), ("ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ", "123456"), ("A" * 65, "123456"),
    ("JBSWY3DPEHPK3PXPJBSWY3DP", "١٢٣٤٥٦"), ("JBSWY3DPEHPK3PXPJBSWY3DP", "<script>alert(1)</script>"),
    ("JBSWY3DPEHPK3PXPJBSWY3DP", "9" * 50), ("", ""),
])
def test_bad_enrolment_input_gets_a_message_and_changes_nothing(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session, secret: str, code: str
) -> None:
    user = login_as(Role.DESK)
    response = client.post("/two-factor", data={"secret": secret, "code": code}, headers=EN)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert 'class="invalid-feedback' in body or "This key is not valid." in body
    db_session.refresh(user)
    assert user.totp_secret is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abc", "١٢٣٤٥٦", "<b>1</b>", "x" * 500, "'; --"])
def test_bad_codes_get_a_message_never_a_500(
    client: FlaskClient, with_key: Callable[..., User], code: str
) -> None:
    user = with_key()
    sign_in(client, user.email)
    response = client.post("/sign-in/code", data={"code": code}, headers=EN)
    assert response.status_code in (400, 401)
    assert 'class="invalid-feedback' in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


@pytest.fixture
def live_app(fresh_database_url: str, tmp_path: Path) -> Iterator[tuple[Flask, User]]:
    """An app on a database of its own, committing for real, so that requests can run at once;
    with a user who has a key."""
    upgrade(fresh_database_url)
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": fresh_database_url, "WTF_CSRF_ENABLED": False,
                      "INSTANCE_PATH": tmp_path, "DEFAULT_LOCALE": "en", "SIGN_IN_FREE_FAILURES": 100,
                      "SIGN_IN_LOCK_AFTER": 100})
    with get_database(app).session_factory() as session:
        user = create_user(session, actor=None, now=datetime.now(UTC), email="owner@example.org",
                           full_name="Owner", role=Role.DESK, password=TEST_PASSWORD)
        user.totp_secret = pyotp.random_base32()
        session.commit()
    yield app, user
    get_database(app).engine.dispose()


def at_once(clients: list[FlaskClient], code: str) -> list[int]:
    barrier = threading.Barrier(len(clients))
    statuses = []

    def post(client: FlaskClient) -> None:
        barrier.wait()
        statuses.append(client.post("/sign-in/code", data={"code": code}).status_code)

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_wrong_codes_sent_at_once_are_each_counted(live_app: tuple[Flask, User]) -> None:
    app, user = live_app
    clients = [app.test_client() for _ in range(6)]
    for client in clients:
        sign_in(client, user.email)
    wrong = "000000" if pyotp.TOTP(user.totp_secret).now() != "000000" else "111111"
    assert at_once(clients, wrong) == [401] * 6
    with get_database(app).session_factory() as session:
        throttle = session.get(SignInThrottle, throttle_key("second-factor", str(user.id)))
        assert throttle.failures == 6


def test_one_code_sent_at_once_from_many_browsers_signs_in_one(live_app: tuple[Flask, User]) -> None:
    app, user = live_app
    clients = [app.test_client() for _ in range(6)]
    for client in clients:
        sign_in(client, user.email)
    statuses = at_once(clients, pyotp.TOTP(user.totp_secret).now())
    assert sorted(statuses) == [302] + [401] * 5
