"""drop columns nothing reads or writes: assistance_request.legal_basis_note, national_case.legal_qualification

Revision ID: 0012_drop_unused_columns
Revises: 0011_edit_versions
Create Date: 2026-12-07

The legal basis of a request is its list of treaties (request_legal_basis) and the request's own text; the
note beside it was never filled. A case's qualification is written in each request's `offences`; the
case's own copy was only ever filled by the demo seed. Both columns are dropped in place (ALTER TABLE …
DROP COLUMN, SQLite 3.35+), so the FTS5 triggers of 0008_request_search on both tables stay. The
downgrade brings them back empty; they keep a server default of '' on SQLite, where dropping it would
rebuild the tables and lose those triggers.
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_drop_unused_columns"
down_revision = "0011_edit_versions"
branch_labels = None
depends_on = None

COLUMNS = (("assistance_request", "legal_basis_note"), ("national_case", "legal_qualification"))


def upgrade() -> None:
    for table, column in COLUMNS:
        op.drop_column(table, column)


def downgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, sa.Column(column, sa.Text(), nullable=False, server_default=""))
        if op.get_bind().dialect.name != "sqlite":
            op.alter_column(table, column, server_default=None)
