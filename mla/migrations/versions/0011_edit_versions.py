"""persons, measures and translations: a version counter that refuses an edit over someone else's

Revision ID: 0011_edit_versions
Revises: 0008_request_search
Create Date: 2026-12-07

Like assistance_request.version, each row's version is checked and bumped by every ORM update
(mla.models.base.Versioned), and each form carries the version it was opened on, so the second of two
concurrent saves is refused instead of silently overwriting the first. Existing rows start at 1.

Only person, measure and text_translation are changed: neither assistance_request nor national_case is
batch-recreated, so the FTS5 triggers of 0008_request_search stay in place. On SQLite dropping the
temporary server default rebuilds these three tables; env.py turns foreign keys off meanwhile, so the
rebuild of person does not cascade into person_document.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_edit_versions"
down_revision = "0008_request_search"
branch_labels = None
depends_on = None

TABLES = ("person", "measure", "text_translation")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        with op.batch_alter_table(table) as batch:
            batch.alter_column("version", server_default=None)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
