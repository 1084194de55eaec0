"""Managers' pages on the generated register (issue 6): the request list at page 1, a middle page and the
last page, with and without filters; the dashboard when it exists; CSV and XLSX exports of all requests.

Each page is timed server side through the Flask test client, signed in as a manager: the median of --runs
requests after one warm-up. Beside it, "SQL alone": every statement that request sent to the database,
captured with an engine event and replayed on the raw DB-API connection (cursor.execute + fetchall), median of
--runs replays; the number of statements shows there is no query per row. Exports: one timed download each,
then one more under tracemalloc for the peak Python memory.

First fill the databases: .venv/bin/python bench/generate.py [--database-url postgresql://…/mla_bench]
Run: .venv/bin/python bench/dashboard_bench.py [--sqlite /tmp/mla_bench.sqlite3]
     [--postgres postgresql://postgres@127.0.0.1:5432/mla_bench] [--no-postgres] [--runs 15]
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import event, select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from mla.app import create_app  # noqa: E402
from mla.db import get_database  # noqa: E402
from mla.domain.enums import Role  # noqa: E402
from mla.models import User  # noqa: E402
from mla.services.accounts.sessions import SessionPolicy, start_session  # noqa: E402

LISTS = {
    "no filter": "",
    "country=RU": "country=RU",
    "stage=in_execution": "stage=in_execution",
    "overdue=1": "overdue=1",
    "q=OUT-MLA-2025 (search)": "q=OUT-MLA-2025",
    "q=KZ-8768 (search, one partner reference)": "q=KZ-8768",
    "q=OUT (search, 58% of the register)": "q=OUT",
    "country=KZ, overdue, by deadline": "country=KZ&overdue=1&sort=deadline",
    "sort=deadline": "sort=deadline",
    "sort=updated": "sort=updated",
}
Statements = list[tuple[str, Any]]


def median_ms(runs: int, work: Callable[[], object]) -> float:
    work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def calibration_ms() -> float:
    """A fixed pure-Python loop: the same work every run, so that its time shows how fast the (shared)
    machine was when the figures beside it were taken; they drift together."""
    return median_ms(5, lambda: sum(i * i for i in range(1_000_000)))


def signed_in(url: str, folder: str) -> tuple[Flask, FlaskClient]:
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "INSTANCE_PATH": Path(folder) / "instance"})
    with get_database(app).session_factory() as session:
        manager = session.scalar(select(User).where(User.role == Role.MANAGER).limit(1))
        token = start_session(session, user=manager, now=datetime.now(UTC),
                              policy=SessionPolicy(max_hours=24))
        session.commit()
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = token
        flask_session["_fresh"] = True
    return app, client


def captured(engine: Engine, work: Callable[[], object]) -> Statements:
    """The statements `work` sends to the database, with their parameters."""
    seen: Statements = []

    def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if not many:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return seen


def replay_ms(engine: Engine, statements: Statements, runs: int) -> float:
    connection = engine.raw_connection()
    try:
        def run() -> None:
            cursor = connection.cursor()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                if cursor.description:
                    cursor.fetchall()
            cursor.close()
            connection.rollback()

        return median_ms(runs, run)
    finally:
        connection.close()


def page_figures(engine: Engine, client: FlaskClient, path: str, runs: int) -> tuple[float, float, int]:
    def get() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    page = median_ms(runs, get)
    statements = captured(engine, get)
    return page, replay_ms(engine, statements, runs), len(statements)


def last_page(client: FlaskClient, query: str) -> int:
    text = client.get(f"/requests/?lang=en&{query}").get_data(as_text=True)
    found = re.search(r"Page 1 of (\d+)", text)
    return int(found.group(1)) if found else 1


def bench_lists(engine: Engine, client: FlaskClient, runs: int) -> list[str]:
    lines = ["| list | page | page median ms | SQL alone ms | statements |", "|---|---:|---:|---:|---:|"]
    for name, query in LISTS.items():
        last = last_page(client, query)
        for page in sorted({1, (last + 1) // 2, last}):
            page_ms, sql_ms, count = page_figures(engine, client, f"/requests/?{query}&page={page}", runs)
            lines.append(f"| {name} | {page:,} of {last:,} | {page_ms:.1f} | {sql_ms:.1f} | {count} |")
            print(lines[-1], flush=True)
    return lines


def bench_dashboard(app: Flask, engine: Engine, client: FlaskClient, runs: int) -> list[str]:
    if "dashboard.index" not in app.view_functions:
        return ["(no /dashboard in this checkout)"]
    page_ms, sql_ms, count = page_figures(engine, client, "/dashboard", runs)
    line = f"| /dashboard | {page_ms:.1f} | {sql_ms:.1f} | {count} |"
    print(line, flush=True)
    return ["| page | page median ms | SQL alone ms | statements |", "|---|---:|---:|---:|", line]


def bench_exports(client: FlaskClient) -> list[str]:
    lines = ["| export | rows | size | time s | peak Python memory MiB |", "|---|---:|---:|---:|---:|"]
    for extension in ("csv", "xlsx"):
        started = time.perf_counter()
        with client.get(f"/requests/export.{extension}") as response:  # closing ends the request
            data = response.get_data()
        seconds = time.perf_counter() - started
        tracemalloc.start()
        with client.get(f"/requests/export.{extension}") as response:
            response.get_data()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows = data.count(b"\n") - 1 if extension == "csv" else "100,000 (all)"
        lines.append(f"| {extension.upper()} | {rows} | {len(data) / 2**20:.1f} MiB | {seconds:.1f} | "
                     f"{peak:.0f} (of which the response body {len(data) / 2**20:.0f}) |")
        print(lines[-1], flush=True)
    return lines


def run(label: str, url: str, runs: int, exports: bool) -> list[str]:
    print(f"== {label}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        app, client = signed_in(url, folder)
        engine = get_database(app).engine
        lines = [f"**{label}**", "", *bench_lists(engine, client, runs), "",
                 *bench_dashboard(app, engine, client, runs), ""]
        if exports:
            lines += [*bench_exports(client), ""]
        engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", default="/tmp/mla_bench.sqlite3")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/mla_bench")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-exports", action="store_true")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    before = calibration_ms()
    lines = run("SQLite", f"sqlite:///{args.sqlite}", args.runs, not args.no_exports)
    if not args.no_postgres:
        lines += run("PostgreSQL", args.postgres, args.runs, not args.no_exports)
    lines.append(f"Calibration loop: {before:.0f} ms before, {calibration_ms():.0f} ms after.")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
