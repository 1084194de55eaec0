"""The display name of every enum member, as an English msgid: the one place they are written.

The web layer translates them with `mla.i18n.label`, e-mails and documents with their own catalogue
(`t.gettext(label_msgid(member))`); all of them ask `label_msgid`, so a name is changed here once.
"""
from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from mla.domain.access import AuditValueAccess
from mla.domain.enums import (
    CaseStage,
    ClockKind,
    ClockState,
    Counting,
    Direction,
    LetterKind,
    LinkKind,
    MeasureStatus,
    PersonRole,
    RequestKind,
    Role,
    Stage,
    Urgency,
)
from mla.domain.errors import N_

ROLE = {
    Role.DRAFTER: N_("Drafter"),
    Role.DESK: N_("International cooperation desk"),
    Role.TRANSLATOR: N_("Translator"),
    Role.MANAGER: N_("Manager"),
    Role.ADMIN: N_("Administrator"),
}
DIRECTION = {
    Direction.OUTGOING: N_("Outgoing"),
    Direction.INCOMING: N_("Incoming"),
}
REQUEST_KIND = {
    RequestKind.MLA: N_("Mutual legal assistance"),
    RequestKind.POLICE: N_("Police-to-police"),
}
STAGE = {
    Stage.DRAFT: N_("Draft"),
    Stage.INTERNAL_REVIEW: N_("Internal review"),
    Stage.RETURNED_FOR_CORRECTION: N_("Returned for correction"),
    Stage.APPROVED: N_("Approved"),
    Stage.TRANSLATION: N_("In translation"),
    Stage.READY_TO_SEND: N_("Ready to send"),
    Stage.SENT: N_("Sent"),
    Stage.RECEIVED: N_("Received"),
    Stage.REGISTERED: N_("Registered"),
    Stage.ACKNOWLEDGED: N_("Acknowledged"),
    Stage.FORMAL_CHECK: N_("Formal check"),
    Stage.SUBSTANTIVE_CHECK: N_("Substantive check"),
    Stage.ADDITIONAL_INFO_REQUESTED: N_("Additional information requested"),
    Stage.ADDITIONAL_INFO_SENT: N_("Additional information sent"),
    Stage.CONSULTATION: N_("Consultation"),
    Stage.CONDITIONS_PROPOSED: N_("Conditions proposed"),
    Stage.CONDITIONS_ACCEPTED: N_("Conditions accepted"),
    Stage.CONDITIONS_DECLINED: N_("Conditions declined"),
    Stage.ASSIGNED: N_("Assigned for execution"),
    Stage.POSTPONED: N_("Postponed"),
    Stage.IN_EXECUTION: N_("In execution"),
    Stage.PARTIALLY_EXECUTED: N_("Partially executed"),
    Stage.EXECUTED: N_("Executed"),
    Stage.EVIDENCE_CERTIFIED: N_("Evidence certified"),
    Stage.RETURNED: N_("Results returned"),
    Stage.ANSWERED: N_("Answered"),
    Stage.PARTIALLY_ANSWERED: N_("Partially answered"),
    Stage.DECLINED: N_("Declined"),
    Stage.CONVERTED_TO_MLA: N_("Converted to an MLA request"),
    Stage.CANNOT_KEEP_CONFIDENTIAL: N_("Confidentiality cannot be kept"),
    Stage.REFUSED: N_("Refused"),
    Stage.WITHDRAWN: N_("Withdrawn"),
    Stage.CLOSED: N_("Closed"),
}
PERSON_ROLE = {
    PersonRole.SUSPECT: N_("Suspect"),
    PersonRole.ACCUSED: N_("Accused"),
    PersonRole.VICTIM: N_("Victim"),
    PersonRole.WITNESS: N_("Witness"),
    PersonRole.EXPERT: N_("Expert"),
    PersonRole.LEGAL_PERSON: N_("Legal person"),
}
MEASURE_STATUS = {
    MeasureStatus.PENDING: N_("Pending"),
    MeasureStatus.EXECUTED: N_("Executed"),
    MeasureStatus.PARTIALLY_EXECUTED: N_("Partially executed"),
    MeasureStatus.REFUSED: N_("Refused"),
}
URGENCY = {
    Urgency.NORMAL: N_("Normal"),
    Urgency.URGENT: N_("Urgent"),
}
CASE_STAGE = {
    CaseStage.PRE_TRIAL: N_("Pre-trial investigation"),
    CaseStage.PROSECUTION: N_("Prosecution"),
    CaseStage.TRIAL: N_("Trial"),
    CaseStage.EXECUTION: N_("Execution of sentence"),
}
CLOCK_KIND = {
    ClockKind.ACKNOWLEDGEMENT_EXPECTED: N_("Acknowledgement expected"),
    ClockKind.DECISION_EXPECTED: N_("Decision expected"),
    ClockKind.EXECUTION_EXPECTED: N_("Execution expected"),
    ClockKind.STATUS_ENQUIRY: N_("Status enquiry due"),
    ClockKind.REQUESTER_DEADLINE: N_("Requester's own deadline"),
    ClockKind.OUR_ACKNOWLEDGEMENT: N_("Our acknowledgement of receipt"),
    ClockKind.OUR_EXECUTION: N_("Our execution"),
    ClockKind.EXECUTE_BY: N_("Execute by (assigned)"),
}
CLOCK_STATE = {
    ClockState.RUNNING: N_("running"),
    ClockState.PAUSED: N_("paused"),
    ClockState.MET: N_("met"),
    ClockState.MISSED: N_("missed"),
    ClockState.CANCELLED: N_("cancelled"),
}
COUNTING = {
    Counting.CALENDAR_DAYS: N_("calendar days"),
    Counting.WORKING_DAYS: N_("working days"),
}
LETTER_KIND = {
    LetterKind.MLA_REQUEST: N_("Request for mutual legal assistance"),
    LetterKind.POLICE_REQUEST: N_("Police-to-police request"),
    LetterKind.SUPPLEMENTARY_REQUEST: N_("Supplementary request (more information)"),
    LetterKind.STATUS_ENQUIRY: N_("Status enquiry"),
    LetterKind.ACKNOWLEDGEMENT: N_("Acknowledgement of receipt"),
    LetterKind.EXECUTION_COVER: N_("Cover letter with the results of execution"),
}
# What the audit trail shows instead of a value its reader may not see.
AUDIT_VALUE_ACCESS = {
    AuditValueAccess.HIDDEN_REQUEST: N_("hidden: you may not see this request"),
    AuditValueAccess.PROTECTED: N_("protected identity"),
}
# A link as the user records it: this request … the other one (a conversion is recorded by its move).
LINK_KIND = {
    LinkKind.REPLY: N_("is a reply to"),
    LinkKind.RELATED: N_("is related to"),
    LinkKind.SUPPLEMENTARY: N_("supplements"),
}
# A link as the request page shows it, read from this request (`outgoing`) or from the other one.
LINK_RELATION = {
    (LinkKind.SUPPLEMENTARY, True): N_("supplements"),
    (LinkKind.SUPPLEMENTARY, False): N_("supplemented by"),
    (LinkKind.CONVERTED, True): N_("converted into"),
    (LinkKind.CONVERTED, False): N_("converted from"),
    (LinkKind.REPLY, True): N_("is a reply to"),
    (LinkKind.REPLY, False): N_("answered by"),
    (LinkKind.RELATED, True): N_("related to"),
    (LinkKind.RELATED, False): N_("related to"),
}

LABELS: Mapping[type[StrEnum], Mapping[Any, str]] = {
    Role: ROLE,
    Direction: DIRECTION,
    RequestKind: REQUEST_KIND,
    Stage: STAGE,
    PersonRole: PERSON_ROLE,
    MeasureStatus: MEASURE_STATUS,
    Urgency: URGENCY,
    CaseStage: CASE_STAGE,
    ClockKind: CLOCK_KIND,
    ClockState: CLOCK_STATE,
    Counting: COUNTING,
    LetterKind: LETTER_KIND,
    AuditValueAccess: AUDIT_VALUE_ACCESS,
    LinkKind: LINK_KIND,
}


def label_msgid(member: StrEnum) -> str:
    """The English msgid naming `member`; translate it in the reader's language to show it."""
    return LABELS[type(member)][member]


def link_msgid(kind: LinkKind, *, outgoing: bool) -> str:
    """How a linked request relates to the one on the page: `outgoing` when the link starts there."""
    return LINK_RELATION[(kind, outgoing)]
