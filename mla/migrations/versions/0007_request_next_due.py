"""request: a stored, indexed next due date (the earlier of the deadline and the open clocks' dates)

Revision ID: 0007_request_next_due
Revises: 0006_request_list_indexes
Create Date: 2026-12-03

The overdue and due-soon filters and the dashboard's counts read it as an index range instead of
aggregating the open clocks of every request on each page. mla.services.clocks.lifecycle keeps it from now on;
the backfill below computes what domain.deadlines.next_due_on would, in one statement.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_request_next_due"
down_revision = "0006_request_list_indexes"
branch_labels = None
depends_on = None

BACKFILL = """
UPDATE assistance_request SET next_due_on = (
    SELECT min(dates.due) FROM (
        SELECT assistance_request.deadline_on AS due
        UNION ALL
        SELECT CASE WHEN clock.paused_on IS NULL OR clock.due_on < clock.paused_on THEN clock.due_on END
        FROM clock
        WHERE clock.request_id = assistance_request.id AND clock.stopped_on IS NULL
          AND clock.state IN ('running', 'paused', 'missed')
    ) AS dates)
WHERE stage NOT IN ('closed', 'withdrawn', 'refused', 'declined', 'converted_to_mla')
"""


# The list's overdue and due-soon filters (the count by date, a page in id order by id); the dashboard's counts by (country, stage) and (office,
# assignee), its open requests by stage, direction and kind, and its oldest open requests.
INDEXES = {
    "ix_assistance_request_next_due_on_id": ["next_due_on", "id"],
    "ix_assistance_request_id_next_due_on": ["id", "next_due_on"],
    "ix_assistance_request_country_stage_due": ["country_iso2", "stage", "next_due_on", "office_id"],
    "ix_assistance_request_office_assignee_due": ["office_id", "assignee_id", "next_due_on"],
    "ix_assistance_request_stage_shape": ["stage", "direction", "kind", "office_id"],
    "ix_assistance_request_created_open": ["created_at", "id", "stage", "office_id"],
}


def upgrade() -> None:
    with op.batch_alter_table("assistance_request") as batch:
        batch.add_column(sa.Column("next_due_on", sa.Date(), nullable=True))
    op.execute(BACKFILL)
    for name, columns in INDEXES.items():
        op.create_index(name, "assistance_request", columns)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite reads a (country, stage, due) index by skipping from country to country only when its
        # statistics say there are few of them; the scheduler refreshes them nightly (jobs.tasks).
        op.execute("ANALYZE")


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="assistance_request")
    with op.batch_alter_table("assistance_request") as batch:
        batch.drop_column("next_due_on")
