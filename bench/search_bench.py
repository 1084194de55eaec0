"""Benchmark of the person search at 300,000 persons, on a temporary SQLite file and a fresh PostgreSQL
database.

Fills each database in bulk with persons whose names follow bench/search_names.py (Tajik, Uzbek, Kazakh,
Kyrgyz, Russian and Afghan names, in the scripts and transliterations the desk meets; surnames Zipf-like),
their folded keys computed as the app computes them when a person is written; then times
`search(session, actor=desk, query=parse_query(text))` — reading the box, the index lookups, the ranking and
loading what the page shows — for several kinds of query, each drawn from the persons stored, and writes
median and p95 to bench/RESULTS.md under "Person search (issue 8)".

Run: .venv/bin/python bench/search_bench.py [--persons 300000] [--queries 60] [--no-postgres]
PostgreSQL: MLA_TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test) names the server; a
database mla_search_bench is created on it and dropped afterwards.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_names import GeneratedName, NameMaker  # noqa: E402
from sqlalchemy import Engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from mla.db import make_engine  # noqa: E402
from mla.domain.enums import Direction, PersonRole, RequestKind, Role, Stage  # noqa: E402
from mla.domain.names import person_key  # noqa: E402
from mla.domain.search_query import document_number_keys, parse_query  # noqa: E402
from mla.migrations import upgrade  # noqa: E402
from mla.models import AssistanceRequest, NationalCase, Office, Person, PersonDocument, User  # noqa: E402
from mla.reference.loader import load_reference  # noqa: E402
from mla.services.operations.reference import load_reference_data  # noqa: E402
from mla.services.persons.search import search  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
COUNTRIES = ("KZ", "KG", "UZ", "TM", "AF", "PK", "IQ", "IR", "BD", "RU", "TR")
ROLES = (PersonRole.SUSPECT, PersonRole.ACCUSED, PersonRole.VICTIM, PersonRole.WITNESS)
OFFICES, PERSONS_PER_REQUEST, CHUNK = 12, 3, 10_000
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Person search (issue 8)"
NOTE = ("Names go through the `person.name_key` index (a few ranges, read in index order with a limit, "
        "in one statement), then RapidFuzz over at most a few hundred candidates. Document numbers go "
        "through the indexed `person_document` table (migration 0004), case numbers through the index on "
        "`assistance_request.national_case_id`.\n"
        "The machine was shared with other test runs; medians moved by up to 2x between runs.")
Figures = dict[str, tuple[float, float, float]]  # query kind -> (median ms, p95 ms, share found)


def _person_row(rng: random.Random, name: GeneratedName, request_id: int, number: int) -> dict[str, object]:
    protected = rng.random() < 0.05
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(60 * 365)) if rng.random() < 0.7 else None
    documents = f"Паспорт {rng.choice('ANB')}{number:08d}, выдан ОВД" if rng.random() < 0.6 else ""
    return {"id": number + 1, "request_id": request_id, "role": rng.choice(ROLES),
            "name_original": name.original, "name_latin": name.latin, "name_cyrillic": name.cyrillic,
            "aliases": name.aliases,
            "birth_date": born, "id_documents": documents, "is_protected": protected,
            "name_key": person_key(name_original=name.original, name_cyrillic=name.cyrillic,
                                   name_latin=name.latin, aliases=name.aliases, is_protected=protected),
            "created_at": NOW}


def fill(engine: Engine, persons: int, rng: random.Random) -> list[dict[str, object]]:
    """Offices, a desk officer, persons // 3 requests with a case each, then the persons; returns them."""
    with Session(engine) as session:
        load_reference_data(session, load_reference())
        session.add_all(Office(code=f"B{n:02d}", name=f"Office {n}") for n in range(OFFICES))
        session.add(User(email="desk@bench.example", full_name="Desk", password_hash="-", role=Role.DESK))
        session.commit()
        office_ids = list(session.scalars(select(Office.id)))
    maker, people = NameMaker(rng), []
    requests = persons // PERSONS_PER_REQUEST
    with engine.begin() as connection:
        for start in range(0, requests, CHUNK):
            numbers = range(start + 1, min(start + CHUNK, requests) + 1)
            connection.execute(insert(NationalCase), [
                {"id": n, "office_id": office_ids[n % OFFICES], "case_number": f"2026/{n:06d}",
                 "stage": "pre_trial", "created_at": NOW} for n in numbers])
            connection.execute(insert(AssistanceRequest), [
                {"id": n, "reference": f"OUT-MLA-2026-{n:06d}", "direction": Direction.OUTGOING,
                 "kind": RequestKind.MLA, "stage": Stage.SENT, "office_id": office_ids[n % OFFICES],
                 "national_case_id": n, "country_iso2": rng.choice(COUNTRIES),
                 "partner_reference": f"P-{n}/26", "created_at": NOW - timedelta(days=n % 700),
                 "updated_at": NOW, "version": 1} for n in numbers])
        for start in range(0, persons, CHUNK):
            chunk = [_person_row(rng, maker.any(), 1 + n // PERSONS_PER_REQUEST % requests, n)
                     for n in range(start, min(start + CHUNK, persons))]
            connection.execute(insert(Person), chunk)
            documents = [{"person_id": row["id"], "number_key": key} for row in chunk
                         for key in sorted(document_number_keys(str(row["id_documents"])))]
            if documents:
                connection.execute(insert(PersonDocument), documents)
            people.extend(chunk)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return people


def _misspelt(word: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1:]


def query_kinds(people: list[dict[str, object]], rng: random.Random) -> dict[str, Callable[[], str]]:
    """Each kind draws a query from a stored person that is not protected."""
    open_people = [p for p in people if not p["is_protected"]]
    with_birth = [p for p in open_people if p["birth_date"]]
    afghans = [p for p in open_people if p["aliases"]]
    surname_first = [p for p in open_people if not p["aliases"]]
    with_documents = [p for p in open_people if p["id_documents"]]

    def pick(pool: list[dict[str, object]], column: str) -> list[str]:
        return str(rng.choice(pool)[column]).split()

    return {
        "surname only, Latin (Rakhimov)": lambda: pick(surname_first, "name_latin")[0],
        "surname + given name, Latin for a Cyrillic record": lambda: " ".join(
            pick(open_people, "name_latin")[:2]),
        "full name with patronymic, original script": lambda: " ".join(pick(open_people, "name_original")),
        "given name first (Farhod Rakhimov)": lambda: " ".join(
            reversed(pick(open_people, "name_cyrillic")[:2])),
        "a letter left out of surname and given name": lambda: " ".join(
            [_misspelt(w, rng) if len(w) > 4 else w for w in pick(open_people, "name_latin")[:2]]),
        "name + date of birth": lambda: (lambda p: f"{p['name_latin']} {p['birth_date']:%d.%m.%Y}")(
            rng.choice(with_birth)),
        "Dari/Pashto name in Arabic script": lambda: str(rng.choice(afghans)["name_original"]),
        "Afghan name through its Latin alias": lambda: str(rng.choice(afghans)["aliases"]),
        "request reference": lambda: f"OUT-MLA-2026-{rng.randrange(1, len(people) // 3):06d}",
        "case number": lambda: f"2026/{rng.randrange(1, len(people) // 3):06d}",
        "passport number": lambda: str(
            rng.choice(with_documents)["id_documents"]).split()[1].rstrip(","),
    }


def measure(engine: Engine, kinds: dict[str, Callable[[], str]], queries: int) -> Figures:
    """(median ms, p95 ms, share of queries that found someone) per kind, one warm-up query first."""
    results = {}
    with Session(engine) as session:
        desk = session.scalar(select(User).where(User.role == Role.DESK))
        search(session, actor=desk, query=parse_query("Rakhimov"))
        for kind, draw in kinds.items():
            times, found = [], 0
            for _ in range(queries):
                query = parse_query(draw())
                started = time.perf_counter()
                result = search(session, actor=desk, query=query)
                times.append((time.perf_counter() - started) * 1000)
                found += bool(result.persons or result.requests)
            times.sort()
            results[kind] = (statistics.median(times), times[int(0.95 * (len(times) - 1))], found / queries)
    return results


@contextmanager
def postgres_database() -> Iterator[str]:
    base = make_url(os.environ.get("MLA_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test")
    base = base.set(drivername="postgresql+psycopg")
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    name = "mla_search_bench"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(label: str, url: str, args: argparse.Namespace) -> tuple[str, float, Figures]:
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    people = fill(engine, args.persons, random.Random(8))
    filled = time.perf_counter() - started
    print(f"{label}: {len(people):,} persons written in {filled:.0f} s", flush=True)
    results = measure(engine, query_kinds(people, random.Random(88)), args.queries)
    for kind, (median, p95, found) in results.items():
        print(f"  {kind:55} median {median:6.1f} ms  p95 {p95:6.1f} ms  found {found:.0%}", flush=True)
    engine.dispose()
    return label, filled, results


def write_results(args: argparse.Namespace, runs: list[tuple[str, float, Figures]]) -> None:
    command = f".venv/bin/python bench/search_bench.py --persons {args.persons} --queries {args.queries}"
    lines = [HEADING, "", f"`{command}` on {os.cpu_count()} CPUs, {datetime.now(UTC):%Y-%m-%d}. "
             "Each figure is one call of `services.search.search()` as the desk (parse, index lookups, "
             "RapidFuzz ranking, loading the rows the page shows), queries drawn from stored persons.", ""]
    for label, filled, results in runs:
        lines += [f"**{label}** ({args.persons:,} persons written in {filled:.0f} s)", "",
                  "| query kind | median ms | p95 ms | found |", "|---|---:|---:|---:|"]
        lines += [f"| {kind} | {median:.1f} | {p95:.1f} | {found:.0%} |"
                  for kind, (median, p95, found) in results.items()]
        lines.append("")
    lines += [NOTE, ""]
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = previous.find(HEADING)
    if start >= 0:
        end = previous.find("\n## ", start + len(HEADING))
        previous = previous[:start] + (previous[end + 1:] if end >= 0 else "")
    RESULTS.write_text(previous.rstrip("\n") + "\n\n" + "\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        runs.append(run("SQLite", f"sqlite:///{folder}/search_bench.sqlite3", args))
    if not args.no_postgres:
        with postgres_database() as url:
            runs.append(run("PostgreSQL", url, args))
    write_results(args, runs)
    print(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()
