"""The closed vocabularies of the tracker; the database guards each with a CHECK constraint."""
from enum import StrEnum


class Role(StrEnum):
    DRAFTER = "drafter"
    DESK = "desk"
    TRANSLATOR = "translator"
    MANAGER = "manager"
    ADMIN = "admin"


class Direction(StrEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"


class RequestKind(StrEnum):
    MLA = "mla"
    POLICE = "police"


class Stage(StrEnum):
    """Every stage of the three stage machines (DOMAIN.md §8.3); workflow.py says which applies where."""

    DRAFT = "draft"
    INTERNAL_REVIEW = "internal_review"
    RETURNED_FOR_CORRECTION = "returned_for_correction"
    APPROVED = "approved"
    TRANSLATION = "translation"
    READY_TO_SEND = "ready_to_send"
    SENT = "sent"
    RECEIVED = "received"
    REGISTERED = "registered"
    ACKNOWLEDGED = "acknowledged"
    FORMAL_CHECK = "formal_check"
    SUBSTANTIVE_CHECK = "substantive_check"
    ADDITIONAL_INFO_REQUESTED = "additional_info_requested"
    ADDITIONAL_INFO_SENT = "additional_info_sent"
    CONSULTATION = "consultation"
    CONDITIONS_PROPOSED = "conditions_proposed"
    CONDITIONS_ACCEPTED = "conditions_accepted"
    CONDITIONS_DECLINED = "conditions_declined"
    ASSIGNED = "assigned"
    POSTPONED = "postponed"
    IN_EXECUTION = "in_execution"
    PARTIALLY_EXECUTED = "partially_executed"
    EXECUTED = "executed"
    EVIDENCE_CERTIFIED = "evidence_certified"
    RETURNED = "returned"
    ANSWERED = "answered"
    PARTIALLY_ANSWERED = "partially_answered"
    DECLINED = "declined"
    CONVERTED_TO_MLA = "converted_to_mla"
    CANNOT_KEEP_CONFIDENTIAL = "cannot_keep_confidential"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class PersonRole(StrEnum):
    SUSPECT = "suspect"
    ACCUSED = "accused"
    VICTIM = "victim"
    WITNESS = "witness"
    EXPERT = "expert"
    LEGAL_PERSON = "legal_person"


class MeasureStatus(StrEnum):
    PENDING = "pending"
    EXECUTED = "executed"
    PARTIALLY_EXECUTED = "partially_executed"
    REFUSED = "refused"


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class CaseStage(StrEnum):
    """Stage of the national proceedings the request serves (DOMAIN.md §1.6 field 6)."""

    PRE_TRIAL = "pre_trial"
    PROSECUTION = "prosecution"
    TRIAL = "trial"
    EXECUTION = "execution"


class LinkKind(StrEnum):
    SUPPLEMENTARY = "supplementary"
    CONVERTED = "converted"
    REPLY = "reply"
    RELATED = "related"


class ClockKind(StrEnum):
    ACKNOWLEDGEMENT_EXPECTED = "acknowledgement_expected"
    DECISION_EXPECTED = "decision_expected"
    EXECUTION_EXPECTED = "execution_expected"
    STATUS_ENQUIRY = "status_enquiry"
    REQUESTER_DEADLINE = "requester_deadline"
    OUR_ACKNOWLEDGEMENT = "our_acknowledgement"
    OUR_EXECUTION = "our_execution"
    EXECUTE_BY = "execute_by"  # the date the desk gave the assignee of an incoming request


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    MISSED = "missed"
    CANCELLED = "cancelled"


class Counting(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


class LetterKind(StrEnum):
    MLA_REQUEST = "mla_request"
    POLICE_REQUEST = "police_request"
    SUPPLEMENTARY_REQUEST = "supplementary_request"
    STATUS_ENQUIRY = "status_enquiry"
    ACKNOWLEDGEMENT = "acknowledgement"
    EXECUTION_COVER = "execution_cover"


class ReminderState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class SessionEnd(StrEnum):
    """Why a sign-in session was ended before its time ran out."""

    SIGN_OUT = "sign_out"
    ENDED_BY_USER = "ended_by_user"
    ENDED_BY_ADMIN = "ended_by_admin"
    PASSWORD_SET = "password_set"
    SECOND_FACTOR_RESET = "second_factor_reset"
    SECOND_FACTOR_PASSED = "second_factor_passed"
