"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when MLA_TEST_DATABASE_URL is
set), the app, a per-test session rolled back afterwards, a client and login_as(role)."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, MetaData, Table, insert, text
from sqlalchemy.orm import Session

from mla.app import create_app
from mla.db import get_database, make_engine
from mla.domain.enums import Role
from mla.migrations import upgrade
from mla.models import AssistanceRequest, Base, Office, User
from mla.reference.loader import load_reference
from mla.services.accounts.sessions import SessionPolicy, start_session
from mla.services.accounts.users import create_user
from mla.services.operations.reference import load_reference_data

TEST_PASSWORD = "correct horse battery"
FIXED_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# The audit key of commands and sessions the tests open themselves (the app's own comes from its instance).
TEST_AUDIT_KEY = b"test-audit-key-0123456789abcdef0123456789"
POSTGRES_URL = os.environ.get("MLA_TEST_DATABASE_URL", "")
REQUIRED_SUITES = {s.strip() for s in os.environ.get("MLA_REQUIRE_SUITES", "").split(",") if s.strip()}
_skipped_suites: dict[str, str] = {}


def note_skipped_suite(name: str, reason: str) -> None:
    """Skip a whole suite, or fail when CI said it is required (MLA_REQUIRE_SUITES)."""
    if name in REQUIRED_SUITES:
        pytest.fail(f"required suite '{name}' cannot run: {reason}", pytrace=False)
    _skipped_suites[name] = reason
    pytest.skip(reason)


def reset_database(url: str) -> None:
    """An empty schema, then every migration: the tests run on what `mla db upgrade` makes."""
    engine = make_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    upgrade(url)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite in a temporary file, or, with MLA_TEST_DATABASE_URL, a database of this run's own
    on that PostgreSQL server (so parallel runs never share tables), dropped at the end."""
    if "postgres" in REQUIRED_SUITES and not POSTGRES_URL:
        pytest.fail("required suite 'postgres' cannot run: MLA_TEST_DATABASE_URL is not set")
    if not POSTGRES_URL:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        reset_database(url)
        yield url
        return
    from sqlalchemy.engine import make_url

    base = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"mla_test_{os.getpid()}"
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    reset_database(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    app = create_app({
        "ENV_NAME": "testing", "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": False,
        "INSTANCE_PATH": tmp_path_factory.mktemp("instance"),
        # Tests read the source-language interface unless they choose a language (?lang=, a user's locale).
        "DEFAULT_LOCALE": "en",
    })
    with get_database(app).session_factory() as session:
        load_reference_data(session, load_reference())
        session.commit()
    return app


@pytest.fixture
def connection(app: Flask) -> Iterator[Connection]:
    """One connection in an outer transaction that is rolled back after the test; every
    session the app opens meanwhile joins it through a savepoint."""
    database = get_database(app)
    connection = database.engine.connect()
    outer = connection.begin()
    original = database.session_factory

    def factory() -> Session:
        return Session(bind=connection, join_transaction_mode="create_savepoint",
                       expire_on_commit=False, info=database.audit_info)

    database.session_factory = factory
    try:
        yield connection
    finally:
        database.session_factory = original
        outer.rollback()
        connection.close()


@pytest.fixture
def db_session(app: Flask, connection: Connection) -> Iterator[Session]:
    with get_database(app).session_factory() as session:
        yield session


@pytest.fixture
def audit_key(app: Flask) -> bytes:
    """The key the app signs audit records with."""
    return app.config["AUDIT_KEY"]


@pytest.fixture
def now() -> datetime:
    return FIXED_NOW


@pytest.fixture
def client(app: Flask, connection: Connection) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def office(db_session: Session) -> Office:
    office = Office(code="TST", name="Test office", city="Dushanbe")
    db_session.add(office)
    db_session.commit()
    return office


@pytest.fixture
def make_user(db_session: Session, office: Office) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(role: Role, *, office: Office | None = office, **kwargs: object) -> User:
        user = create_user(db_session, actor=None, now=FIXED_NOW,
                           email=f"{role.value}{next(counter)}@example.org",
                           full_name=f"Test {role.value}", role=role, password=TEST_PASSWORD,
                           office=office, **kwargs)
        db_session.commit()
        return user

    return make


def sign_in_as(client: FlaskClient, user: User, db_session: Session) -> None:
    """Give `client` a session record of `user`, as a sign-in does, and its id in the cookie."""
    token = start_session(db_session, user=user, now=datetime.now(UTC), policy=SessionPolicy())
    db_session.commit()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = token
        flask_session["_fresh"] = True


@pytest.fixture
def login_as(client: FlaskClient, make_user: Callable[..., User], db_session: Session) -> Callable[..., User]:
    """Sign a new user of `role` in through a session record and the cookie Flask-Login reads."""

    def login(role: Role, **kwargs: object) -> User:
        user = make_user(role, **kwargs)
        sign_in_as(client, user, db_session)
        return user

    return login


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    database = "PostgreSQL" if POSTGRES_URL else "SQLite (set MLA_TEST_DATABASE_URL to run on PostgreSQL)"
    terminalreporter.write_sep("-", "MLA test suites")
    terminalreporter.write_line(f"database: {database}")
    for name, reason in sorted(_skipped_suites.items()):
        terminalreporter.write_line(f"SKIPPED suite {name}: {reason}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent.name == "e2e" and root in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def make_request(db_session: Session, office: Office) -> Callable[..., AssistanceRequest]:
    from mla.domain.enums import Direction, RequestKind, Stage
    from mla.services.clocks.next_due import store_next_due
    from mla.services.requests.editing import next_reference

    def make(*, office: Office = office, stage: Stage = Stage.DRAFT,
             direction: Direction = Direction.OUTGOING, kind: RequestKind = RequestKind.MLA,
             country: str = "KZ", **fields: object) -> AssistanceRequest:
        item = AssistanceRequest(reference=next_reference(db_session, direction, kind, 2026),
                                 direction=direction, kind=kind, stage=stage, office_id=office.id,
                                 country_iso2=country, **fields)
        db_session.add(item)
        db_session.flush()
        store_next_due(db_session, item)  # what the request service keeps for a request it writes
        db_session.commit()
        return item

    return make


@pytest.fixture
def complete_request(
    make_request: Callable[..., AssistanceRequest], db_session: Session
) -> Callable[..., AssistanceRequest]:
    """An outgoing MLA request that passes the completeness check (to Kazakhstan unless told)."""
    from mla.domain.enums import PersonRole, Stage
    from mla.models import Measure, Person, RequestLegalBasis

    def make(stage: Stage = Stage.DRAFT, country: str = "KZ", **fields: object) -> AssistanceRequest:
        reference = load_reference()
        profile = reference.countries[country]
        treaty = "minsk_1993" if country == "KZ" else reference.applicable_treaties(reference.home_iso2,
                                                                                      country)[0].code
        channel = "central_authority" if "central_authority" in profile.channels else profile.channels[0]
        language = next(code for code in ("ru", "en") if code in profile.request_languages)
        item = make_request(
            stage=stage, country=country, channel_code=fields.pop("channel_code", channel),
            request_language=language, requesting_authority="Прокуратура Согдийской области",
            addressee=fields.pop("addressee", "Генеральная прокуратура"),
            conducting_authority="Следственный отдел", subject_matter="Торговля людьми",
            facts_summary="Вербовка граждан для принудительного труда.", offences="ст. 130¹ УК РТ",
            law_text_annexed=True, dual_criminality_note="ст. 128 УК РК", purpose="Допрос потерпевшей",
            **fields,
        )
        db_session.add_all([
            RequestLegalBasis(request_id=item.id, treaty_code=treaty),
            Measure(request_id=item.id, assistance_type_code="statement", details="Допрос К."),
            Person(request_id=item.id, role=PersonRole.SUSPECT, name_original="Рахимов Фарход",
                   nationality="TJ", address="Алматы"),
        ])
        db_session.commit()
        return item

    return make


@pytest.fixture
def fresh_databases(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Make empty databases of the kind under test, for commands that commit for real."""
    from sqlalchemy.engine import make_url

    made: list[str] = []
    admin = None
    if POSTGRES_URL:
        base = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
        admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")

    def make() -> str:
        number = len(made) + 1
        if admin is None:
            made.append(f"sqlite:///{tmp_path / f'fresh{number}.sqlite3'}")
            return made[-1]
        name = f"mla_fresh_{os.getpid()}_{tmp_path.name[-12:].replace('-', '_')}_{number}".lower()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return base.set(database=name).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as connection:
            for name in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def fresh_database_url(fresh_databases: Callable[[], str]) -> str:
    return fresh_databases()


# Required columns a later migration dropped, with the value their model gave them while they lived.
DROPPED_COLUMN_DEFAULTS = {
    "assistance_request": {"legal_basis_note": ""},  # 0012_drop_unused_columns
    "national_case": {"legal_qualification": ""},  # 0012_drop_unused_columns
}


def insert_old_row(session: Session, model: type, **values: object) -> int:
    """A row as an earlier migration left its table: the model's plain defaults for the columns the
    table has then (reflected from the database), the defaults of columns dropped since, and `values`.
    Returns its id."""
    table = Table(model.__tablename__, MetaData(), autoload_with=session.connection())  # type: ignore[attr-defined]
    defaults = {column.name: column.default.arg for column in model.__table__.columns  # type: ignore[attr-defined]
                if column.default is not None and column.default.is_scalar and column.name in table.c}
    dropped = {name: value for name, value in DROPPED_COLUMN_DEFAULTS.get(table.name, {}).items()
               if name in table.c}
    return session.execute(insert(table).values({**defaults, **dropped, **values})
                           .returning(table.c.id)).scalar_one()
