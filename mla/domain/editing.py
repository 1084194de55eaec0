"""When a request's content may be changed, and by whom (beyond seeing it: domain.access)."""
from __future__ import annotations

from mla.domain.enums import Direction, Role, Stage
from mla.domain.errors import N_

# Outgoing content is fixed once approved: what the partner received must stay what we sent.
OUTGOING_EDITABLE = frozenset({Stage.DRAFT, Stage.RETURNED_FOR_CORRECTION, Stage.INTERNAL_REVIEW})
INCOMING_EDITABLE = frozenset({
    Stage.RECEIVED, Stage.REGISTERED, Stage.ACKNOWLEDGED, Stage.FORMAL_CHECK,
    Stage.SUBSTANTIVE_CHECK, Stage.ADDITIONAL_INFO_REQUESTED, Stage.CONSULTATION,
})
CONTENT_EDITORS = frozenset({Role.DRAFTER, Role.DESK, Role.MANAGER})
# What was approved is what is sent: in review, only the approving official changes the content.
REVIEWERS = frozenset({Role.MANAGER})
UNDER_REVIEW = N_("This request is with the approving official for review: its content cannot be changed "
                  "until it is approved or returned for correction.")
RESULT_RECORDERS = frozenset({Role.DESK, Role.MANAGER})
FINISHED = frozenset({Stage.CLOSED, Stage.WITHDRAWN, Stage.REFUSED, Stage.DECLINED,
                      Stage.CONVERTED_TO_MLA})


def may_ever_edit_content(role: Role, direction: Direction) -> bool:
    """Whether the role edits the content of requests of this direction at all, in some stage: the
    drafter outgoing drafts, the desk and managers both directions."""
    return role in CONTENT_EDITORS and (direction == Direction.OUTGOING or role != Role.DRAFTER)


def may_create_request(role: Role, direction: Direction) -> bool:
    """Who opens a new request of this direction: the drafter drafts outgoing ones, the desk and managers
    also register incoming ones."""
    return may_ever_edit_content(role, direction)


def may_edit_content(role: Role, direction: Direction, stage: Stage) -> bool:
    """Facts, persons and requested measures: while a draft is being prepared (outgoing; in review only
    by the approving official), or while an incoming request is being registered and checked."""
    if not may_ever_edit_content(role, direction) or is_held_for_review(role, direction, stage):
        return False
    return stage in (OUTGOING_EDITABLE if direction == Direction.OUTGOING else INCOMING_EDITABLE)


def is_held_for_review(role: Role, direction: Direction, stage: Stage) -> bool:
    """Whether the request is in review and this role is not the one reviewing it: the drafter and the
    desk wait for the approval or the return for correction."""
    return direction == Direction.OUTGOING and stage == Stage.INTERNAL_REVIEW and role not in REVIEWERS


def content_closed_message(role: Role, direction: Direction, stage: Stage, message: str) -> str:
    """Why the role cannot change the content now: the review hold, else `message` (the stage's)."""
    return UNDER_REVIEW if is_held_for_review(role, direction, stage) else message


def may_replace_protected_names(role: Role, direction: Direction, stage: Stage) -> bool:
    """Writing the pseudonym where a protected person's name is typed in the text: whoever may change the
    content now, and the desk and managers until the request is finished, since no later letter may
    carry the name either (not while the request is held for review)."""
    if may_edit_content(role, direction, stage):
        return True
    return (role in RESULT_RECORDERS and stage not in FINISHED
            and not is_held_for_review(role, direction, stage))


def is_completeness_checked(direction: Direction, stage: Stage) -> bool:
    """Whether a request's page shows the completeness check, to everyone who sees the request: an
    outgoing request while its content may still be corrected, before it is fixed by approval."""
    return direction == Direction.OUTGOING and stage in OUTGOING_EDITABLE


def may_link_requests(role: Role) -> bool:
    """Linking a request to another (a reply, a related request): the case workers."""
    return role in CONTENT_EDITORS


def may_ever_record_results(role: Role, direction: Direction) -> bool:
    """Whether the role records what came of measures of this direction at all, in some stage."""
    return role in RESULT_RECORDERS or (role == Role.DRAFTER and direction == Direction.INCOMING)


def may_record_results(role: Role, direction: Direction, stage: Stage) -> bool:
    """What came of each measure: the desk and managers record partner replies on outgoing
    requests; for incoming ones the executing drafter records too."""
    if stage in FINISHED:
        return False
    if role in RESULT_RECORDERS:
        return True
    return role == Role.DRAFTER and direction == Direction.INCOMING and stage in {
        Stage.ASSIGNED, Stage.IN_EXECUTION}
