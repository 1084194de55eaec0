"""Case data never stays in a browser's or proxy's cache: every export and download of a signed-in
user, and the token-only calendar feed, answer `Cache-Control: no-store`; static assets may be cached."""
from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mla.domain.enums import Role, Stage
from mla.models import AssistanceRequest, User


@pytest.mark.parametrize("path", [
    "/requests/export.csv", "/requests/export.xlsx", "/audit/export.csv",
    "/statistics/annual/2026.xlsx?language=en", "/statistics/annual/2026.docx?language=ru",
])
def test_exports_of_a_manager_are_not_stored(client: FlaskClient, login_as: Callable[..., User],
                                             path: str) -> None:
    login_as(Role.MANAGER)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_an_attachment_download_is_not_stored(client: FlaskClient, login_as: Callable[..., User],
                                              make_request: Callable[..., AssistanceRequest]) -> None:
    drafter = login_as(Role.DRAFTER)
    item = make_request(office=drafter.office, stage=Stage.DRAFT)
    client.post(f"/requests/{item.id}/attachments",
                data={"file": (io.BytesIO(b"witness statement\n"), "statement.txt"), "description": ""},
                content_type="multipart/form-data")
    page = client.get(f"/requests/{item.id}").get_data(as_text=True)
    start = page.index(f"/requests/{item.id}/attachments/")
    link = page[start:page.index('"', start)]
    response = client.get(link)
    assert response.status_code == 200 and response.data == b"witness statement\n"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_calendar_feed_is_not_stored(app: Flask, client: FlaskClient, db_session: Session,
                                        login_as: Callable[..., User]) -> None:
    drafter = login_as(Role.DRAFTER)
    client.post("/deadlines/feed")
    db_session.refresh(drafter)
    response = app.test_client().get(f"/ical/{drafter.ical_token}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_static_assets_may_be_cached(client: FlaskClient) -> None:
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
