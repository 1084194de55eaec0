"""Alembic migrations run from code: upgrade, current and head revisions, new revisions."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent
AUDIT_KEY_ATTRIBUTE = "audit_key"


class MigrationRefused(RuntimeError):
    """A migration that will not run on this database; the message says why and what to do."""

# Objects migration 0008 makes for the request list's search that the models do not describe: the FTS5
# tables on SQLite with the shadow tables FTS5 keeps for each, and the trigram indexes on PostgreSQL.
_FTS5_TABLES = ("request_search", "national_case_search")
_FTS5_SHADOWS = ("", "_data", "_idx", "_content", "_docsize", "_config")
UNMODELLED_NAMES = {
    "table": frozenset(table + shadow for table in _FTS5_TABLES for shadow in _FTS5_SHADOWS),
    "index": frozenset({"ix_assistance_request_reference_trgm",
                        "ix_assistance_request_partner_reference_trgm",
                        "ix_national_case_case_number_trgm"}),
}


def include_name(name: str | None, type_: NameFilterType, _parent_names: NameFilterParentNames) -> bool:
    """Whether autogenerate and the models-against-migrations test compare a reflected object."""
    return name not in UNMODELLED_NAMES.get(type_, frozenset())


def alembic_config(url: str, audit_key: bytes | None = None) -> Config:
    """Alembic's configuration; the audit key is there for the migrations that sign audit records."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes[AUDIT_KEY_ATTRIBUTE] = audit_key
    return config


def upgrade(url: str, revision: str = "head", audit_key: bytes | None = None) -> None:
    command.upgrade(alembic_config(url, audit_key), revision)


def make_revision(url: str, message: str) -> None:
    command.revision(alembic_config(url), message=message, autogenerate=True)


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(bind: Engine | Connection) -> str | None:
    if isinstance(bind, Connection):
        return MigrationContext.configure(bind).get_current_revision()
    with bind.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
