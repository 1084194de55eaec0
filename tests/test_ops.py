"""Health report and security headers."""
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mla.domain.enums import Role
from mla.migrations import head_revision
from mla.models import User
from mla.services.ops import record_heartbeat


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
