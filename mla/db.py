"""The database engine and sessions: SQLite pragmas, BEGIN IMMEDIATE, one session per request."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from mla.services.audit import audit_session_info


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine; for SQLite, the pragmas and write-lock-up-front that TECH-NOTES §5 shows are needed."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **kwargs)
    engine = create_engine(url, connect_args={"timeout": 15}, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself; pysqlite's legacy mode loses updates under concurrency.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn: Any) -> None:
        # Take the write lock at BEGIN, so a read-then-write never fails on a stale snapshot.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    """Holds the engine and the factory that makes each request's session."""

    def __init__(self, url: str, audit_key: bytes) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.audit_info = audit_session_info(audit_key)
        self.session_factory: Callable[[], Session] = sessionmaker(
            self.engine, expire_on_commit=False, info=self.audit_info
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


def register_database(app: Flask) -> None:
    """Attach the Database to the app and close each request's session at teardown."""
    app.extensions["mla_db"] = Database(app.config["DATABASE_URL"], app.config["AUDIT_KEY"])

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions["mla_db"]


def db_session() -> Session:
    """The session of the current request or app context; created on first use."""
    if "db_session" not in g:
        g.db_session = get_database().session_factory()
    return g.db_session
