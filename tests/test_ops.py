"""Health report and security headers."""
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mla.domain.enums import Role
from mla.migrations import head_revision
from mla.models import User
from mla.services.operations.heartbeats import record_heartbeat


def test_healthz_reports_database_migrations_and_scheduler(
    client: FlaskClient, db_session: Session, now
) -> None:
    report = client.get("/healthz").get_json()
    assert report["ok"] is True
    assert report["database"]["ok"] is True
    assert report["migrations"] == {"current": head_revision(), "head": head_revision(), "ok": True}
    assert report["scheduler"]["last_seen"] is None
    record_heartbeat(db_session, name="scheduler", now=now)
    db_session.commit()
    assert client.get("/healthz").get_json()["scheduler"]["last_seen"].startswith("2026-11-23")


def test_pages_carry_a_strict_content_security_policy(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as(Role.DESK)
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    body = response.get_data(as_text=True)
    assert "<script>" not in body and " style=" not in body and " onclick=" not in body


def test_production_adds_hsts_and_secure_cookies(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mla.app import create_app

    monkeypatch.setenv("MLA_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("MLA_DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("MLA_AUDIT_KEY", "a" * 32)
    app = create_app({"ENV_NAME": "production", "INSTANCE_PATH": tmp_path})
    response = app.test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True


def test_a_session_ends_after_the_idle_time(client: FlaskClient, app, make_user, db_session) -> None:
    import hashlib
    from datetime import timedelta

    from mla.models import UserSession
    from tests.conftest import TEST_PASSWORD

    user = make_user(Role.DESK)
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert "Expires=" in response.headers["Set-Cookie"]
    assert app.permanent_session_lifetime == timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    interface = app.session_interface
    serializer = interface.get_signing_serializer(app)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    session_id = serializer.loads(cookie, max_age=60)["_user_id"]
    token_hash = hashlib.sha256(session_id.encode()).hexdigest()
    record = db_session.query(UserSession).filter_by(token_hash=token_hash)
    assert record.one().user_id == user.id
    import itsdangerous

    with pytest.raises(itsdangerous.SignatureExpired):
        serializer.loads(cookie, max_age=-1)  # what Flask does once the idle time has passed
