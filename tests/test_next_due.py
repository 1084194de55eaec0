"""The stored next due date of a request (AssistanceRequest.next_due_on), which the overdue and due-soon
filters and the dashboard read: its rule, that every way a clock or deadline changes keeps it, that
keeping it touches neither the request's version nor its last-change time, and the migration's backfill."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session

from mla.domain.deadlines import ClockDates, next_due_on
from mla.domain.enums import ClockKind, ClockState, Counting, Direction, RequestKind, Role, Stage
from mla.migrations import upgrade
from mla.models import AssistanceRequest, Clock, Office, User
from mla.reference.loader import load_reference
from mla.services.clocks.calendars import add_calendar_day, remove_calendar_day
from mla.services.clocks.lifecycle import mark_missed_clocks
from mla.services.operations.reference import load_reference_data
from mla.services.requests.editing import RequestInput, create_request, update_request
from mla.services.requests.stages import advance_stage
from tests.conftest import insert_old_row

HOME = load_reference().home_iso2

S = ClockState
WAITS = Stage.ADDITIONAL_INFO_REQUESTED


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00:00").replace(tzinfo=UTC)


def d(day: str) -> date:
    return date.fromisoformat(day)


def dates(state: ClockState, due: str, paused: str | None = None, stopped: str | None = None) -> ClockDates:
    return ClockDates(state, d(due), d(paused) if paused else None, d(stopped) if stopped else None)


@pytest.mark.parametrize(("stage", "deadline", "clocks", "expected"), [
    (Stage.DRAFT, None, [], None),
    (Stage.DRAFT, "2026-12-10", [], "2026-12-10"),
    (Stage.SENT, "2026-12-10", [dates(S.RUNNING, "2026-12-01")], "2026-12-01"),
    (Stage.SENT, "2026-11-01", [dates(S.RUNNING, "2026-12-01")], "2026-11-01"),
    (Stage.SENT, None, [dates(S.MISSED, "2026-11-05"), dates(S.RUNNING, "2026-12-01")], "2026-11-05"),
    # stopped clocks no longer count, whether met, cancelled or a status enquiry missed and closed
    (Stage.SENT, None, [dates(S.MET, "2026-11-01", stopped="2026-11-02"),
                        dates(S.CANCELLED, "2026-11-01", stopped="2026-11-02"),
                        dates(S.MISSED, "2026-11-01", stopped="2026-11-03")], None),
    # a paused clock counts only when it was already late when paused
    (Stage.ADDITIONAL_INFO_REQUESTED, None, [dates(S.PAUSED, "2026-11-10", paused="2026-11-05")], None),
    (Stage.ADDITIONAL_INFO_REQUESTED, None, [dates(S.PAUSED, "2026-11-10", paused="2026-11-12")],
     "2026-11-10"),
    # an ended request owes nothing, even with a clock left open
    (Stage.CLOSED, "2026-11-01", [dates(S.MISSED, "2026-10-01")], None),
    (Stage.WITHDRAWN, "2026-11-01", [], None),
])
def test_the_next_due_date_is_the_earliest_counting_date_of_an_open_request(
    stage: Stage, deadline: str | None, clocks: list[ClockDates], expected: str | None,
) -> None:
    found = next_due_on(stage, d(deadline) if deadline else None, clocks)
    assert found == (d(expected) if expected else None)


def recomputed(db: Session, item: AssistanceRequest) -> date | None:
    clocks = db.scalars(select(Clock).where(Clock.request_id == item.id))
    return next_due_on(item.stage, item.deadline_on,
                       [ClockDates(c.state, c.due_on, c.paused_on, c.stopped_on) for c in clocks])


def stored(db: Session, item: AssistanceRequest) -> date | None:
    db.expire_all()
    return db.scalar(select(AssistanceRequest.next_due_on).where(AssistanceRequest.id == item.id))


@pytest.fixture
def desk(make_user: Callable[..., User]) -> User:
    return make_user(Role.DESK)


def move(db: Session, actor: User, item: AssistanceRequest, name: str, day: str, **data: object) -> None:
    advance_stage(db, home_iso2=HOME, actor=actor, now=at(day), item=item, move_name=name, data=data,
                  expected_version=item.version)
    db.commit()


def test_every_change_of_deadline_stage_and_clocks_keeps_the_stored_date(
    db_session: Session, desk: User, office: Office, complete_request: Callable[..., AssistanceRequest],
    make_user: Callable[..., User],
) -> None:
    item = create_request(db_session, home_iso2=HOME,
                          actor=desk, now=at("2026-06-01"), direction=Direction.OUTGOING,
                          kind=RequestKind.MLA, office=office,
                          data=RequestInput(country_iso2="KZ", deadline_on=d("2027-03-01"),
                                            deadline_reason="Trial"))
    db_session.commit()
    assert stored(db_session, item) == d("2027-03-01")
    update_request(db_session, home_iso2=HOME,
                   actor=desk, now=at("2026-06-01"), item=item, expected_version=item.version,
                   data=RequestInput(country_iso2="KZ", deadline_on=d("2027-02-01"), deadline_reason="Trial"))
    db_session.commit()
    assert stored(db_session, item) == d("2027-02-01")
    item = complete_request(stage=Stage.READY_TO_SEND, deadline_on=d("2027-02-01"), deadline_reason="Trial")
    move(db_session, desk, item, "transmit", "2026-06-01", transmitted_on=d("2026-06-01"),
         channel="central_authority", outgoing_number="1")
    after_transmission = stored(db_session, item)
    assert after_transmission is not None and after_transmission < d("2027-02-01")  # the partner's clocks
    assert after_transmission == recomputed(db_session, item)
    move(db_session, desk, item, "record_acknowledgement", "2026-06-03", acknowledged_on=d("2026-06-03"),
         partner_reference="P-1")
    assert stored(db_session, item) == recomputed(db_session, item)
    # months without news: the sweep records the status enquiries missed and starts the next ones
    version, updated_at = item.version, item.updated_at
    assert mark_missed_clocks(db_session, home_iso2=HOME, now=at("2026-11-23"))
    db_session.commit()
    assert stored(db_session, item) == recomputed(db_session, item) < d("2026-11-23")
    assert (item.version, item.updated_at) == (version, updated_at)  # a derived date is not an edit
    move(db_session, make_user(Role.MANAGER), item, "withdraw", "2026-11-24", reason="case closed")
    assert stored(db_session, item) is None


def test_a_calendar_day_that_moves_a_clock_moves_the_stored_date(
    db_session: Session, desk: User, office: Office, make_user: Callable[..., User],
) -> None:
    item = create_request(db_session, home_iso2=HOME,
                          actor=desk, now=at("2026-11-23"), direction=Direction.INCOMING,
                          kind=RequestKind.MLA, office=office, data=RequestInput(country_iso2="AF"))
    db_session.commit()
    assert stored(db_session, item) == d("2026-11-30")  # our acknowledgement, 5 working days
    admin = make_user(Role.ADMIN)
    row = add_calendar_day(db_session, actor=admin, now=at("2026-11-23"), iso2="TJ", day=d("2026-11-25"),
                           is_working_day=False, note="Day of mourning")
    db_session.commit()
    assert stored(db_session, item) == d("2026-12-01")
    remove_calendar_day(db_session, actor=admin, now=at("2026-11-23"), row=row)
    db_session.commit()
    assert stored(db_session, item) == d("2026-11-30")


def test_the_migration_fills_the_date_for_every_existing_request(fresh_databases: Callable[[], str]) -> None:
    url = fresh_databases()
    upgrade(url, "0006_request_list_indexes")
    engine = create_engine(url)
    shapes = {  # name: (stage, deadline, clocks as (state, due, paused, stopped))
        "nothing due": (Stage.DRAFT, None, []),
        "deadline only": (Stage.DRAFT, "2026-12-10", []),
        "clock first": (Stage.SENT, "2026-12-10", [(S.RUNNING, "2026-12-01", None, None)]),
        "missed and met": (Stage.SENT, None, [(S.MISSED, "2026-11-05", None, None),
                                              (S.MET, "2026-10-01", None, "2026-10-02")]),
        "paused in time": (WAITS, None, [(S.PAUSED, "2026-11-10", "2026-11-05", None)]),
        "paused late": (WAITS, None, [(S.PAUSED, "2026-11-10", "2026-11-12", None)]),
        "closed": (Stage.CLOSED, "2026-11-01", [(S.MISSED, "2026-10-01", None, None)]),
    }
    ids: dict[str, int] = {}
    with Session(engine) as session:
        load_reference_data(session, load_reference())
        office_id = insert_old_row(session, Office, code="OLD", name="Office", created_at=at("2026-01-01"))
        for number, (name, (stage, deadline, clocks)) in enumerate(shapes.items(), start=1):
            ids[name] = insert_old_row(
                session, AssistanceRequest, reference=f"OLD-{number}", direction=Direction.OUTGOING,
                kind=RequestKind.MLA, stage=stage, office_id=office_id, country_iso2="KZ",
                deadline_on=d(deadline) if deadline else None, created_at=at("2026-01-01"),
                updated_at=at("2026-01-01"), version=1)
            for state, due, paused, stopped in clocks:
                session.execute(insert(Clock.__table__).values(
                    request_id=ids[name], kind=ClockKind.EXECUTION_EXPECTED, sequence=1, state=state,
                    counting=Counting.CALENDAR_DAYS, calendar_iso2="KZ", started_on=d("2026-01-01"),
                    due_on=d(due), paused_on=d(paused) if paused else None,
                    stopped_on=d(stopped) if stopped else None, paused_days=0, revision=0,
                    created_at=at("2026-01-01")))
        session.commit()
    upgrade(url)
    with Session(engine) as session:
        found = {name: session.get(AssistanceRequest, ids[name]).next_due_on for name in shapes}
        expected = {name: recomputed(session, session.get(AssistanceRequest, ids[name])) for name in shapes}
    engine.dispose()
    assert found == expected
    assert found == {"nothing due": None, "deadline only": d("2026-12-10"), "clock first": d("2026-12-01"),
                     "missed and met": d("2026-11-05"), "paused in time": None,
                     "paused late": d("2026-11-10"), "closed": None}
