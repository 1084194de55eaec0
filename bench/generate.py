"""Fill a database with a realistic register for the managers' benchmarks (issue 6): 100,000 requests of the
four kinds, 300,000 persons, about 1,000,000 stage changes and the clocks they imply, over 2019-2026.

Requests: outgoing MLA 46%, incoming MLA 32%, outgoing police 12%, incoming police 10%; the eleven partner
countries weighted (Russia, Kazakhstan, Türkiye, Uzbekistan most); twenty offices, Dushanbe the largest; each
request walks its real stage machine (bench/history.py) from its creation day, so most are closed and a
backlog stays open, some refused with a ground, some withdrawn; clocks started, met and cancelled by the clock
rules, those still open and past due marked missed. Persons: three a request, names from bench/search_names.py
(a pool of 5,000 with their search keys), 5% protected. Users: drafters per office, desk, translators,
managers (manager@bench.example) and an admin; no password works, benchmarks sign in by session token.

Run: .venv/bin/python bench/generate.py [--database-url sqlite:////tmp/mla_bench.sqlite3] [--requests 100000]
The target is replaced: the SQLite file is deleted first; a PostgreSQL database named in the URL is dropped
and created afresh (postgresql://postgres@127.0.0.1:5432/mla_bench).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from history import History, walk  # noqa: E402
from search_names import NameMaker  # noqa: E402
from sqlalchemy import Engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from mla.db import make_engine  # noqa: E402
from mla.domain.deadlines import ClockDates, next_due_on  # noqa: E402
from mla.domain.enums import CaseStage, Direction, PersonRole, RequestKind, Role, Urgency  # noqa: E402
from mla.domain.names import person_key  # noqa: E402
from mla.migrations import upgrade  # noqa: E402
from mla.models import (  # noqa: E402
    AssistanceRequest,
    Clock,
    NationalCase,
    Office,
    Person,
    RefusalGround,
    StageChange,
    User,
)
from mla.reference.loader import load_reference  # noqa: E402
from mla.services.operations.reference import load_reference_data  # noqa: E402
from mla.services.requests.editing import reference_prefix  # noqa: E402

TODAY = date(2026, 11, 23)
NOW = datetime.combine(TODAY, clock_time(9), tzinfo=UTC)
FIRST_DAY = date(2019, 1, 1)
HOME = "TJ"
KINDS = {(Direction.OUTGOING, RequestKind.MLA): 46, (Direction.INCOMING, RequestKind.MLA): 32,
         (Direction.OUTGOING, RequestKind.POLICE): 12, (Direction.INCOMING, RequestKind.POLICE): 10}
COUNTRIES = {"RU": 30, "KZ": 16, "TR": 13, "UZ": 12, "KG": 8, "AF": 6, "IR": 4, "TM": 3, "PK": 3, "IQ": 2,
             "BD": 2}
OFFICES = 20
DRAFTERS, DESK, TRANSLATORS, MANAGERS = 8, 6, 4, 3
ROLES = (PersonRole.SUSPECT, PersonRole.ACCUSED, PersonRole.VICTIM, PersonRole.WITNESS)
CHUNK = 10_000
DATES = ("transmitted_on", "acknowledged_on", "received_on", "closed_on")


def prepare(url: str) -> None:
    """Empty the target: delete the SQLite file, or drop and create the PostgreSQL database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").unlink(missing_ok=True)
    else:
        admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False),
                            isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
    upgrade(url)


def people(engine: Engine) -> tuple[list[int], dict[int, list[int]], list[int], list[str]]:
    """Reference data, offices, users; returns office ids, drafters by office, desk ids, refusal grounds."""
    with Session(engine) as session:
        load_reference_data(session, load_reference())
        offices = [Office(code=f"P{n:02d}", name=f"Prosecutor's office {n}", city=f"City {n}")
                   for n in range(OFFICES)]
        session.add_all(offices)
        session.flush()
        users = [User(email=f"drafter{o.id}.{n}@bench.example", full_name=f"Drafter {o.id}.{n}",
                     password_hash="-", role=Role.DRAFTER, office_id=o.id)
                 for o in offices for n in range(DRAFTERS)]
        for role, number in ((Role.DESK, DESK), (Role.TRANSLATOR, TRANSLATORS), (Role.MANAGER, MANAGERS)):
            users += [User(email=f"{role.value}{'' if n == 0 else n}@bench.example", password_hash="-",
                           full_name=f"{role.value.title()} {n}", role=role, office_id=offices[0].id)
                      for n in range(number)]
        users.append(User(email="admin@bench.example", full_name="Admin", password_hash="-", role=Role.ADMIN))
        session.add_all(users)
        session.commit()
        drafters = {o.id: [u.id for u in users if u.office_id == o.id and u.role == Role.DRAFTER]
                    for o in offices}
        desk = [u.id for u in users if u.role in (Role.DESK, Role.MANAGER)]
        grounds = list(session.scalars(select(RefusalGround.code)))
        return [o.id for o in offices], drafters, desk, grounds


def _history(rng: random.Random) -> History:
    direction, kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    country = rng.choices(list(COUNTRIES), weights=list(COUNTRIES.values()))[0]
    span = (TODAY - FIRST_DAY).days  # more requests each year: the triangle leans to the recent end
    created = FIRST_DAY + timedelta(days=int(rng.triangular(0, span, span)))
    urgency = Urgency.URGENT if rng.random() < 0.15 else Urgency.NORMAL
    deadline = created + timedelta(days=rng.randint(20, 240)) if rng.random() < 0.3 else None
    return walk(rng, History(direction, kind, country, urgency, created, deadline), TODAY, HOME)


class Counters:
    """Gap-free reference numbers per prefix and year, as services.requests.next_reference gives them."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, int], int] = {}

    def next(self, direction: Direction, kind: RequestKind, year: int) -> str:
        key = (reference_prefix(direction, kind), year)
        self.last[key] = self.last.get(key, 0) + 1
        return f"{key[0]}-{year}-{self.last[key]:04d}"


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, clock_time(rng.randint(3, 12), rng.randint(0, 59)), tzinfo=UTC)


def request_rows(rng: random.Random, number: int, history: History, staff: tuple, counters: Counters,
                 ) -> tuple[dict, dict, list[dict], list[dict]]:
    """The case, request, stage-change and clock rows of one generated request."""
    offices, drafters, desk, grounds = staff
    office = offices[min(int(rng.paretovariate(1.2)) - 1, OFFICES - 1)]
    when = _at(history.created_on, rng)
    case = {"id": number, "office_id": office, "case_number": f"{number:06d}/{history.created_on.year}",
            "title": f"Trafficking case {number}", "stage": CaseStage.PRE_TRIAL, "created_at": when}
    answered = "acknowledged_on" in history.dates or history.direction == Direction.INCOMING
    row = {"id": number, "reference": counters.next(history.direction, history.kind, history.created_on.year),
           "direction": history.direction, "kind": history.kind, "stage": history.stage, "office_id": office,
           "national_case_id": number, "country_iso2": history.country, "urgency": history.urgency,
           "deadline_on": history.deadline_on, "subject_matter": f"Trafficking in persons, case {number}",
           "partner_reference": f"{history.country}-{rng.randint(100, 99999)}" if answered else "",
           "refusal_ground_code": rng.choice(grounds) if history.refused else None,
           "outcome": "Refused" if history.refused else "",
           "assignee_id": rng.choice(drafters[office]) if rng.random() < 0.85 else None,
           "created_by_id": rng.choice(drafters[office]), "created_at": when,
           "updated_at": _at(history.changes[-1][3], rng), "version": len(history.changes),
           "next_due_on": next_due_on(history.stage, history.deadline_on, [
               ClockDates(c.state, c.due_on, None, c.stopped_on) for c in history.clocks]),
           **dict.fromkeys(DATES), **history.dates}
    changes = [{"request_id": number, "move": move, "from_stage": source, "to_stage": target,
                "actor_id": rng.choice(desk), "at": _at(day, rng), "note": "", "details": {}}
               for move, source, target, day in history.changes]
    clocks = [{"request_id": number, "kind": c.kind, "sequence": c.sequence, "state": c.state,
               "counting": c.counting, "calendar_iso2": c.calendar_iso2, "started_on": c.started_on,
               "due_on": c.due_on, "stopped_on": c.stopped_on, "paused_days": 0, "reason": "", "revision": 0,
               "created_at": _at(c.started_on, rng)} for c in history.clocks]
    return case, row, changes, clocks


def person_pool(rng: random.Random, size: int = 5000) -> list[dict[str, object]]:
    maker, pool = NameMaker(rng), []
    for _ in range(size):
        name = maker.any()
        pool.append({"name_original": name.original, "name_latin": name.latin, "name_cyrillic": name.cyrillic,
                     "aliases": name.aliases})
    return pool


def person_rows(rng: random.Random, pool: list[dict], request_ids: range, per_request: int, first_id: int,
                ) -> list[dict[str, object]]:
    rows = []
    for request_id in request_ids:
        for _ in range(per_request):
            name, protected = rng.choice(pool), rng.random() < 0.05
            rows.append({"id": first_id + len(rows), "request_id": request_id, "role": rng.choice(ROLES),
                         **name, "is_protected": protected, "created_at": NOW,
                         "birth_date": date(1960, 1, 1) + timedelta(days=rng.randrange(45 * 365)),
                         "name_key": person_key(is_protected=protected, **name)})
    return rows


def fill(engine: Engine, requests: int, persons_per_request: int, seed: int) -> dict[str, int]:
    rng, counters, totals = random.Random(seed), Counters(), {"changes": 0, "clocks": 0, "persons": 0}
    staff = people(engine)
    pool = person_pool(rng)
    for start in range(1, requests + 1, CHUNK):
        numbers = range(start, min(start + CHUNK, requests + 1))
        cases, rows, changes, clocks = [], [], [], []
        for number in numbers:
            case, row, change_rows, clock_rows = request_rows(rng, number, _history(rng), staff, counters)
            cases.append(case)
            rows.append(row)
            changes += change_rows
            clocks += clock_rows
        persons = person_rows(rng, pool, numbers, persons_per_request, totals["persons"] + 1)
        with engine.begin() as connection:
            connection.execute(insert(NationalCase), cases)
            connection.execute(insert(AssistanceRequest), rows)
            connection.execute(insert(StageChange), changes)
            connection.execute(insert(Clock), clocks)
            connection.execute(insert(Person), persons)
        totals["changes"] += len(changes)
        totals["clocks"] += len(clocks)
        totals["persons"] += len(persons)
        print(f"  {numbers[-1]:,} requests written", flush=True)
    return totals


def finish(engine: Engine) -> None:
    """Statistics for the planner; on PostgreSQL also move the id sequences past the ids written, and
    VACUUM so that the visibility map lets index-only scans skip the table."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            for table in ("national_case", "assistance_request", "stage_change", "clock", "person"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:  # in a transaction that commits: mla.db opens every SQLite transaction itself
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/mla_bench.sqlite3")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--persons-per-request", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    started = time.perf_counter()
    prepare(args.database_url)
    engine = make_engine(args.database_url)
    totals = fill(engine, args.requests, args.persons_per_request, args.seed)
    finish(engine)
    engine.dispose()
    print(f"{args.requests:,} requests, {totals['persons']:,} persons, {totals['changes']:,} stage changes, "
          f"{totals['clocks']:,} clocks written to {make_url(args.database_url).render_as_string()} "
          f"in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
