"""The stage machines of requests: which move leads from which stage, for whom, needing what."""
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mla.domain.enums import Direction, RequestKind, Role, Stage
from mla.domain.errors import N_, ForbiddenMove, MissingMoveData


@dataclass(frozen=True)
class Move:
    """One step between two stages, open to some roles, needing some data (named in MOVE_DATA);
    a move that hands the request on for review or to the partner needs it complete first."""

    name: str
    source: Stage
    target: Stage
    roles: frozenset[Role]
    requires: tuple[str, ...] = ()
    needs_complete_request: bool = False


@dataclass(frozen=True)
class Machine:
    """The stages and moves of one direction and kind of request; who each open stage waits on."""

    key: str
    initial: Stage
    moves: tuple[Move, ...]
    terminal: frozenset[Stage]
    waiting_on_partner: frozenset[Stage] = frozenset()

    def stages(self) -> frozenset[Stage]:
        ends = {move.source for move in self.moves} | {move.target for move in self.moves}
        return frozenset(ends | {self.initial})

    def moves_from(self, stage: Stage) -> tuple[Move, ...]:
        return tuple(move for move in self.moves if move.source == stage)

    def waiting_on_us(self) -> frozenset[Stage]:
        return self.stages() - self.terminal - self.waiting_on_partner


def _moves(
    name: str, sources: Iterable[Stage], target: Stage, roles: frozenset[Role],
    requires: tuple[str, ...] = (), *, needs_complete_request: bool = False,
) -> tuple[Move, ...]:
    return tuple(Move(name, source, target, roles, requires, needs_complete_request)
                 for source in sources)


_DRAFTER = frozenset({Role.DRAFTER})
_TRANSLATOR = frozenset({Role.TRANSLATOR})
_MANAGER = frozenset({Role.MANAGER})
_DESK = frozenset({Role.DESK, Role.MANAGER})  # the manager supervises the desk and may do its work
_CASEWORKERS = frozenset({Role.DRAFTER, Role.DESK, Role.MANAGER})
_TRANSMISSION = ("transmitted_on", "channel", "outgoing_number")
_REFUSAL = ("refusal_ground", "reason")

# Side exits end a request before its work is done; path_to passes one only to end there, so a closed
# demo request reads as finished work
SIDE_EXITS = frozenset({Stage.WITHDRAWN, Stage.REFUSED, Stage.DECLINED})
# A supplementary request adds to an outgoing request the partner has received (answering its request for
# more information, or asking again after a partial answer or a refusal).
SUPPLEMENTABLE = frozenset({
    Stage.SENT, Stage.ACKNOWLEDGED, Stage.ADDITIONAL_INFO_REQUESTED, Stage.ADDITIONAL_INFO_SENT,
    Stage.CONDITIONS_PROPOSED, Stage.POSTPONED, Stage.IN_EXECUTION, Stage.PARTIALLY_EXECUTED,
    Stage.EXECUTED, Stage.REFUSED, Stage.ANSWERED, Stage.PARTIALLY_ANSWERED,
})
# While a request stays in one of these stages, the note of the move that put it there stands at the top of
# its page: what the approving official asks to correct, what more information is asked for.
STANDING_NOTES = {
    Stage.RETURNED_FOR_CORRECTION: frozenset({"return_for_correction"}),
    Stage.ADDITIONAL_INFO_REQUESTED: frozenset({"record_info_request", "request_additional_info"}),
}
# An outgoing request in these stages is not yet approved: a letter made from it is a draft (marked as
# such, with no signature line); only an approved request gives the clean copy.
UNAPPROVED = frozenset({Stage.DRAFT, Stage.INTERNAL_REVIEW, Stage.RETURNED_FOR_CORRECTION})
_OUT_BEFORE_SENDING = (
    Stage.DRAFT, Stage.INTERNAL_REVIEW, Stage.RETURNED_FOR_CORRECTION, Stage.APPROVED,
    Stage.TRANSLATION, Stage.READY_TO_SEND,
)
_OUT_WAITING = (
    Stage.SENT, Stage.ACKNOWLEDGED, Stage.ADDITIONAL_INFO_SENT, Stage.CONDITIONS_ACCEPTED,
    Stage.CONDITIONS_DECLINED, Stage.POSTPONED, Stage.IN_EXECUTION, Stage.PARTIALLY_EXECUTED,
)
_OUT_AFTER_SENDING = (*_OUT_WAITING, Stage.ADDITIONAL_INFO_REQUESTED, Stage.CONDITIONS_PROPOSED)

OUTGOING_MLA = Machine(
    key="outgoing_mla",
    initial=Stage.DRAFT,
    terminal=frozenset({Stage.CLOSED}),
    waiting_on_partner=frozenset(_OUT_WAITING),
    moves=(
        *_moves("submit", [Stage.DRAFT], Stage.INTERNAL_REVIEW, _DRAFTER, needs_complete_request=True),
        *_moves("approve", [Stage.INTERNAL_REVIEW], Stage.APPROVED, _MANAGER),
        *_moves("return_for_correction", [Stage.INTERNAL_REVIEW], Stage.RETURNED_FOR_CORRECTION,
                _MANAGER, ("note",)),
        *_moves("resubmit", [Stage.RETURNED_FOR_CORRECTION], Stage.INTERNAL_REVIEW, _DRAFTER,
                needs_complete_request=True),
        *_moves("send_to_translation", [Stage.APPROVED], Stage.TRANSLATION, _DESK),
        *_moves("mark_ready_to_send", [Stage.APPROVED], Stage.READY_TO_SEND, _DESK),
        *_moves("finish_translation", [Stage.TRANSLATION], Stage.READY_TO_SEND, _TRANSLATOR),
        *_moves("transmit", [Stage.READY_TO_SEND], Stage.SENT, _DESK, _TRANSMISSION,
                needs_complete_request=True),
        *_moves("record_acknowledgement", [Stage.SENT], Stage.ACKNOWLEDGED, _DESK,
                ("acknowledged_on", "partner_reference")),
        *_moves("record_info_request",
                [Stage.SENT, Stage.ACKNOWLEDGED, Stage.ADDITIONAL_INFO_SENT,
                 Stage.CONDITIONS_ACCEPTED, Stage.POSTPONED, Stage.IN_EXECUTION,
                 Stage.PARTIALLY_EXECUTED],
                Stage.ADDITIONAL_INFO_REQUESTED, _DESK, ("info_requested",)),
        *_moves("send_additional_info", [Stage.ADDITIONAL_INFO_REQUESTED],
                Stage.ADDITIONAL_INFO_SENT, _DESK, _TRANSMISSION),
        *_moves("record_conditions",
                [Stage.ACKNOWLEDGED, Stage.ADDITIONAL_INFO_SENT, Stage.CONDITIONS_DECLINED,
                 Stage.IN_EXECUTION],
                Stage.CONDITIONS_PROPOSED, _DESK, ("note",)),
        *_moves("accept_conditions", [Stage.CONDITIONS_PROPOSED], Stage.CONDITIONS_ACCEPTED, _DESK),
        *_moves("decline_conditions", [Stage.CONDITIONS_PROPOSED], Stage.CONDITIONS_DECLINED, _DESK,
                ("note",)),
        *_moves("record_postponement",
                [Stage.ACKNOWLEDGED, Stage.ADDITIONAL_INFO_SENT, Stage.CONDITIONS_ACCEPTED,
                 Stage.IN_EXECUTION],
                Stage.POSTPONED, _DESK, ("reason",)),
        *_moves("record_execution_start",
                [Stage.ACKNOWLEDGED, Stage.ADDITIONAL_INFO_SENT, Stage.CONDITIONS_ACCEPTED,
                 Stage.CONDITIONS_DECLINED, Stage.POSTPONED],
                Stage.IN_EXECUTION, _DESK),
        *_moves("record_partial_execution", [Stage.IN_EXECUTION], Stage.PARTIALLY_EXECUTED, _DESK),
        *_moves("record_execution", [Stage.IN_EXECUTION, Stage.PARTIALLY_EXECUTED], Stage.EXECUTED,
                _DESK),
        *_moves("record_refusal", _OUT_AFTER_SENDING, Stage.REFUSED, _DESK, _REFUSAL),
        *_moves("withdraw", (*_OUT_BEFORE_SENDING, *_OUT_AFTER_SENDING), Stage.WITHDRAWN, _MANAGER,
                ("reason",)),
        *_moves("close", [Stage.EXECUTED, Stage.REFUSED, Stage.WITHDRAWN], Stage.CLOSED, _DESK,
                ("note",)),
    ),
)

_IN_CHECKED = (Stage.SUBSTANTIVE_CHECK, Stage.CONSULTATION, Stage.ASSIGNED, Stage.IN_EXECUTION)

INCOMING_MLA = Machine(
    key="incoming_mla",
    initial=Stage.RECEIVED,
    terminal=frozenset({Stage.CLOSED}),
    waiting_on_partner=frozenset({
        Stage.ADDITIONAL_INFO_REQUESTED, Stage.CONSULTATION, Stage.CANNOT_KEEP_CONFIDENTIAL,
    }),
    moves=(
        *_moves("register", [Stage.RECEIVED], Stage.REGISTERED, _DESK,
                ("received_on", "partner_reference")),
        *_moves("send_acknowledgement", [Stage.REGISTERED], Stage.ACKNOWLEDGED, _DESK,
                ("acknowledged_on",)),
        *_moves("start_formal_check", [Stage.ACKNOWLEDGED], Stage.FORMAL_CHECK, _DESK),
        *_moves("pass_formal_check", [Stage.FORMAL_CHECK], Stage.SUBSTANTIVE_CHECK, _DESK),
        *_moves("request_additional_info", [Stage.FORMAL_CHECK, Stage.SUBSTANTIVE_CHECK],
                Stage.ADDITIONAL_INFO_REQUESTED, _DESK, ("info_requested",)),
        *_moves("record_info_received", [Stage.ADDITIONAL_INFO_REQUESTED], Stage.FORMAL_CHECK,
                _DESK, ("received_on",)),
        *_moves("open_consultation", [Stage.SUBSTANTIVE_CHECK], Stage.CONSULTATION, _DESK,
                ("note",)),
        *_moves("assign", [Stage.SUBSTANTIVE_CHECK, Stage.CONSULTATION, Stage.POSTPONED],
                Stage.ASSIGNED, _DESK, ("assignee", "execute_by")),
        *_moves("start_execution", [Stage.ASSIGNED], Stage.IN_EXECUTION, _CASEWORKERS),
        *_moves("certify_evidence", [Stage.IN_EXECUTION], Stage.EVIDENCE_CERTIFIED, _DRAFTER),
        *_moves("return_evidence", [Stage.EVIDENCE_CERTIFIED], Stage.RETURNED, _DESK,
                ("returned_on", "channel")),
        *_moves("postpone", _IN_CHECKED, Stage.POSTPONED, _DESK, ("reason",)),
        *_moves("resume_execution", [Stage.POSTPONED], Stage.IN_EXECUTION, _DESK),
        *_moves("record_cannot_keep_confidential", [Stage.FORMAL_CHECK, *_IN_CHECKED],
                Stage.CANNOT_KEEP_CONFIDENTIAL, _DESK, ("note",)),
        *_moves("record_partner_consent", [Stage.CANNOT_KEEP_CONFIDENTIAL], Stage.SUBSTANTIVE_CHECK,
                _DESK, ("note",)),
        *_moves("record_refusal",
                [Stage.FORMAL_CHECK, Stage.ADDITIONAL_INFO_REQUESTED, Stage.POSTPONED,
                 *_IN_CHECKED],
                Stage.REFUSED, _DESK, _REFUSAL),
        *_moves("record_withdrawal",
                [Stage.RECEIVED, Stage.REGISTERED, Stage.ACKNOWLEDGED, Stage.FORMAL_CHECK,
                 Stage.ADDITIONAL_INFO_REQUESTED, Stage.POSTPONED, Stage.CANNOT_KEEP_CONFIDENTIAL,
                 Stage.EVIDENCE_CERTIFIED, *_IN_CHECKED],
                Stage.WITHDRAWN, _DESK, ("note",)),
        *_moves("close", [Stage.RETURNED, Stage.REFUSED, Stage.WITHDRAWN], Stage.CLOSED, _DESK,
                ("note",)),
    ),
)

OUTGOING_POLICE = Machine(
    key="outgoing_police",
    initial=Stage.DRAFT,
    terminal=frozenset({Stage.CLOSED, Stage.CONVERTED_TO_MLA}),
    waiting_on_partner=frozenset({Stage.SENT, Stage.PARTIALLY_ANSWERED}),
    moves=(
        # the drafter hands a finished police request to the desk, which sends it (or its own drafts)
        *_moves("hand_to_desk", [Stage.DRAFT], Stage.READY_TO_SEND, _DRAFTER, needs_complete_request=True),
        *_moves("transmit", [Stage.DRAFT, Stage.READY_TO_SEND], Stage.SENT, _DESK, _TRANSMISSION,
                needs_complete_request=True),
        *_moves("record_answer", [Stage.SENT, Stage.PARTIALLY_ANSWERED], Stage.ANSWERED, _DESK,
                ("answered_on",)),
        *_moves("record_partial_answer", [Stage.SENT], Stage.PARTIALLY_ANSWERED, _DESK, ("answered_on",)),
        *_moves("record_decline", [Stage.SENT], Stage.DECLINED, _DESK, ("reason",)),
        *_moves("convert_to_mla", [Stage.ANSWERED, Stage.PARTIALLY_ANSWERED, Stage.DECLINED],
                Stage.CONVERTED_TO_MLA, _CASEWORKERS, ("note",)),
        *_moves("withdraw", [Stage.DRAFT, Stage.READY_TO_SEND, Stage.SENT], Stage.WITHDRAWN, _MANAGER,
                ("reason",)),
        *_moves("close",
                [Stage.ANSWERED, Stage.PARTIALLY_ANSWERED, Stage.DECLINED, Stage.WITHDRAWN],
                Stage.CLOSED, _DESK, ("note",)),
    ),
)

INCOMING_POLICE = Machine(
    key="incoming_police",
    initial=Stage.RECEIVED,
    terminal=frozenset({Stage.CLOSED}),
    moves=(
        *_moves("register", [Stage.RECEIVED], Stage.REGISTERED, _DESK,
                ("received_on", "partner_reference")),
        *_moves("send_answer", [Stage.REGISTERED, Stage.PARTIALLY_ANSWERED], Stage.ANSWERED, _DESK),
        *_moves("send_partial_answer", [Stage.REGISTERED], Stage.PARTIALLY_ANSWERED, _DESK),
        *_moves("decline", [Stage.REGISTERED], Stage.DECLINED, _DESK, ("reason",)),
        *_moves("record_withdrawal", [Stage.RECEIVED, Stage.REGISTERED], Stage.WITHDRAWN, _DESK,
                ("note",)),
        *_moves("close",
                [Stage.ANSWERED, Stage.PARTIALLY_ANSWERED, Stage.DECLINED, Stage.WITHDRAWN],
                Stage.CLOSED, _DESK, ("note",)),
    ),
)

MACHINES: dict[tuple[Direction, RequestKind], Machine] = {
    (Direction.OUTGOING, RequestKind.MLA): OUTGOING_MLA,
    (Direction.INCOMING, RequestKind.MLA): INCOMING_MLA,
    (Direction.OUTGOING, RequestKind.POLICE): OUTGOING_POLICE,
    (Direction.INCOMING, RequestKind.POLICE): INCOMING_POLICE,
}

# The facts of a request's first events are its own (DOMAIN.md §1.6): the moves that record them, and which
# data items of the move each one sets on the request. Every other move keeps what it records on its own
# stage change only, so a later dispatch or a later receipt never replaces the first one's date or number.
REQUEST_FACTS: dict[str, tuple[str, ...]] = {
    "transmit": ("transmitted_on", "channel", "outgoing_number"),
    "register": ("received_on", "partner_reference"),
    "record_acknowledgement": ("acknowledged_on", "partner_reference"),
    "send_acknowledgement": ("acknowledged_on",),
}
# A dispatch is a move by which something leaves for the partner: the data item holding its date.
DISPATCH_DATES = ("transmitted_on", "returned_on")


def is_dispatch(move: Move) -> bool:
    """Whether the move sends something to the partner (a transmission, more information, evidence)."""
    return any(name in move.requires for name in DISPATCH_DATES)


_MISSING = {
    "note": N_("This step needs a note."),
    "transmitted_on": N_("Please enter the date the letter was transmitted."),
    "channel": N_("Please choose the channel it went through."),
    "outgoing_number": N_("Please enter the outgoing number from the register."),
    "acknowledged_on": N_("Please enter the date of the acknowledgement of receipt."),
    "partner_reference": N_("Please enter the partner's reference number."),
    "received_on": N_("Please enter the date it was received."),
    "info_requested": N_("Please describe the additional information that is asked for."),
    "refusal_ground": N_("A refusal needs a ground from the list and a reason."),
    "reason": N_("Please give the reason."),
    "assignee": N_("Please choose who will execute the request."),
    "execute_by": N_("Please enter the date by which the request is to be executed."),
    "returned_on": N_("Please enter the date the evidence was returned."),
    "answered_on": N_("Please enter the date of the partner's answer."),
}
MOVE_DATA = frozenset(_MISSING)  # the names a Move may require
_MISSING_FOR_MOVE = {
    ("return_for_correction", "note"): N_("Returning a request needs a comment on what to correct."),
    ("record_refusal", "reason"): _MISSING["refusal_ground"],
    ("close", "note"): N_("Closing a request needs a note on its outcome."),
    ("convert_to_mla", "note"): N_("Converting to a formal MLA request needs a note saying why."),
    ("withdraw", "reason"): N_("A withdrawal needs a reason to give the requested State."),
    ("record_postponement", "reason"): N_("A postponement needs the reason the partner gave."),
}


def machine_for(direction: Direction, kind: RequestKind) -> Machine:
    return MACHINES[(Direction(direction), RequestKind(kind))]


def open_moves(
    direction: Direction, kind: RequestKind, stage: Stage, role: Role
) -> tuple[Move, ...]:
    """The moves this role may make from this stage, in table order."""
    moves = machine_for(direction, kind).moves_from(stage)
    return tuple(move for move in moves if role in move.roles)


def is_open(direction: Direction, kind: RequestKind, stage: Stage) -> bool:
    return stage not in machine_for(direction, kind).terminal


def waits_on_partner(direction: Direction, kind: RequestKind, stage: Stage) -> bool:
    """True while the other side owes the next step (clocks on our own work pause then)."""
    return stage in machine_for(direction, kind).waiting_on_partner


def letter_is_draft(direction: Direction, stage: Stage) -> bool:
    """Whether a letter made from a request at this stage must be marked as a draft and go unsigned."""
    return direction == Direction.OUTGOING and stage in UNAPPROVED


def is_side_exit(stage: Stage) -> bool:
    """Whether reaching `stage` ends the request before its work is done (a refusal, a withdrawal)."""
    return stage in SIDE_EXITS


def is_standing_note(stage: Stage, move_name: str) -> bool:
    """Whether the note of `move_name` stands at the top of the page of a request now at `stage`."""
    return move_name in STANDING_NOTES.get(stage, frozenset())


def may_start_supplementary(role: Role, direction: Direction, stage: Stage) -> bool:
    """Whether `role` may start a supplementary request following a request at `stage`."""
    return role in _CASEWORKERS and direction == Direction.OUTGOING and stage in SUPPLEMENTABLE


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_move(
    direction: Direction, kind: RequestKind, stage: Stage, move_name: str, role: Role,
    data: Mapping[str, object],
) -> Move:
    """The move `role` asks for, if it is open from `stage` and `data` has all it requires."""
    machine = machine_for(direction, kind)
    if all(move.name != move_name for move in machine.moves):
        raise ForbiddenMove(N_("This step does not exist for this kind of request."))
    move = next((m for m in machine.moves_from(stage) if m.name == move_name), None)
    if move is None:
        raise ForbiddenMove(N_("This step is not possible at the stage the request is in now."))
    if role not in move.roles:
        raise ForbiddenMove(N_("Your role does not allow this step."))
    for item in move.requires:
        if _is_blank(data.get(item)):
            message = _MISSING_FOR_MOVE.get((move_name, item), _MISSING[item])
            raise MissingMoveData(message, field=item)
    return move


def path_to(direction: Direction, kind: RequestKind, target: Stage) -> tuple[Move, ...]:
    """The shortest run of moves from the initial stage to `target` (to build demo histories)."""
    machine = machine_for(direction, kind)
    paths: dict[Stage, tuple[Move, ...]] = {machine.initial: ()}
    queue = deque([machine.initial])
    while queue:
        stage = queue.popleft()
        if stage == target:
            return paths[stage]
        for move in () if stage in SIDE_EXITS else machine.moves_from(stage):
            if move.target not in paths:
                paths[move.target] = (*paths[stage], move)
                queue.append(move.target)
    raise ValueError(f"Stage {target} cannot be reached in the {machine.key} machine.")
