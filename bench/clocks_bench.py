"""Benchmark of the clocks (issue 5, calendars and clocks): a temporary SQLite database with 100,000 open
outgoing requests, each with a running clock, on the calendars of eleven partner countries.

Measures (median of several runs):
  1. the calendars: the `holidays` package for one country and year (cold, then cached), and a
     90-working-day count on a warm calendar;
  2. the clock work one stage move adds: `advance_stage` (transmit) with and without `sync_clocks`;
  3. `mark_missed_clocks` over every open clock: the steady state (nothing newly passed), then a day on
     which 1,000 clocks pass their due date (each recorded in the audit chain);
  4. My deadlines for a drafter (about 260 clocks) and for a desk officer (the unassigned ones), and the
     iCal feed of the drafter through the web app.

Run: .venv/bin/python bench/clocks_bench.py [--requests 100000] [--runs 5]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, update  # noqa: E402

from mla.app import create_app  # noqa: E402
from mla.db import Database  # noqa: E402
from mla.domain.calendar import WorkingCalendar  # noqa: E402
from mla.domain.enums import ClockKind, ClockState, Counting, Direction, RequestKind, Role, Stage  # noqa: E402
from mla.migrations import upgrade  # noqa: E402
from mla.models import AssistanceRequest, Clock, Office, User  # noqa: E402
from mla.reference.loader import load_reference  # noqa: E402
from mla.services.clocks import calendars  # noqa: E402
from mla.services.clocks import lifecycle as clocks  # noqa: E402
from mla.services.operations.reference import load_reference_data  # noqa: E402
from mla.services.requests import stages  # noqa: E402

HOME = load_reference().home_iso2

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
OFFICES, DRAFTERS_PER_OFFICE = 20, 19
COUNTRIES = ("KZ", "KG", "UZ", "TM", "AF", "PK", "IQ", "IR", "BD", "RU", "TR")
MOVES = 200


def median_ms(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def seed(database: Database, requests: int, rng: random.Random) -> None:
    with database.session_factory() as session:
        load_reference_data(session, load_reference())
        offices = [Office(code=f"O{n:02d}", name=f"Office {n}") for n in range(OFFICES)]
        session.add_all(offices)
        session.flush()
        users = [User(email=f"drafter{o.id}.{n}@bench.example", full_name=f"Drafter {n}", password_hash="-",
                      role=Role.DRAFTER, office_id=o.id, ical_token=f"token-{o.id}-{n}-0123456789abcdef")
                 for o in offices for n in range(DRAFTERS_PER_OFFICE)]
        users.append(User(email="desk@bench.example", full_name="Desk", password_hash="-", role=Role.DESK))
        session.add_all(users)
        session.flush()
        drafters = {o.id: [u.id for u in users if u.office_id == o.id] for o in offices}
        rows, clock_rows = [], []
        for number in range(requests):
            office, country = offices[number % OFFICES].id, COUNTRIES[number % len(COUNTRIES)]
            rows.append({"id": number + 1, "reference": f"OUT-MLA-2026-{number + 1:06d}",
                         "direction": Direction.OUTGOING, "kind": RequestKind.MLA, "stage": Stage.SENT,
                         "office_id": office, "country_iso2": country, "created_at": NOW,
                         "assignee_id": None if number % 100 == 0 else rng.choice(drafters[office])})
            due = TODAY + timedelta(days=rng.randint(0, 150))
            clock_rows.append({"request_id": number + 1, "kind": ClockKind.DECISION_EXPECTED, "sequence": 1,
                               "state": ClockState.RUNNING, "counting": Counting.CALENDAR_DAYS,
                               "calendar_iso2": country, "started_on": due - timedelta(30), "due_on": due,
                               "paused_days": 0, "reason": "", "revision": 0, "created_at": NOW})
        session.execute(insert(AssistanceRequest), rows)
        session.execute(insert(Clock), clock_rows)
        session.commit()


def bench_calendars(runs: int) -> None:
    start = time.perf_counter()
    calendars.official_days("TJ", 2031)
    cold = (time.perf_counter() - start) * 1000
    warm, _ = median_ms(runs, lambda: calendars.official_days("TJ", 2031))
    print(f"holidays package, one country-year: {cold:.1f} ms cold, {warm * 1000:.1f} µs cached")
    profile = load_reference().countries["AF"]
    calendar = WorkingCalendar("AF", profile.weekend_days,
                               lambda year: calendars.official_days(profile.holiday_calendar, year))
    calendar.add_working_days(TODAY, 90)  # warm the years it touches
    ms, due = median_ms(runs, lambda: calendar.add_working_days(TODAY, 90))
    print(f"90 working days on the Afghan calendar (to {due}): {ms * 1000:.0f} µs")


def bench_moves(database: Database, runs: int) -> None:
    with database.session_factory() as session:
        desk = session.scalar(select(User).where(User.role == Role.DESK))
        office = session.scalar(select(Office))
        items = [AssistanceRequest(reference=f"OUT-MLA-2026-9{n:05d}", direction=Direction.OUTGOING,
                                   kind=RequestKind.MLA, stage=Stage.READY_TO_SEND, office_id=office.id,
                                   country_iso2=COUNTRIES[n % len(COUNTRIES)], created_at=NOW)
                 for n in range(2 * MOVES)]
        session.add_all(items)
        session.commit()
        data = {"transmitted_on": TODAY, "channel": "central_authority", "outgoing_number": "1"}

        def transmit(batch: list[AssistanceRequest]) -> float:
            start = time.perf_counter()
            for item in batch:
                stages.advance_stage(session, home_iso2=HOME,
                                     actor=desk, now=NOW, item=item, move_name="transmit", data=data,
                                     expected_version=item.version)
            session.commit()
            return (time.perf_counter() - start) * 1000 / len(batch)

        # the bare requests are not complete: skip the check a transmission runs, as the view's
        # completeness check was outside these timings before advance_stage ran it itself
        with mock.patch.object(stages, "completeness", lambda *args, **kwargs: ()):
            with mock.patch.object(stages, "sync_clocks", lambda *args, **kwargs: None):
                without = transmit(items[:MOVES])
            with_clocks = transmit(items[MOVES:])
        started = session.scalar(select(Clock.id).where(Clock.request_id == items[-1].id).limit(1))
        assert started is not None
        print(f"one stage move (transmit): {without:.1f} ms without clocks, {with_clocks:.1f} ms with "
              f"sync_clocks (+{with_clocks - without:.1f} ms: two clocks started, calendars read)")


def bench_missed(database: Database, runs: int) -> None:
    with database.session_factory() as session:
        steady, missed = median_ms(runs, lambda: clocks.mark_missed_clocks(session, home_iso2=HOME, now=NOW))
        session.rollback()
        print(f"mark_missed_clocks over every open clock, nothing newly passed: {steady:.0f} ms "
              f"({len(missed)} missed)")
        ids = session.scalars(select(Clock.id).where(Clock.state == ClockState.RUNNING).limit(1000)).all()
        session.execute(update(Clock).where(Clock.id.in_(ids)).values(due_on=TODAY - timedelta(days=1)))
        session.commit()
        start = time.perf_counter()
        missed = clocks.mark_missed_clocks(session, home_iso2=HOME, now=NOW)
        session.commit()
        print(f"mark_missed_clocks with 1,000 newly passed: {(time.perf_counter() - start) * 1000:.0f} ms "
              f"({len(missed)} recorded, with their audit events)")


def bench_pages(url: str, folder: str, runs: int) -> None:
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "INSTANCE_PATH": Path(folder) / "instance"})
    from mla.db import get_database

    with get_database(app).session_factory() as session:
        drafter = session.scalar(select(User).where(User.role == Role.DRAFTER))
        desk = session.scalar(select(User).where(User.role == Role.DESK))
        for who, user in (("drafter", drafter), ("desk officer", desk)):
            ms, lines = median_ms(runs, lambda user=user: clocks.my_deadlines(session, user, now=NOW))
            print(f"my_deadlines for a {who}: {ms:.0f} ms ({len(lines)} clocks)")
        token = drafter.ical_token
    client = app.test_client()
    ms, response = median_ms(runs, lambda: client.get(f"/ical/{token}.ics"))
    print(f"iCal feed of that drafter over HTTP: {ms:.0f} ms ({response.data.count(b'BEGIN:VEVENT')} events, "
          f"{len(response.data) // 1024} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_calendars(args.runs)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        upgrade(url)
        database = Database(url)
        started = time.perf_counter()
        seed(database, args.requests, random.Random(5))
        print(f"seeded {args.requests} requests with their clocks in {time.perf_counter() - started:.1f} s")
        bench_moves(database, args.runs)
        bench_missed(database, args.runs)
        bench_pages(url, folder, args.runs)
        database.engine.dispose()


if __name__ == "__main__":
    main()
