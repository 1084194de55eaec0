"""Owns how the results of a request's measures and its stage agree: when every measure is executed the
request's execution may be recorded, and declaring it executed with measures still pending must be
confirmed."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from mla.domain.enums import MeasureStatus, Stage
from mla.domain.errors import N_, MissingMoveData

EXECUTION_MOVES = frozenset({"record_execution"})
# The move data that confirms the request is executed although some measures are still pending.
PENDING_ACCEPTED = "pending_accepted"
PENDING_NOT_CONFIRMED = N_("Measures still pending: %(count)s. Record their results first, or confirm that "
                           "the request is executed all the same (say why in the note).")


def is_all_executed(statuses: Iterable[MeasureStatus]) -> bool:
    """Whether the request has measures and every one of them is executed."""
    listed = list(statuses)
    return bool(listed) and all(status == MeasureStatus.EXECUTED for status in listed)


def pending_count(statuses: Iterable[MeasureStatus]) -> int:
    return sum(1 for status in statuses if status == MeasureStatus.PENDING)


def declares_execution(move_name: str, source: Stage) -> bool:
    """Whether the move records the request as executed: recording its execution, or closing an executed
    one."""
    return move_name in EXECUTION_MOVES or (move_name == "close" and source == Stage.EXECUTED)


def check_execution_declared(move_name: str, source: Stage, statuses: Iterable[MeasureStatus],
                             data: Mapping[str, object]) -> None:
    """Refuse to declare a request executed while measures are pending, unless the user confirms it."""
    if not declares_execution(move_name, source):
        return
    pending = pending_count(statuses)
    if pending and data.get(PENDING_ACCEPTED) is not True:
        raise MissingMoveData(PENDING_NOT_CONFIRMED, field=PENDING_ACCEPTED, params={"count": pending})
