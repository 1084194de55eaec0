"""audit values kept apart from the chain; every audit record signed with the audit key

Revision ID: 0010_audit_values
Revises: 0009_sessions_and_second_factor
Create Date: 2026-12-07

Until now each audit record's hash covered its changed values (`changes`), so a value could never be
withheld, sealed or shredded without breaking the chain. From here:

- audit_value holds each changed value with a random salt and `is_protected`; the record keeps only
  `digests` (a salted SHA-256 of each value), and its hash covers the digests. Sealing a value (its
  person became protected) changes audit_value only; the chain stays whole.
- audit_event.mac is an HMAC-SHA256 of the record's hash with the audit key, which is kept outside the
  database: someone with database rights who rewrites a record and recomputes the chain cannot sign it.

The existing records are carried over: the old chain is checked first (the upgrade refuses a broken one
rather than sign it), then every record is rewritten in the new form, chained and signed again in order,
so `mla verify-audit` proves the whole log. That needs the audit key (`mla db upgrade` passes it).
Values about a person who is protected now, or was at any time, are sealed.

The append-only triggers of 0003 are set aside while the records are rewritten and made again; new
triggers let audit_value rows only ever be sealed. There is no way back: the old form cannot carry the
keyed hashes; restore a backup made before the upgrade instead.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from mla.migrations import AUDIT_KEY_ATTRIBUTE, MigrationRefused

revision = "0010_audit_values"
down_revision = "0009_sessions_and_second_factor"
branch_labels = None
depends_on = None

MESSAGE = "audit records are append-only"
SEALED_ONLY = "audit values are only ever sealed"
BATCH = 1000

old_events = sa.table(
    "audit_event", sa.column("id", sa.Integer), sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer), sa.column("action", sa.String), sa.column("object_type", sa.String),
    sa.column("object_id", sa.String), sa.column("request_id", sa.Integer), sa.column("changes", sa.JSON),
    sa.column("remote_addr", sa.String), sa.column("prev_hash", sa.String), sa.column("hash", sa.String))
new_columns = sa.table("audit_event", sa.column("id", sa.Integer), sa.column("digests", sa.JSON),
                       sa.column("prev_hash", sa.String), sa.column("hash", sa.String), sa.column("mac", sa.String))
audit_values = sa.table(
    "audit_value", sa.column("event_id", sa.Integer), sa.column("field", sa.String),
    sa.column("value", sa.JSON), sa.column("salt", sa.String), sa.column("is_protected", sa.Boolean))


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _hash(row: Any, prev_hash: str, content: dict[str, Any]) -> str:
    """The record's hash in the old form (content: changes) or the new one (content: digests)."""
    body = {"at": _utc(row.at).isoformat(), "actor_id": row.actor_id, "action": row.action,
            "object_type": row.object_type, "object_id": row.object_id, "request_id": row.request_id,
            "remote_addr": row.remote_addr, "prev_hash": prev_hash, **content}
    return hashlib.sha256(_json(body).encode()).hexdigest()


def _events(bind: sa.Connection) -> Iterator[Any]:
    last_id = 0
    while True:
        rows = bind.execute(sa.select(old_events).where(old_events.c.id > last_id)
                            .order_by(old_events.c.id).limit(BATCH)).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def _names_protected(row: Any) -> bool:
    """A person record written while she was protected (values withheld) or marking her protected."""
    changes = row.changes or {}
    flag = changes.get("is_protected")
    return "withheld" in changes or flag is True or (isinstance(flag, list) and True in flag)


def _check_old_chain(bind: sa.Connection) -> set[str]:
    """Refuse a broken chain; return the ids of persons whose audit values must be sealed."""
    previous, protected = "", {str(pid) for pid in bind.scalars(sa.text(
        "SELECT id FROM person WHERE is_protected"))}
    for row in _events(bind):
        if row.prev_hash != previous or _hash(row, row.prev_hash, {"changes": row.changes}) != row.hash:
            raise MigrationRefused(f"the audit chain breaks at record {row.id}; the upgrade refuses to sign a "
                               "broken chain. Find out what happened (mla verify-audit on the old version) "
                               "and restore a whole backup first.")
        if row.object_type == "person" and _names_protected(row):
            protected.add(row.object_id)
        previous = row.hash
    return protected


def _rewrite(bind: sa.Connection, key: bytes, protected: set[str]) -> None:
    previous = ""
    for row in _events(bind):
        sealed = row.object_type == "person" and row.object_id in protected
        values = [{"event_id": row.id, "field": str(field), "value": value, "salt": secrets.token_hex(16),
                   "is_protected": sealed} for field, value in (row.changes or {}).items()]
        digests = {item["field"]: hashlib.sha256(f"{item['salt']}\x1f{_json(item['value'])}".encode())
                   .hexdigest() for item in values}
        if values:
            bind.execute(sa.insert(audit_values), values)
        new_hash = _hash(row, previous, {"digests": digests})
        bind.execute(sa.update(new_columns).where(new_columns.c.id == row.id).values(
            digests=digests, prev_hash=previous, hash=new_hash,
            mac=hmac.new(key, new_hash.encode(), hashlib.sha256).hexdigest()))
        previous = new_hash


def _set_triggers_aside(dialect: str) -> None:
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    else:
        op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")


def _sqlite_triggers() -> None:
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_event_no_{event.lower()} BEFORE {event} ON audit_event "
                   f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    op.execute(f"CREATE TRIGGER audit_value_no_delete BEFORE DELETE ON audit_value "
               f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    op.execute("CREATE TRIGGER audit_value_sealed_only BEFORE UPDATE ON audit_value "
               "WHEN NEW.event_id IS NOT OLD.event_id OR NEW.field IS NOT OLD.field "
               "OR NEW.value IS NOT OLD.value OR NEW.salt IS NOT OLD.salt "
               "OR (OLD.is_protected AND NOT NEW.is_protected) "
               f"BEGIN SELECT RAISE(ABORT, '{SEALED_ONLY}'); END")


def _postgresql_triggers() -> None:
    op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
    op.execute(
        "CREATE OR REPLACE FUNCTION mla_audit_value_sealed_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '{MESSAGE}'; END IF; "
        "IF NEW.event_id <> OLD.event_id OR NEW.field <> OLD.field OR NEW.value::text <> OLD.value::text "
        "OR NEW.salt <> OLD.salt OR (OLD.is_protected AND NOT NEW.is_protected) "
        f"THEN RAISE EXCEPTION '{SEALED_ONLY}'; END IF; RETURN NEW; END $$")
    op.execute("CREATE TRIGGER audit_value_sealed_only BEFORE UPDATE OR DELETE ON audit_value "
               "FOR EACH ROW EXECUTE FUNCTION mla_audit_value_sealed_only()")
    op.execute("CREATE TRIGGER audit_value_no_truncate BEFORE TRUNCATE ON audit_value "
               "FOR EACH STATEMENT EXECUTE FUNCTION mla_audit_append_only()")


def upgrade() -> None:
    bind = op.get_bind()
    protected = _check_old_chain(bind)
    config = op.get_context().config  # None only outside an Alembic Config: then there is no key either
    key = config.attributes.get(AUDIT_KEY_ATTRIBUTE) if config is not None else None
    if not key and bind.scalar(sa.text("SELECT count(*) FROM audit_event")):
        raise MigrationRefused("signing the existing audit records needs the audit key: upgrade with "
                           "`mla db upgrade`, which reads MLA_AUDIT_KEY, MLA_AUDIT_KEY_FILE or the instance's key")
    op.add_column("audit_event", sa.Column("digests", sa.JSON(), nullable=True))
    op.add_column("audit_event", sa.Column("mac", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("is_protected", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["audit_event.id"],
                                name=op.f("fk_audit_value_event_id_audit_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_value")),
    )
    op.create_index(op.f("ix_audit_value_event_id"), "audit_value", ["event_id"], unique=False)
    dialect = bind.dialect.name
    _set_triggers_aside(dialect)
    _rewrite(bind, key or b"", protected)
    with op.batch_alter_table("audit_event") as batch:
        batch.alter_column("digests", existing_type=sa.JSON(), nullable=False)
        batch.alter_column("mac", existing_type=sa.String(length=64), nullable=False)
        batch.drop_column("changes")
    if dialect == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def downgrade() -> None:
    raise MigrationRefused("0010_audit_values cannot be undone: the old audit form cannot carry the keyed "
                       "hashes. Restore a backup made before the upgrade instead.")
