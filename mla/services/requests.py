"""Creating and changing assistance requests; references that are gap-free under concurrency."""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from mla.domain.enums import Direction, RequestKind
from mla.models import ReferenceCounter

_DIRECTION_CODES = {Direction.OUTGOING: "OUT", Direction.INCOMING: "IN"}
_KIND_CODES = {RequestKind.MLA: "MLA", RequestKind.POLICE: "POL"}


def reference_prefix(direction: Direction, kind: RequestKind) -> str:
    return f"{_DIRECTION_CODES[direction]}-{_KIND_CODES[kind]}"


def next_reference(session: Session, direction: Direction, kind: RequestKind, year: int) -> str:
    """The next reference, e.g. OUT-MLA-2026-0042. The counter row is bumped with one
    UPDATE ... RETURNING, which locks it until the caller commits, so two creations at
    once get consecutive numbers and a rolled-back creation gives its number back."""
    prefix = reference_prefix(direction, kind)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(ReferenceCounter)
        .values(prefix=prefix, year=year, last_value=0)
        .on_conflict_do_nothing()
    )
    number = session.scalar(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix, ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + 1)
        .returning(ReferenceCounter.last_value)
    )
    return f"{prefix}-{year}-{number:04d}"
