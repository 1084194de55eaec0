"""The SQLAlchemy models, one aggregate per module; importing this registers them all."""
from mla.models.assistance_request import (
    AssistanceRequest,
    ReferenceCounter,
    RequestLegalBasis,
    RequestLink,
    TextTranslation,
)
from mla.models.audit import AuditEvent, AuditValue
from mla.models.base import Base
from mla.models.clock import Clock, Reminder
from mla.models.document import Attachment, Blob, GeneratedDocument
from mla.models.letter_template import LetterTemplateVersion
from mla.models.measure import Measure
from mla.models.national_case import NationalCase
from mla.models.ops import ServiceHeartbeat
from mla.models.outbox import DigestDay, OutboxMessage
from mla.models.person import Person, PersonDocument
from mla.models.reference import (
    AssistanceType,
    CalendarDay,
    CountryProfile,
    OffenceCategory,
    RefusalGround,
    Treaty,
    TreatyParty,
)
from mla.models.stage_change import StageChange
from mla.models.user import Office, SignInThrottle, User
from mla.models.user_session import RecoveryCode, UserSession

__all__ = [
    "AssistanceRequest", "AssistanceType", "Attachment", "AuditEvent", "AuditValue", "Base", "Blob",
    "CalendarDay", "Clock", "CountryProfile", "DigestDay", "GeneratedDocument", "LetterTemplateVersion",
    "Measure", "NationalCase",
    "OffenceCategory", "Office", "OutboxMessage", "Person", "PersonDocument", "RecoveryCode",
    "ReferenceCounter",
    "RefusalGround", "Reminder",
    "RequestLegalBasis", "RequestLink", "ServiceHeartbeat", "SignInThrottle", "StageChange",
    "TextTranslation", "Treaty", "TreatyParty", "User", "UserSession",
]
