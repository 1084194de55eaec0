"""Benchmark of the reminder sweep: 100,000 open requests with their clocks in a temporary SQLite database.

Measures (median of several runs):
  1. the raw-SQL floor: the scan of open clocks due up to the furthest reminder step, with the request
     columns the sweep needs, straight through sqlite3; and the bare scan of every running clock;
  2. one sweep deciding what is due (`send_due_reminders(..., dry_run=True)`: plan, claims already made,
     recipients, working hours), first with nothing claimed, then in the steady state after a sweep;
  3. one real sweep over SMTP to aiosmtpd on 127.0.0.1: digests sent and SMTP connections opened.

Run: .venv/bin/python bench/sweep_bench.py [--requests 100000] [--runs 5]
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from mla.db import Database  # noqa: E402
from mla.domain.enums import ClockKind, ClockState, Counting, Direction, RequestKind, Role, Stage  # noqa: E402
from mla.migrations import upgrade  # noqa: E402
from mla.models import AssistanceRequest, Clock, Office, User  # noqa: E402
from mla.notify.mail import OutboxMailer  # noqa: E402
from mla.reference.loader import load_reference  # noqa: E402
from mla.services.clocks.reminders import send_due_reminders  # noqa: E402
from mla.services.operations.reference import load_reference_data  # noqa: E402
from tests.smtp_server import running_smtp_server  # noqa: E402

HOME = load_reference().home_iso2

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday, 14:00 in Dushanbe
TODAY = date(2026, 11, 23)
HORIZON = date(2026, 11, 30)  # five working days ahead: the furthest default reminder step
OFFICES, DRAFTERS_PER_OFFICE = 20, 19
COUNTRIES = ("KZ", "KG", "UZ", "TM", "AF", "PK", "IQ", "IR", "BD", "RU", "TR")


def seed(database: Database, requests: int, rng: random.Random) -> None:
    with database.session_factory() as session:
        load_reference_data(session, load_reference())
        offices = [Office(code=f"O{n:02d}", name=f"Office {n}") for n in range(OFFICES)]
        session.add_all(offices)
        session.flush()
        users = [User(email=f"{role.value}{o.id}.{n}@bench.example", full_name=f"{role.value} {n}",
                      password_hash="-", role=role, office_id=o.id)
                 for o in offices for role, count in ((Role.DRAFTER, DRAFTERS_PER_OFFICE), (Role.MANAGER, 1))
                 for n in range(count)]
        session.add_all(users)
        session.flush()
        drafters = {o.id: [u.id for u in users if u.office_id == o.id and u.role == Role.DRAFTER]
                    for o in offices}
        rows, clocks = [], []
        for number in range(requests):
            office = offices[number % OFFICES].id
            rows.append({"id": number + 1, "reference": f"OUT-MLA-2026/{number + 1:06d}",
                         "direction": Direction.OUTGOING, "kind": RequestKind.MLA, "stage": Stage.SENT,
                         "office_id": office, "country_iso2": COUNTRIES[number % len(COUNTRIES)],
                         "assignee_id": rng.choice(drafters[office])})
            # each open request: its running clock, due from 30 days ago to 150 days ahead, and for
            # every other one an acknowledgement clock already met (history the scan must skip)
            due_on = TODAY + timedelta(days=rng.randint(-30, 150))
            clocks.append(_clock(number + 1, ClockState.RUNNING, due_on))
            if number % 2:
                clocks.append(_clock(number + 1, ClockState.MET, TODAY - timedelta(days=rng.randint(1, 90))))
        session.execute(insert(AssistanceRequest), rows)
        session.execute(insert(Clock), clocks)
        session.commit()


def _clock(request_id: int, state: ClockState, due_on: date) -> dict:
    return {"request_id": request_id, "kind": ClockKind.EXECUTION_EXPECTED, "sequence": 1, "state": state,
            "counting": Counting.CALENDAR_DAYS, "calendar_iso2": "KZ", "started_on": due_on - timedelta(90),
            "due_on": due_on, "paused_days": 0, "reason": "", "revision": 0,
            "created_at": NOW}


def median_ms(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def raw_scans(path: Path, runs: int) -> dict[str, tuple[float, int]]:
    connection = sqlite3.connect(path)
    due = ("SELECT c.id, c.request_id, c.kind, c.due_on, c.revision, c.responsible_id, r.reference, "
           "r.country_iso2, r.office_id, r.assignee_id, r.created_by_id FROM clock c "
           "JOIN assistance_request r ON r.id = c.request_id WHERE c.state IN ('running', 'missed') "
           "AND c.stopped_on IS NULL AND c.due_on <= ?")
    every = "SELECT id, due_on, responsible_id, revision FROM clock WHERE state = 'running'"
    out = {}
    for name, sql, args in (("due", due, (HORIZON.isoformat(),)), ("all", every, ())):
        ms, rows = median_ms(runs, lambda sql=sql, args=args: connection.execute(sql, args).fetchall())
        out[name] = (ms, len(rows))
    connection.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        upgrade(url)
        database = Database(url)
        started = time.perf_counter()
        seed(database, args.requests, random.Random(5))
        print(f"seeded {args.requests} requests in {time.perf_counter() - started:.1f} s")
        raw = raw_scans(path, args.runs)
        print(f"raw SQL, open clocks due by {HORIZON} with request columns: {raw['due'][0]:.1f} ms "
              f"({raw['due'][1]} rows)")
        print(f"raw SQL, every running clock: {raw['all'][0]:.1f} ms ({raw['all'][1]} rows)")

        unused = OutboxMailer(lambda _message: None, sender="bench@example.org")  # a dry run sends nothing

        def decide() -> object:
            return send_due_reminders(database.session_factory, home_iso2=HOME,
                                      now=NOW, mailer=unused, dry_run=True)

        cold_ms, report = median_ms(args.runs, decide)
        print(f"sweep deciding what is due (nothing claimed yet): {cold_ms:.0f} ms, {report.due} reminders "
              f"for {len(report.planned)} recipients")
        with running_smtp_server() as server:
            mailer = server.mailer()
            start = time.perf_counter()
            sent = send_due_reminders(database.session_factory, home_iso2=HOME, now=NOW, mailer=mailer)
            send_s = time.perf_counter() - start
            reminders = sum(d.reminders for d in sent.sent)
            print(f"real sweep over SMTP: {reminders} reminders in {len(sent.sent)} digests, "
                  f"{len(server.sink.messages)} messages received, {mailer.connections_opened} "
                  f"connection(s) opened ({server.sink.connections} EHLO), {send_s:.1f} s")
        warm_ms, report = median_ms(args.runs, decide)
        print(f"sweep deciding what is due (steady state, all claimed): {warm_ms:.0f} ms, {report.due} due")
        database.engine.dispose()


if __name__ == "__main__":
    main()
