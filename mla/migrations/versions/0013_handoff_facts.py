"""assigned execution clocks and each dispatch's own date, channel and number

Revision ID: 0013_handoff_facts
Revises: 0012_drop_unused_columns
Create Date: 2026-12-07

Assigning an incoming request now takes an "execute by" date, kept as a clock of a new kind (execute_by),
so the CHECK on clock.kind admits it. A stage change that sends something to the partner (a transmission,
more information sent, evidence returned) keeps its own date, channel and register number in sent_on,
channel_code and number, filled here from the details the move recorded. Until now each later dispatch
also overwrote the request's transmission date, channel and outgoing number, and a later receipt its date
of receipt: the request gets back those of its first transmission and its registration, as that move's
stage change recorded them.
"""
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013_handoff_facts"
down_revision = "0012_drop_unused_columns"
branch_labels = None
depends_on = None

OLD_KINDS = ("acknowledgement_expected", "decision_expected", "execution_expected", "status_enquiry",
             "requester_deadline", "our_acknowledgement", "our_execution")
NEW_KINDS = (*OLD_KINDS, "execute_by")
# The moves that sent something, and the data item holding the date they sent it.
DISPATCHES = {"transmit": "transmitted_on", "send_additional_info": "transmitted_on",
              "return_evidence": "returned_on"}
# The first event whose facts are the request's own: move, and (data item, request column) pairs.
FIRST_FACTS = {"transmit": (("transmitted_on", "transmitted_on"), ("channel", "channel_code"),
                            ("outgoing_number", "outgoing_number")),
               "register": (("received_on", "received_on"),)}

stage_change = sa.table("stage_change", sa.column("id", sa.Integer), sa.column("request_id", sa.Integer),
                        sa.column("move", sa.String), sa.column("details", sa.JSON),
                        sa.column("sent_on", sa.Date), sa.column("channel_code", sa.String),
                        sa.column("number", sa.String))
assistance_request = sa.table("assistance_request", sa.column("id", sa.Integer),
                              sa.column("transmitted_on", sa.Date), sa.column("channel_code", sa.String),
                              sa.column("outgoing_number", sa.String), sa.column("received_on", sa.Date))


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="kind", native_enum=False, create_constraint=True, length=40)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _fill(bind: sa.Connection) -> None:
    rows = bind.execute(sa.select(stage_change.c.id, stage_change.c.request_id, stage_change.c.move,
                                  stage_change.c.details)
                        .where(stage_change.c.move.in_(set(DISPATCHES) | set(FIRST_FACTS)))
                        .order_by(stage_change.c.id)).all()
    restored: set[tuple[int, str]] = set()
    for change_id, request_id, move, details in rows:
        details = details or {}
        if move in DISPATCHES:
            bind.execute(stage_change.update().where(stage_change.c.id == change_id).values(
                sent_on=_date(details.get(DISPATCHES[move])), channel_code=details.get("channel") or None,
                number=str(details.get("outgoing_number") or "")))
        if move in FIRST_FACTS and (request_id, move) not in restored:
            restored.add((request_id, move))
            values = {column: _date(details[name]) if name.endswith("_on") else details[name]
                      for name, column in FIRST_FACTS[move] if details.get(name)}
            if values:
                bind.execute(assistance_request.update()
                             .where(assistance_request.c.id == request_id).values(**values))


def upgrade() -> None:
    with op.batch_alter_table("stage_change") as batch:
        batch.add_column(sa.Column("sent_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("channel_code", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("number", sa.String(length=100), nullable=False, server_default=""))
    with op.batch_alter_table("stage_change") as batch:
        batch.alter_column("number", server_default=None)
    with op.batch_alter_table("clock") as batch:
        batch.alter_column("kind", existing_type=_kind(OLD_KINDS), type_=_kind(NEW_KINDS),
                           existing_nullable=False)
    _fill(op.get_bind())


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM clock WHERE kind = 'execute_by'"))
    with op.batch_alter_table("clock") as batch:
        batch.alter_column("kind", existing_type=_kind(NEW_KINDS), type_=_kind(OLD_KINDS),
                           existing_nullable=False)
    with op.batch_alter_table("stage_change") as batch:
        batch.drop_column("number")
        batch.drop_column("channel_code")
        batch.drop_column("sent_on")
