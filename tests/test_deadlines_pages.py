"""The deadline pages: My deadlines, the secret iCal feed, the clocks partial of the request page,
and the admin's working calendars with their bad input."""
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import ConfigError
from mla.app import create_app
from mla.domain.enums import ClockKind, Direction, RequestKind, Role
from mla.models import AssistanceRequest, AuditEvent, CalendarDay, Clock, Office, User
from mla.reference.loader import load_reference
from mla.services.clocks.lifecycle import clocks_of
from mla.services.requests.editing import RequestInput, create_request, update_request
from mla.services.requests.stages import advance_stage

HOME = load_reference().home_iso2

EN = {"Accept-Language": "en"}
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("mla.web.clocks.views", "mla.web.clocks.calendars"):
        monkeypatch.setattr(f"{module}.now_utc", lambda: NOW)


def new_request(db: Session, actor: User, office: Office, direction: Direction = Direction.OUTGOING,
                **fields: object) -> AssistanceRequest:
    item = create_request(db, home_iso2=HOME,
                          actor=actor, now=NOW, direction=direction, kind=RequestKind.MLA, office=office,
                          data=RequestInput(country_iso2=str(fields.pop("country", "KZ")), **fields))
    db.commit()
    return item


def test_my_deadlines_lists_what_the_user_answers_for(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User], db_session: Session,
    office: Office,
) -> None:
    drafter = login_as(Role.DRAFTER)
    mine = new_request(db_session, drafter, office, deadline_on=date(2026, 11, 24),
                       deadline_reason="Custody ends")
    colleague = make_user(Role.DRAFTER)
    theirs = new_request(db_session, colleague, office, deadline_on=date(2026, 12, 1),
                         deadline_reason="Trial")
    page = client.get("/deadlines", headers=EN).get_data(as_text=True)
    assert mine.reference in page and "Custody ends" in page
    assert "1 day left" in page
    assert "calendar days on the calendar of Tajikistan" in page
    assert theirs.reference not in page
    clock = db_session.scalars(select(Clock).where(Clock.request_id == theirs.id)).one()
    clock.responsible_id = drafter.id  # a clock named for someone beats the assignee
    db_session.commit()
    assert theirs.reference in client.get("/deadlines", headers=EN).get_data(as_text=True)


def test_the_desk_answers_for_clocks_of_unassigned_requests_and_sees_pauses(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User], db_session: Session,
    office: Office,
) -> None:
    desk = login_as(Role.DESK)
    item = new_request(db_session, desk, office, Direction.INCOMING, country="AF",
                       received_on=date(2026, 11, 20))
    page = client.get("/deadlines", headers=EN).get_data(as_text=True)
    assert item.reference in page and "Our acknowledgement of receipt" in page
    assert "4 working days left" in page
    for name, data in (("register", {"received_on": date(2026, 11, 20), "partner_reference": "AF-1"}),
                       ("send_acknowledgement", {"acknowledged_on": date(2026, 11, 21)}),
                       ("start_formal_check", {}),
                       ("request_additional_info", {"info_requested": "Translation of the order"})):
        advance_stage(db_session, home_iso2=HOME, actor=desk, now=NOW, item=item, move_name=name, data=data,
                      expected_version=item.version)
    db_session.commit()
    page = client.get("/deadlines", headers=EN).get_data(as_text=True)
    assert "paused since Nov 23, 2026 (0 days so far)" in page
    assert "Our execution" in page
    login_as(Role.DRAFTER)
    assert item.reference not in client.get("/deadlines", headers=EN).get_data(as_text=True)


def test_the_clocks_partial_shows_every_clock_with_plural_forms(
    app: Flask, db_session: Session, make_user: Callable[..., User], office: Office,
) -> None:
    drafter = make_user(Role.DRAFTER)
    item = new_request(db_session, drafter, office, deadline_on=date(2026, 11, 25), deadline_reason="Trial")
    with app.test_request_context(headers=EN):
        html = render_template("requests/_clocks.html", clocks=clocks_of(db_session, item, now=NOW))
    assert "Requester&#39;s own deadline" in html and "2 days left" in html and "Trial" in html
    update_request(db_session, home_iso2=HOME,
                   actor=drafter, now=NOW, item=item, expected_version=item.version,
                   data=RequestInput(country_iso2="KZ"))
    with app.test_request_context(headers=EN):
        html = render_template("requests/_clocks.html", clocks=clocks_of(db_session, item, now=NOW))
    assert "cancelled on Nov 23, 2026" in html
    with app.test_request_context(headers=EN):
        empty = render_template("requests/_clocks.html", clocks=[])
    assert "No deadlines run" in empty


def feed_events(client: FlaskClient, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return list(Calendar.from_ical(response.data).walk("VEVENT"))


def test_the_feed_is_reached_by_its_secret_link_alone_and_keeps_uids_stable(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], db_session: Session, office: Office,
) -> None:
    drafter = login_as(Role.DRAFTER)
    item = new_request(db_session, drafter, office, deadline_on=date(2026, 12, 10), deadline_reason="Trial")
    page = client.post("/deadlines/feed", headers=EN, follow_redirects=True).get_data(as_text=True)
    db_session.refresh(drafter)
    token = drafter.ical_token
    assert token and f"/ical/{token}.ics" in page
    anonymous = app.test_client()
    [event] = feed_events(anonymous, f"/ical/{token}.ics")
    clock = db_session.scalars(select(Clock).where(Clock.request_id == item.id)).one()
    assert str(event["UID"]) == f"clock-{clock.id}@mla-tracker"
    assert event.decoded("DTSTART") == date(2026, 12, 10)
    assert (int(event["SEQUENCE"]), item.reference in str(event["SUMMARY"])) == (0, True)
    update_request(db_session, home_iso2=HOME,
                   actor=drafter, now=NOW, item=item, expected_version=item.version,
                   data=RequestInput(country_iso2="KZ", deadline_on=date(2026, 12, 3),
                                     deadline_reason="Trial"))
    db_session.commit()
    [event] = feed_events(anonymous, f"/ical/{token}.ics")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (f"clock-{clock.id}@mla-tracker", 1)
    assert event.decoded("DTSTART") == date(2026, 12, 3)
    client.post("/deadlines/feed", headers=EN)
    db_session.refresh(drafter)
    assert drafter.ical_token != token
    assert anonymous.get(f"/ical/{token}.ics").status_code == 404
    client.post("/deadlines/feed/revoke", headers=EN)
    db_session.refresh(drafter)
    assert drafter.ical_token is None
    for bad in ("x", "a" * 65, "", "\u202e\u0000%00" * 6, "' OR '1'='1' --------"):
        assert anonymous.get(f"/ical/{bad}.ics").status_code == 404


def test_a_deactivated_users_feed_is_gone(
    app: Flask, make_user: Callable[..., User], db_session: Session,
) -> None:
    user = make_user(Role.DESK)
    user.ical_token = "s3cret-token-of-a-leaver-0123456789"
    user.is_active = False
    db_session.commit()
    assert app.test_client().get("/ical/s3cret-token-of-a-leaver-0123456789.ics").status_code == 404


def test_admin_sees_a_countrys_holidays_and_adds_and_removes_days(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User], db_session: Session,
    office: Office,
) -> None:
    login_as(Role.ADMIN)
    page = client.get("/admin/calendars?country=TJ&year=2026", headers=EN).get_data(as_text=True)
    assert "Nowruz" in page and "Weekend: Saturday, Sunday." in page
    assert "Weekend: Friday." in client.get("/admin/calendars?country=AF", headers=EN).get_data(as_text=True)
    desk = make_user(Role.DESK)
    item = new_request(db_session, desk, office, Direction.INCOMING, country="AF")
    clock = db_session.scalars(select(Clock).where(Clock.request_id == item.id,
                                                   Clock.kind == ClockKind.OUR_ACKNOWLEDGEMENT)).one()
    assert clock.due_on == date(2026, 11, 30)
    response = client.post("/admin/calendars", headers=EN, follow_redirects=True, data={
        "country": "TJ", "day": "2026-11-25", "kind": "holiday", "note": "Day of mourning"})
    assert "The day was added" in response.get_data(as_text=True)
    db_session.refresh(clock)
    assert clock.due_on == date(2026, 12, 1)
    row = db_session.scalars(select(CalendarDay).where(CalendarDay.country_iso2 == "TJ")).one()
    response = client.post(f"/admin/calendars/days/{row.id}/remove", headers=EN, follow_redirects=True)
    assert "The day was removed" in response.get_data(as_text=True)
    db_session.refresh(clock)
    assert clock.due_on == date(2026, 11, 30)


@pytest.mark.parametrize(("form", "message"), [
    ({"country": "TJ", "day": "2026-13-45", "note": "Odd day"}, "Not a valid date value"),
    ({"country": "TJ", "day": "", "note": "Odd day"}, "Enter the date."),
    ({"country": "ZZ", "day": "2026-12-01", "note": "Odd day"}, "Choose a country from the list."),
    ({"country": "TJ", "day": "1890-12-01", "note": "Odd day"}, "Enter a valid date between 2000 and 2100."),
    ({"country": "TJ", "day": "2026-12-01", "note": " "}, "Say what the day is"),
    ({"country": "TJ", "day": "2026-12-01", "note": "Odd day", "kind": "maybe"}, "Not a valid choice"),
    ({"country": "\u202e\u0000%00", "day": "2026-12-01", "note": "Odd day"},
     "Choose a country from the list."),
])
def test_bad_calendar_days_get_a_message_and_keep_what_was_typed(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session, form: dict[str, str],
    message: str,
) -> None:
    login_as(Role.ADMIN)
    response = client.post("/admin/calendars", headers=EN, data={"kind": "holiday", **form})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body
    if form["note"].strip() and "\x00" not in form["note"]:
        assert f'value="{form["note"]}"' in body
    assert db_session.scalars(select(CalendarDay)).all() == []


def test_a_nul_byte_in_a_note_is_dropped_not_stored(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session,
) -> None:
    login_as(Role.ADMIN)
    data = {"country": "TJ", "day": "2026-12-01", "kind": "holiday", "note": "Odd\u0000day"}
    assert client.post("/admin/calendars", data=data, headers=EN).status_code == 302
    assert db_session.scalar(select(CalendarDay.note)) == "Oddday"


def test_a_day_already_on_the_calendar_is_refused(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session,
) -> None:
    login_as(Role.ADMIN)
    data = {"country": "UZ", "day": "2026-12-05", "kind": "working_day", "note": "Decree 12"}
    assert client.post("/admin/calendars", data=data, headers=EN).status_code == 302
    again = client.post("/admin/calendars", data=data, headers=EN)
    assert again.status_code == 400
    assert "already on the calendar" in again.get_data(as_text=True)
    assert len(db_session.scalars(select(CalendarDay)).all()) == 1


def test_an_unknown_country_in_the_address_gets_a_message(
    client: FlaskClient, login_as: Callable[..., User],
) -> None:
    login_as(Role.ADMIN)
    response = client.get("/admin/calendars?country=ZZ&year=abc", headers=EN)
    assert response.status_code == 200
    assert "Choose a country from the list." in response.get_data(as_text=True)


def test_an_unknown_time_zone_setting_stops_the_app_with_a_clear_message(tmp_path: object) -> None:
    with pytest.raises(ConfigError, match="MLA_TIME_ZONE must be an IANA time zone.*Mars/Olympus"):
        create_app({"ENV_NAME": "testing", "TIME_ZONE": "Mars/Olympus", "INSTANCE_PATH": tmp_path,
                    "DATABASE_URL": "sqlite://"})


@pytest.mark.parametrize(("setting", "starts"), [("TJ", True), ("KZ", False)])
def test_a_home_country_setting_other_than_the_reference_datas_stops_the_app(
    tmp_path: object, setting: str, starts: bool,
) -> None:
    settings = {"ENV_NAME": "testing", "HOME_COUNTRY": setting, "INSTANCE_PATH": tmp_path,
                "DATABASE_URL": "sqlite://"}
    if starts:
        assert create_app(settings).config["HOME_COUNTRY"] == "TJ"
        return
    with pytest.raises(ConfigError, match="MLA_HOME_COUNTRY is 'KZ'.*home country.*'TJ'"):
        create_app(settings)


def test_nobody_sees_clocks_of_requests_they_may_not_see(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User], db_session: Session,
    office: Office,
) -> None:
    desk = make_user(Role.DESK)
    item = new_request(db_session, desk, office, Direction.INCOMING, country="AF")
    translator = login_as(Role.TRANSLATOR)
    for clock in db_session.scalars(select(Clock).where(Clock.request_id == item.id)):
        clock.responsible_id = translator.id  # named, but the request is not in translation
    db_session.commit()
    assert item.reference not in client.get("/deadlines", headers=EN).get_data(as_text=True)
    login_as(Role.ADMIN)
    assert client.get("/deadlines").status_code == 403
    assert client.post("/deadlines/feed").status_code == 403


def test_a_user_turns_the_daily_digest_off_and_on(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session,
) -> None:
    user = login_as(Role.DRAFTER)
    assert client.post("/deadlines/digest").status_code == 302
    db_session.refresh(user)
    assert user.digest_opt_out is True
    assert "You do not get the daily e-mail" in client.get("/deadlines", headers=EN).get_data(as_text=True)
    client.post("/deadlines/digest")
    db_session.refresh(user)
    assert user.digest_opt_out is False
    actions = db_session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(user.id))).all()
    assert {"user.digest.opt_out", "user.digest.opt_in"} <= set(actions)
