"""offices' default drafting language; requests the translators are asked for

Revision ID: 0014_drafting_language
Revises: 0013_handoff_facts
Create Date: 2026-12-07

A request has always stored the language its free text is written in (drafting_language, Russian by
default), but nothing ever set it, so letters said "translated from Russian" whatever the text. The form
now sets it, defaulting to the office's drafting language, new here: Russian for every existing office,
as for every existing request (their text was typed on a form that assumed Russian; nothing recorded
says otherwise). translation_asked records that the desk or a manager asked the translators to translate
a request at whatever stage it stands; no existing request was asked.
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_drafting_language"
down_revision = "0013_handoff_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("office", sa.Column("drafting_language", sa.String(length=16), nullable=False,
                                      server_default="ru"))
    op.add_column("assistance_request", sa.Column("translation_asked", sa.Boolean(), nullable=False,
                                                  server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("assistance_request") as batch:
        batch.drop_column("translation_asked")
    with op.batch_alter_table("office") as batch:
        batch.drop_column("drafting_language")
