"""request list search: trigram indexes for the substring search over references and case numbers

Revision ID: 0008_request_search
Revises: 0007_request_next_due
Create Date: 2026-12-03

The list's search (mla.services.requests.text_search) looks for a case-insensitive substring of the request's
reference, the partner's reference or the national case number. These indexes answer it without reading
every request:

- PostgreSQL: GIN trigram indexes (pg_trgm) on the three columns, which ILIKE '%...%' uses. pg_trgm is a
  trusted extension since PostgreSQL 13, so the database owner may create it without a superuser.
- SQLite: two FTS5 tables with the trigram tokenizer (SQLite >= 3.34), whose rowid is the id of the row they
  index: request_search (reference, partner_reference) and national_case_search (case_number). Each is
  kept by triggers on its own table only; they store their text (no external content), so a delete or an
  update by rowid needs no old values. A trigger on one table that reads the other would break every later
  batch migration of the other table (SQLite refuses the final rename while a trigger names a table that is
  gone). Batch-recreating assistance_request or national_case drops their triggers: such a migration must
  create them again (tests/test_request_search.py checks they exist at the head).
"""
from alembic import op

revision = "0008_request_search"
down_revision = "0007_request_next_due"
branch_labels = None
depends_on = None

# FTS5 table: (indexed table, its columns)
SQLITE_SEARCH = {
    "request_search": ("assistance_request", ("reference", "partner_reference")),
    "national_case_search": ("national_case", ("case_number",)),
}
PG_INDEXES = {  # index: (table, column)
    "ix_assistance_request_reference_trgm": ("assistance_request", "reference"),
    "ix_assistance_request_partner_reference_trgm": ("assistance_request", "partner_reference"),
    "ix_national_case_case_number_trgm": ("national_case", "case_number"),
}


def _sqlite_statements(search: str, table: str, columns: tuple[str, ...]) -> list[str]:
    """The FTS5 table, its triggers and its backfill. The SQL is built only from the constant table and
    column names of SQLITE_SEARCH (hence the nosec marks)."""
    names = ", ".join(columns)
    new_values = ", ".join(f"new.{column}" for column in columns)
    insert_new = f"INSERT INTO {search} (rowid, {names}) VALUES (new.id, {new_values});"  # nosec B608
    delete_old = f"DELETE FROM {search} WHERE rowid = old.id;"  # nosec B608
    return [
        f"CREATE VIRTUAL TABLE {search} USING fts5({names}, tokenize = 'trigram case_sensitive 0')",
        f"CREATE TRIGGER {search}_insert AFTER INSERT ON {table} BEGIN {insert_new} END",
        f"CREATE TRIGGER {search}_update AFTER UPDATE OF id, {names} ON {table} "
        f"BEGIN {delete_old} {insert_new} END",
        f"CREATE TRIGGER {search}_delete AFTER DELETE ON {table} BEGIN {delete_old} END",
        f"INSERT INTO {search} (rowid, {names}) SELECT id, {names} FROM {table}",  # nosec B608
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for search, (table, columns) in SQLITE_SEARCH.items():
            for statement in _sqlite_statements(search, table, columns):
                op.execute(statement)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, (table, column) in PG_INDEXES.items():
        op.create_index(index, table, [column], postgresql_using="gin",
                        postgresql_ops={column: "gin_trgm_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for search in SQLITE_SEARCH:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {search}_{event}")
            op.execute(f"DROP TABLE IF EXISTS {search}")
        return
    for index, (table, _column) in PG_INDEXES.items():
        op.drop_index(index, table_name=table)
    # pg_trgm stays: it may have been there before, and other objects may use it.
