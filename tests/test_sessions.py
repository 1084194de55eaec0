"""Sessions live on the server: the cookie carries a session record's id, and signing out, an
administrator, a new password, the idle time and the absolute lifetime end every copy of it."""
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.enums import Role
from mla.models import AuditEvent, User, UserSession
from tests.conftest import TEST_PASSWORD

EN = {"Accept-Language": "en"}


def sign_in(client: FlaskClient, user: User, address: str = "127.0.0.1"):
    return client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD},
                       environ_base={"REMOTE_ADDR": address, "HTTP_USER_AGENT": "Firefox/140 test"})


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie (stolen, or a backup)."""
    copy = app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    copy.set_cookie(name, client.get_cookie(name).value)
    return copy


def record_of(app: Flask, client: FlaskClient, db: Session) -> UserSession:
    serializer = app.session_interface.get_signing_serializer(app)
    session_id = serializer.loads(client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value)["_user_id"]
    return db.scalars(select(UserSession).where(
        UserSession.token_hash == hashlib.sha256(session_id.encode()).hexdigest())).one()


def test_a_cookie_copied_before_sign_out_is_worth_nothing_after(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], db_session: Session
) -> None:
    user = make_user(Role.DESK)
    sign_in(client, user)
    copy = copy_of(app, client)
    assert copy.get("/").status_code == 200
    assert client.post("/sign-out").status_code == 302
    assert copy.get("/").status_code == 302
    assert copy.get("/requests/").headers["Location"].startswith("/sign-in")


def test_the_cookie_carries_a_new_random_id_for_each_sign_in(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], db_session: Session
) -> None:
    user = make_user(Role.DESK)
    sign_in(client, user)
    first = record_of(app, client, db_session)
    other = app.test_client()
    sign_in(other, user)
    second = record_of(app, other, db_session)
    assert first.id != second.id and first.user_id == second.user_id == user.id
    assert first.expires_at - first.created_at == timedelta(hours=app.config["SESSION_MAX_HOURS"])
    assert first.user_agent == "Firefox/140 test" and first.remote_addr == "127.0.0.1"


def test_a_session_ends_at_its_absolute_lifetime_however_busy(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], db_session: Session
) -> None:
    user = make_user(Role.DESK)
    sign_in(client, user)
    record = record_of(app, client, db_session)
    record.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db_session.commit()
    assert client.get("/").status_code == 302


def test_a_session_idle_too_long_ends_on_the_server_too(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], db_session: Session
) -> None:
    user = make_user(Role.DESK)
    sign_in(client, user)
    record = record_of(app, client, db_session)
    record.last_seen_at = datetime.now(UTC) - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db_session.commit()
    assert client.get("/").status_code == 302


def test_reading_pages_notes_the_last_use_at_most_once_a_minute(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], db_session: Session
) -> None:
    user = make_user(Role.DESK)
    sign_in(client, user)
    record = record_of(app, client, db_session)
    before = datetime.now(UTC) - timedelta(minutes=5)
    record.last_seen_at = before
    db_session.commit()
    client.get("/")
    db_session.refresh(record)
    seen = record.last_seen_at
    assert seen > before
    client.get("/requests/")
    db_session.refresh(record)
    assert record.last_seen_at == seen


def test_a_user_sees_their_sessions_and_ends_the_others(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], db_session: Session
) -> None:
    user = make_user(Role.DRAFTER)
    sign_in(client, user)
    laptop = app.test_client()
    phone = app.test_client()
    sign_in(laptop, user, "10.1.1.1")
    sign_in(phone, user, "10.2.2.2")
    page = client.get("/account/sessions", headers=EN).get_data(as_text=True)
    assert "10.1.1.1" in page and "10.2.2.2" in page and "This browser" in page
    assert "Firefox/140 test" in page
    laptop_record = record_of(app, laptop, db_session)
    assert client.post(f"/account/sessions/{laptop_record.id}/end").status_code == 302
    assert laptop.get("/").status_code == 302 and phone.get("/").status_code == 200
    ended = client.post("/account/sessions/end-others", headers=EN, follow_redirects=True)
    assert "1 other session was ended." in ended.get_data(as_text=True)
    assert phone.get("/").status_code == 302 and client.get("/").status_code == 200
    done = db_session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(user.id))).all()
    assert "auth.session_ended" in done and "auth.other_sessions_ended" in done


def test_nobody_ends_a_session_that_is_not_theirs(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], db_session: Session
) -> None:
    victim = make_user(Role.DESK)
    attacker = make_user(Role.DRAFTER)
    victims_browser = app.test_client()
    sign_in(victims_browser, victim)
    sign_in(client, attacker)
    target = record_of(app, victims_browser, db_session)
    response = client.post(f"/account/sessions/{target.id}/end", headers=EN, follow_redirects=True)
    assert "That session is not one of your other open sessions." in response.get_data(as_text=True)
    assert victims_browser.get("/").status_code == 200
    own = record_of(app, client, db_session)
    refused = client.post(f"/account/sessions/{own.id}/end", headers=EN, follow_redirects=True)
    assert "That session is not one of your other open sessions." in refused.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/account/sessions/end-others", "/account/sessions/1/end"])
def test_ending_sessions_needs_a_post_with_a_csrf_token(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch,
    path: str
) -> None:
    user = make_user(Role.DESK)
    sign_in(client, user)
    other = app.test_client()
    sign_in(other, user)
    assert client.get(path).status_code == 405
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(path).status_code == 400
    assert other.get("/").status_code == 200


def test_deactivating_an_account_ends_its_sessions_for_good(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User],
    db_session: Session
) -> None:
    login_as(Role.ADMIN)
    user = make_user(Role.DRAFTER)
    browser = app.test_client()
    sign_in(browser, user)
    form = {"full_name": user.full_name, "role": "drafter", "office": user.office.code, "version": "1"}
    assert client.post(f"/admin/users/{user.id}", data=form).status_code == 302
    assert browser.get("/").status_code == 302
    reactivate = {**form, "is_active": "y", "version": "2"}
    assert client.post(f"/admin/users/{user.id}", data=reactivate).status_code == 302
    assert browser.get("/").status_code == 302
