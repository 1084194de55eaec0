"""persons, measures, translations and accounts: a version counter that refuses an edit over someone else's

Revision ID: 0011_edit_versions
Revises: 0010_audit_values
Create Date: 2026-12-07

Like assistance_request.version, the version of a person, measure or translation is checked and bumped by
every ORM update (mla.models.base.Versioned); an account's is moved by the administrator's edit form only
(mla.services.accounts.users.update_user). Each form carries the version it was opened on, so the second of two
concurrent saves is refused instead of silently overwriting the first. Existing rows start at 1.

Neither assistance_request nor national_case is batch-recreated, so the FTS5 triggers of
0008_request_search stay in place. user_account keeps its server default (accounts are also inserted by
hand), so on SQLite it only gains a column. On the other three tables the server default only fills the
existing rows; dropping it rebuilds them on SQLite, and env.py turns foreign keys off meanwhile, so the
rebuild of person does not cascade into person_document.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_edit_versions"
down_revision = "0010_audit_values"
branch_labels = None
depends_on = None

TABLES = ("person", "measure", "text_translation")


def upgrade() -> None:
    for table in (*TABLES, "user_account"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("version", server_default=None)


def downgrade() -> None:
    for table in (*TABLES, "user_account"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
