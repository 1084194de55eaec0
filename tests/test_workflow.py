"""The stage machines: shape of each machine, who may make which move, and what each move needs."""
import pytest

from mla.domain.enums import Direction, RequestKind, Role, Stage
from mla.domain.errors import ForbiddenMove, MissingMoveData
from mla.domain.workflow import (
    MACHINES,
    MOVE_DATA,
    OUTGOING_MLA,
    OUTGOING_POLICE,
    Machine,
    check_move,
    is_open,
    is_side_exit,
    machine_for,
    may_start_supplementary,
    open_moves,
    path_to,
    waits_on_partner,
)

OUT, IN = Direction.OUTGOING, Direction.INCOMING
MLA, POLICE = RequestKind.MLA, RequestKind.POLICE
FULL = {item: "given" for item in MOVE_DATA}
SIDE_EXITS = {Stage.WITHDRAWN, Stage.REFUSED, Stage.DECLINED}
STAGE_CASES = [
    pytest.param(direction, kind, stage, id=f"{machine.key}-{stage}")
    for (direction, kind), machine in MACHINES.items()
    for stage in sorted(machine.stages())
]
MACHINE_CASES = [pytest.param(machine, id=machine.key) for machine in MACHINES.values()]


def without(*items: str) -> dict[str, object]:
    return {key: value for key, value in FULL.items() if key not in items}


@pytest.mark.parametrize(
    ("direction", "kind", "key"),
    [(OUT, MLA, "outgoing_mla"), (IN, MLA, "incoming_mla"),
     (OUT, POLICE, "outgoing_police"), (IN, POLICE, "incoming_police"),
     ("outgoing", "police", "outgoing_police")],
)
def test_machine_for_picks_by_direction_and_kind(direction, kind, key):
    assert machine_for(direction, kind).key == key


@pytest.mark.parametrize(("direction", "kind", "stage"), STAGE_CASES)
def test_every_stage_is_reached_from_the_initial_stage_by_allowed_moves(direction, kind, stage):
    machine = machine_for(direction, kind)
    current = machine.initial
    for move in path_to(direction, kind, stage):
        assert current not in SIDE_EXITS, "a demo history only ends in a side exit"
        role = min(move.roles)
        assert check_move(direction, kind, current, move.name, role, FULL) == move
        current = move.target
    assert current == stage


@pytest.mark.parametrize(("direction", "kind", "stage"), STAGE_CASES)
def test_open_stages_have_a_way_out_and_terminal_stages_none(direction, kind, stage):
    machine = machine_for(direction, kind)
    assert bool(machine.moves_from(stage)) == is_open(direction, kind, stage)


@pytest.mark.parametrize(
    ("direction", "kind", "stage", "names"),
    [(OUT, MLA, Stage.INTERNAL_REVIEW, "submit"),
     (OUT, MLA, Stage.CLOSED, ("submit approve mark_ready_to_send transmit"
                               " record_acknowledgement record_execution_start record_execution"
                               " close")),
     (OUT, MLA, Stage.REFUSED, "submit approve mark_ready_to_send transmit record_refusal"),
     (IN, MLA, Stage.CLOSED, ("register send_acknowledgement start_formal_check"
                              " pass_formal_check assign start_execution certify_evidence"
                              " return_evidence close")),
     (OUT, POLICE, Stage.CONVERTED_TO_MLA, "transmit record_answer convert_to_mla"),
     (IN, POLICE, Stage.CLOSED, "register send_answer close")],
)
def test_shortest_paths_read_like_a_real_history(direction, kind, stage, names):
    assert [move.name for move in path_to(direction, kind, stage)] == names.split()


@pytest.mark.parametrize(
    ("direction", "kind", "stage"),
    [(OUT, MLA, Stage.RECEIVED), (IN, MLA, Stage.DRAFT), (OUT, POLICE, Stage.EXECUTED),
     (IN, POLICE, Stage.CONVERTED_TO_MLA)],
)
def test_path_to_a_stage_outside_the_machine_is_refused(direction, kind, stage):
    with pytest.raises(ValueError, match="cannot be reached"):
        path_to(direction, kind, stage)


@pytest.mark.parametrize("machine", MACHINE_CASES)
def test_the_initial_stage_needs_no_moves(machine: Machine):
    assert path_to(*_key_of(machine), machine.initial) == ()


@pytest.mark.parametrize("machine", MACHINE_CASES)
def test_tables_use_only_known_stages_roles_and_data(machine: Machine):
    assert isinstance(machine.initial, Stage)
    assert all(isinstance(stage, Stage) for stage in machine.terminal | machine.waiting_on_partner)
    for move in machine.moves:
        assert isinstance(move.source, Stage) and isinstance(move.target, Stage)
        assert move.roles and all(isinstance(role, Role) for role in move.roles)
        assert set(move.requires) <= MOVE_DATA


@pytest.mark.parametrize("machine", MACHINE_CASES)
def test_move_names_are_unique_per_stage_and_mean_one_thing(machine: Machine):
    pairs = [(move.source, move.name) for move in machine.moves]
    assert len(pairs) == len(set(pairs))
    meaning: dict[str, tuple] = {}
    for move in machine.moves:
        shape = (move.target, move.roles, move.requires)
        assert meaning.setdefault(move.name, shape) == shape, move.name


@pytest.mark.parametrize("machine", MACHINE_CASES)
def test_every_open_stage_waits_on_exactly_one_side(machine: Machine):
    open_stages = machine.stages() - machine.terminal
    assert machine.waiting_on_partner <= open_stages
    assert machine.waiting_on_us() | machine.waiting_on_partner == open_stages
    assert not machine.waiting_on_us() & machine.waiting_on_partner


@pytest.mark.parametrize("machine", MACHINE_CASES)
def test_the_manager_can_make_every_desk_move(machine: Machine):
    assert all(Role.MANAGER in move.roles for move in machine.moves if Role.DESK in move.roles)


@pytest.mark.parametrize("machine", MACHINE_CASES)
def test_every_refusal_needs_a_ground_and_a_reason(machine: Machine):
    for move in machine.moves:
        if move.target == Stage.REFUSED:
            assert {"refusal_ground", "reason"} <= set(move.requires)


@pytest.mark.parametrize(("direction", "kind", "stage"), STAGE_CASES)
def test_admin_has_no_moves_anywhere(direction, kind, stage):
    assert open_moves(direction, kind, stage, Role.ADMIN) == ()


def test_translator_only_finishes_translations():
    translator_moves = [
        (machine.key, move.source, move.target)
        for machine in MACHINES.values() for move in machine.moves if Role.TRANSLATOR in move.roles
    ]
    assert translator_moves == [("outgoing_mla", Stage.TRANSLATION, Stage.READY_TO_SEND)]


@pytest.mark.parametrize(
    ("direction", "kind", "stage", "role", "names"),
    [(OUT, MLA, Stage.DRAFT, Role.DRAFTER, ("submit",)),
     (OUT, MLA, Stage.INTERNAL_REVIEW, Role.DRAFTER, ()),
     (OUT, MLA, Stage.INTERNAL_REVIEW, Role.MANAGER,
      ("approve", "return_for_correction", "withdraw")),
     (OUT, MLA, Stage.READY_TO_SEND, Role.DESK, ("transmit",)),
     (OUT, MLA, Stage.TRANSLATION, Role.TRANSLATOR, ("finish_translation",)),
     (OUT, MLA, Stage.CLOSED, Role.MANAGER, ()),
     (IN, MLA, Stage.IN_EXECUTION, Role.DRAFTER, ("certify_evidence",)),
     (OUT, POLICE, Stage.ANSWERED, Role.DRAFTER, ("convert_to_mla",))],
)
def test_open_moves_for_a_role(direction, kind, stage, role, names):
    assert tuple(move.name for move in open_moves(direction, kind, stage, role)) == names


ALLOWED = [
    (OUT, MLA, Stage.DRAFT, "submit", Role.DRAFTER, Stage.INTERNAL_REVIEW),
    (OUT, MLA, Stage.INTERNAL_REVIEW, "approve", Role.MANAGER, Stage.APPROVED),
    (OUT, MLA, Stage.INTERNAL_REVIEW, "return_for_correction", Role.MANAGER,
     Stage.RETURNED_FOR_CORRECTION),
    (OUT, MLA, Stage.RETURNED_FOR_CORRECTION, "resubmit", Role.DRAFTER, Stage.INTERNAL_REVIEW),
    (OUT, MLA, Stage.APPROVED, "send_to_translation", Role.DESK, Stage.TRANSLATION),
    (OUT, MLA, Stage.APPROVED, "mark_ready_to_send", Role.MANAGER, Stage.READY_TO_SEND),
    (OUT, MLA, Stage.TRANSLATION, "finish_translation", Role.TRANSLATOR, Stage.READY_TO_SEND),
    (OUT, MLA, Stage.READY_TO_SEND, "transmit", Role.DESK, Stage.SENT),
    (OUT, MLA, Stage.READY_TO_SEND, "transmit", Role.MANAGER, Stage.SENT),
    (OUT, MLA, Stage.SENT, "record_acknowledgement", Role.DESK, Stage.ACKNOWLEDGED),
    (OUT, MLA, Stage.SENT, "record_info_request", Role.DESK, Stage.ADDITIONAL_INFO_REQUESTED),
    (OUT, MLA, Stage.IN_EXECUTION, "record_info_request", Role.DESK,
     Stage.ADDITIONAL_INFO_REQUESTED),
    (OUT, MLA, Stage.ADDITIONAL_INFO_REQUESTED, "send_additional_info", Role.DESK,
     Stage.ADDITIONAL_INFO_SENT),
    (OUT, MLA, Stage.ADDITIONAL_INFO_SENT, "record_execution_start", Role.DESK,
     Stage.IN_EXECUTION),
    (OUT, MLA, Stage.ACKNOWLEDGED, "record_conditions", Role.DESK, Stage.CONDITIONS_PROPOSED),
    (OUT, MLA, Stage.CONDITIONS_PROPOSED, "accept_conditions", Role.MANAGER,
     Stage.CONDITIONS_ACCEPTED),
    (OUT, MLA, Stage.CONDITIONS_PROPOSED, "decline_conditions", Role.DESK,
     Stage.CONDITIONS_DECLINED),
    (OUT, MLA, Stage.IN_EXECUTION, "record_postponement", Role.DESK, Stage.POSTPONED),
    (OUT, MLA, Stage.IN_EXECUTION, "record_partial_execution", Role.DESK,
     Stage.PARTIALLY_EXECUTED),
    (OUT, MLA, Stage.PARTIALLY_EXECUTED, "record_execution", Role.DESK, Stage.EXECUTED),
    (OUT, MLA, Stage.SENT, "record_refusal", Role.DESK, Stage.REFUSED),
    (OUT, MLA, Stage.DRAFT, "withdraw", Role.MANAGER, Stage.WITHDRAWN),
    (OUT, MLA, Stage.POSTPONED, "withdraw", Role.MANAGER, Stage.WITHDRAWN),
    (OUT, MLA, Stage.EXECUTED, "close", Role.DESK, Stage.CLOSED),
    (OUT, MLA, Stage.REFUSED, "close", Role.MANAGER, Stage.CLOSED),
    (IN, MLA, Stage.RECEIVED, "register", Role.DESK, Stage.REGISTERED),
    (IN, MLA, Stage.REGISTERED, "send_acknowledgement", Role.DESK, Stage.ACKNOWLEDGED),
    (IN, MLA, Stage.FORMAL_CHECK, "request_additional_info", Role.DESK,
     Stage.ADDITIONAL_INFO_REQUESTED),
    (IN, MLA, Stage.ADDITIONAL_INFO_REQUESTED, "record_info_received", Role.DESK,
     Stage.FORMAL_CHECK),
    (IN, MLA, Stage.SUBSTANTIVE_CHECK, "open_consultation", Role.MANAGER, Stage.CONSULTATION),
    (IN, MLA, Stage.CONSULTATION, "assign", Role.DESK, Stage.ASSIGNED),
    (IN, MLA, Stage.ASSIGNED, "start_execution", Role.DRAFTER, Stage.IN_EXECUTION),
    (IN, MLA, Stage.IN_EXECUTION, "certify_evidence", Role.DRAFTER, Stage.EVIDENCE_CERTIFIED),
    (IN, MLA, Stage.EVIDENCE_CERTIFIED, "return_evidence", Role.DESK, Stage.RETURNED),
    (IN, MLA, Stage.SUBSTANTIVE_CHECK, "record_refusal", Role.DESK, Stage.REFUSED),
    (IN, MLA, Stage.ASSIGNED, "record_cannot_keep_confidential", Role.DESK,
     Stage.CANNOT_KEEP_CONFIDENTIAL),
    (IN, MLA, Stage.CANNOT_KEEP_CONFIDENTIAL, "record_withdrawal", Role.DESK, Stage.WITHDRAWN),
    (IN, MLA, Stage.RETURNED, "close", Role.DESK, Stage.CLOSED),
    (OUT, POLICE, Stage.DRAFT, "transmit", Role.DESK, Stage.SENT),
    (OUT, POLICE, Stage.SENT, "record_partial_answer", Role.DESK, Stage.PARTIALLY_ANSWERED),
    (OUT, POLICE, Stage.SENT, "record_decline", Role.DESK, Stage.DECLINED),
    (OUT, POLICE, Stage.ANSWERED, "convert_to_mla", Role.DRAFTER, Stage.CONVERTED_TO_MLA),
    (OUT, POLICE, Stage.SENT, "withdraw", Role.MANAGER, Stage.WITHDRAWN),
    (IN, POLICE, Stage.REGISTERED, "send_answer", Role.DESK, Stage.ANSWERED),
    (IN, POLICE, Stage.DECLINED, "close", Role.DESK, Stage.CLOSED),
]


@pytest.mark.parametrize(("direction", "kind", "stage", "name", "role", "target"), ALLOWED)
def test_allowed_moves(direction, kind, stage, name, role, target):
    move = check_move(direction, kind, stage, name, role, FULL)
    assert (move.name, move.source, move.target) == (name, stage, target)


FORBIDDEN = [
    (OUT, MLA, Stage.INTERNAL_REVIEW, "approve", Role.DRAFTER, "role"),
    (OUT, MLA, Stage.INTERNAL_REVIEW, "approve", Role.DESK, "role"),
    (OUT, MLA, Stage.INTERNAL_REVIEW, "return_for_correction", Role.DRAFTER, "role"),
    (OUT, MLA, Stage.DRAFT, "submit", Role.ADMIN, "role"),
    (OUT, MLA, Stage.READY_TO_SEND, "transmit", Role.DRAFTER, "role"),
    (OUT, MLA, Stage.READY_TO_SEND, "transmit", Role.TRANSLATOR, "role"),
    (OUT, MLA, Stage.TRANSLATION, "finish_translation", Role.DESK, "role"),
    (OUT, MLA, Stage.SENT, "withdraw", Role.DESK, "role"),
    (OUT, MLA, Stage.EXECUTED, "close", Role.DRAFTER, "role"),
    (IN, MLA, Stage.IN_EXECUTION, "certify_evidence", Role.DESK, "role"),
    (IN, MLA, Stage.RECEIVED, "register", Role.ADMIN, "role"),
    (OUT, MLA, Stage.DRAFT, "approve", Role.MANAGER, "stage"),
    (OUT, MLA, Stage.DRAFT, "transmit", Role.DESK, "stage"),
    (OUT, MLA, Stage.APPROVED, "finish_translation", Role.TRANSLATOR, "stage"),
    (OUT, MLA, Stage.DRAFT, "record_refusal", Role.DESK, "stage"),
    (OUT, MLA, Stage.SENT, "close", Role.DESK, "stage"),
    (OUT, MLA, Stage.CLOSED, "withdraw", Role.MANAGER, "stage"),
    (OUT, MLA, Stage.EXECUTED, "withdraw", Role.MANAGER, "stage"),
    (OUT, MLA, Stage.REFUSED, "withdraw", Role.MANAGER, "stage"),
    (IN, MLA, Stage.RECEIVED, "assign", Role.DESK, "stage"),
    (OUT, POLICE, Stage.ANSWERED, "withdraw", Role.MANAGER, "stage"),
    (OUT, POLICE, Stage.CONVERTED_TO_MLA, "close", Role.DESK, "stage"),
    (OUT, MLA, Stage.DRAFT, "fly_to_the_moon", Role.MANAGER, "unknown"),
    (OUT, POLICE, Stage.DRAFT, "submit", Role.DRAFTER, "unknown"),
    (IN, MLA, Stage.RECEIVED, "transmit", Role.DESK, "unknown"),
    (IN, POLICE, Stage.REGISTERED, "assign", Role.DESK, "unknown"),
]
WHY = {"role": "role", "stage": "stage", "unknown": "does not exist"}


@pytest.mark.parametrize(("direction", "kind", "stage", "name", "role", "why"), FORBIDDEN)
def test_forbidden_moves(direction, kind, stage, name, role, why):
    with pytest.raises(ForbiddenMove, match=WHY[why]):
        check_move(direction, kind, stage, name, role, FULL)


MISSING = [
    (OUT, MLA, Stage.INTERNAL_REVIEW, "return_for_correction", Role.MANAGER, "note"),
    (OUT, MLA, Stage.READY_TO_SEND, "transmit", Role.DESK, "transmitted_on"),
    (OUT, MLA, Stage.READY_TO_SEND, "transmit", Role.DESK, "channel"),
    (OUT, MLA, Stage.READY_TO_SEND, "transmit", Role.DESK, "outgoing_number"),
    (OUT, MLA, Stage.SENT, "record_acknowledgement", Role.DESK, "acknowledged_on"),
    (OUT, MLA, Stage.SENT, "record_acknowledgement", Role.DESK, "partner_reference"),
    (OUT, MLA, Stage.ACKNOWLEDGED, "record_info_request", Role.DESK, "info_requested"),
    (OUT, MLA, Stage.IN_EXECUTION, "record_refusal", Role.DESK, "refusal_ground"),
    (OUT, MLA, Stage.IN_EXECUTION, "record_refusal", Role.DESK, "reason"),
    (OUT, MLA, Stage.IN_EXECUTION, "record_postponement", Role.DESK, "reason"),
    (OUT, MLA, Stage.SENT, "withdraw", Role.MANAGER, "reason"),
    (OUT, MLA, Stage.EXECUTED, "close", Role.DESK, "note"),
    (IN, MLA, Stage.RECEIVED, "register", Role.DESK, "received_on"),
    (IN, MLA, Stage.RECEIVED, "register", Role.DESK, "partner_reference"),
    (IN, MLA, Stage.REGISTERED, "send_acknowledgement", Role.DESK, "acknowledged_on"),
    (IN, MLA, Stage.SUBSTANTIVE_CHECK, "assign", Role.DESK, "assignee"),
    (IN, MLA, Stage.SUBSTANTIVE_CHECK, "record_refusal", Role.DESK, "refusal_ground"),
    (IN, MLA, Stage.EVIDENCE_CERTIFIED, "return_evidence", Role.DESK, "returned_on"),
    (IN, MLA, Stage.EVIDENCE_CERTIFIED, "return_evidence", Role.DESK, "channel"),
    (IN, MLA, Stage.ASSIGNED, "record_cannot_keep_confidential", Role.DESK, "note"),
    (OUT, POLICE, Stage.DRAFT, "transmit", Role.DESK, "outgoing_number"),
    (OUT, POLICE, Stage.SENT, "record_decline", Role.DESK, "reason"),
    (OUT, POLICE, Stage.ANSWERED, "convert_to_mla", Role.DRAFTER, "note"),
    (IN, POLICE, Stage.REGISTERED, "decline", Role.DESK, "reason"),
]


@pytest.mark.parametrize(("direction", "kind", "stage", "name", "role", "item"), MISSING)
@pytest.mark.parametrize("absent", ["left out", None, "", "   \n"])
def test_missing_or_blank_data_is_named(direction, kind, stage, name, role, item, absent):
    data = without(item) if absent == "left out" else {**FULL, item: absent}
    with pytest.raises(MissingMoveData) as raised:
        check_move(direction, kind, stage, name, role, data)
    assert raised.value.field == item
    assert raised.value.message


@pytest.mark.parametrize(
    ("direction", "kind", "stage", "name", "role", "requires"),
    [(OUT, MLA, Stage.READY_TO_SEND, "transmit", Role.DESK,
      ("transmitted_on", "channel", "outgoing_number")),
     (OUT, MLA, Stage.SENT, "record_acknowledgement", Role.DESK,
      ("acknowledged_on", "partner_reference")),
     (OUT, MLA, Stage.SENT, "record_refusal", Role.DESK, ("refusal_ground", "reason")),
     (OUT, MLA, Stage.DRAFT, "submit", Role.DRAFTER, ()),
     (OUT, MLA, Stage.INTERNAL_REVIEW, "approve", Role.MANAGER, ())],
)
def test_moves_need_exactly_their_data(direction, kind, stage, name, role, requires):
    data = without(*MOVE_DATA)
    for item in requires:
        data[item] = "given"
    assert check_move(direction, kind, stage, name, role, data).requires == requires


@pytest.mark.parametrize("item", ["refusal_ground", "reason"])
def test_a_refusal_without_ground_or_reason_says_so(item):
    expected = "A refusal needs a ground from the list and a reason."
    with pytest.raises(MissingMoveData, match=expected):
        check_move(OUT, MLA, Stage.ACKNOWLEDGED, "record_refusal", Role.DESK, without(item))


def test_a_return_without_comment_asks_for_one():
    data = {"note": " "}
    with pytest.raises(MissingMoveData, match="comment") as raised:
        check_move(OUT, MLA, Stage.INTERNAL_REVIEW, "return_for_correction", Role.MANAGER, data)
    assert raised.value.field == "note"


def test_withdrawal_is_open_from_every_open_outgoing_stage_but_the_ends():
    machine = machine_for(OUT, MLA)
    withdrawable = {move.source for move in machine.moves if move.name == "withdraw"}
    ends = {Stage.EXECUTED, Stage.REFUSED, Stage.WITHDRAWN}
    assert withdrawable == machine.stages() - machine.terminal - ends


@pytest.mark.parametrize(
    ("direction", "kind", "stage", "partner"),
    [(OUT, MLA, Stage.SENT, True), (OUT, MLA, Stage.ACKNOWLEDGED, True),
     (OUT, MLA, Stage.ADDITIONAL_INFO_SENT, True), (OUT, MLA, Stage.IN_EXECUTION, True),
     (OUT, MLA, Stage.ADDITIONAL_INFO_REQUESTED, False), (OUT, MLA, Stage.DRAFT, False),
     (IN, MLA, Stage.IN_EXECUTION, False), (IN, MLA, Stage.ADDITIONAL_INFO_REQUESTED, True),
     (OUT, POLICE, Stage.SENT, True), (IN, POLICE, Stage.REGISTERED, False)],
)
def test_who_a_request_waits_on(direction, kind, stage, partner):
    assert waits_on_partner(direction, kind, stage) is partner


def test_outgoing_waiting_sets_are_apart_and_cover_the_open_outgoing_stages():
    on_partner = OUTGOING_MLA.waiting_on_partner | OUTGOING_POLICE.waiting_on_partner
    on_us = OUTGOING_MLA.waiting_on_us() | OUTGOING_POLICE.waiting_on_us()
    assert not on_partner & on_us
    assert {Stage.SENT, Stage.ACKNOWLEDGED, Stage.ADDITIONAL_INFO_SENT, Stage.IN_EXECUTION} <= on_partner
    assert {Stage.DRAFT, Stage.ADDITIONAL_INFO_REQUESTED, Stage.ANSWERED} <= on_us


@pytest.mark.parametrize(
    ("direction", "kind", "stage", "expected"),
    [(OUT, MLA, Stage.CLOSED, False), (OUT, MLA, Stage.REFUSED, True),
     (OUT, POLICE, Stage.CONVERTED_TO_MLA, False), (IN, MLA, Stage.RETURNED, True)],
)
def test_is_open(direction, kind, stage, expected):
    assert is_open(direction, kind, stage) is expected


def _key_of(machine: Machine) -> tuple[Direction, RequestKind]:
    return next(key for key, candidate in MACHINES.items() if candidate is machine)


# The moves that hand an outgoing request on, to review or to the partner, check it is complete first.
NEEDS_COMPLETE = {("outgoing_mla", "submit"), ("outgoing_mla", "resubmit"), ("outgoing_mla", "transmit"),
                  ("outgoing_police", "hand_to_desk"), ("outgoing_police", "transmit")}


@pytest.mark.parametrize(("key", "name"), sorted(
    {(machine.key, move.name) for machine in MACHINES.values() for move in machine.moves}))
def test_which_moves_need_a_complete_request(key, name):
    moves = [move for machine in MACHINES.values() if machine.key == key for move in machine.moves
             if move.name == name]
    assert {move.needs_complete_request for move in moves} == {(key, name) in NEEDS_COMPLETE}


@pytest.mark.parametrize("stage", sorted(Stage))
def test_side_exits_are_refusals_withdrawals_and_declines(stage):
    assert is_side_exit(stage) is (stage in SIDE_EXITS)


# A supplementary request follows an outgoing request the partner has received; the case workers start it.
SUPPLEMENTABLE = {
    MLA: {Stage.SENT, Stage.ACKNOWLEDGED, Stage.ADDITIONAL_INFO_REQUESTED, Stage.ADDITIONAL_INFO_SENT,
          Stage.CONDITIONS_PROPOSED, Stage.POSTPONED, Stage.IN_EXECUTION, Stage.PARTIALLY_EXECUTED,
          Stage.EXECUTED, Stage.REFUSED},
    POLICE: {Stage.SENT, Stage.ANSWERED, Stage.PARTIALLY_ANSWERED},
}


@pytest.mark.parametrize(("direction", "kind", "stage"), STAGE_CASES)
@pytest.mark.parametrize("role", sorted(Role))
def test_who_may_start_a_supplementary_request_and_after_which_stages(direction, kind, stage, role):
    expected = (direction == OUT and stage in SUPPLEMENTABLE[kind]
                and role in {Role.DRAFTER, Role.DESK, Role.MANAGER})
    assert may_start_supplementary(role, direction, stage) is expected
