"""request list: indexes ending on the id for its filters and orders, so deep pages read an index alone

Revision ID: 0006_request_list_indexes
Revises: 0005_letter_templates
Create Date: 2026-12-02
"""
from alembic import op

revision = "0006_request_list_indexes"
down_revision = "0005_letter_templates"
branch_labels = None
depends_on = None

REPLACED = ("stage", "office_id", "country_iso2")  # single-column indexes the composites make redundant
ADDED = ("stage", "office_id", "country_iso2", "deadline_on", "updated_at")


def upgrade() -> None:
    for column in REPLACED:
        op.drop_index(f"ix_assistance_request_{column}", table_name="assistance_request")
    for column in ADDED:
        op.create_index(f"ix_assistance_request_{column}_id", "assistance_request", [column, "id"])


def downgrade() -> None:
    for column in ADDED:
        op.drop_index(f"ix_assistance_request_{column}_id", table_name="assistance_request")
    for column in REPLACED:
        op.create_index(f"ix_assistance_request_{column}", "assistance_request", [column])
