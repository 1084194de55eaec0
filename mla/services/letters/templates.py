"""Letter templates in use: the shipped one or an administrator's upload, per kind and language; uploading
a new version (validated like `mla check-templates`) and going back to an earlier one, both audited."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mla.documents.catalog import load_catalog
from mla.documents.validation import TemplateProblem, check_template
from mla.domain.enums import LetterKind, Role
from mla.domain.errors import N_, AccessDenied, DomainError
from mla.models import Blob, LetterTemplateVersion, User
from mla.services.audit import record_event

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_NOTE = 500


class TemplateRejected(DomainError):
    """An uploaded template failed the checks; `problems` says each reason."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        super().__init__(N_("The template was not accepted: correct what is listed below and upload it "
                            "again."))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class TemplateSource:
    """The bytes a letter is rendered from and the version recorded with it."""

    data: bytes
    label: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def version(self) -> str:
        return f"{self.label}+{self.sha256[:12]}"


def store_blob(session: Session, data: bytes, media_type: str) -> str:
    """The SHA-256 of `data`, stored once however often the same bytes come."""
    sha256 = hashlib.sha256(data).hexdigest()
    if session.get(Blob, sha256) is None:
        try:
            with session.begin_nested():  # a concurrent store of the same bytes costs only this insert
                session.add(Blob(sha256=sha256, size=len(data), media_type=media_type, content=data))
        except IntegrityError:
            pass
    return sha256


def active_version(session: Session, kind: LetterKind, language: str) -> LetterTemplateVersion | None:
    return session.scalar(select(LetterTemplateVersion).where(
        LetterTemplateVersion.letter_kind == kind, LetterTemplateVersion.language == language,
        LetterTemplateVersion.is_active.is_(True)))


def template_source(session: Session, kind: LetterKind, language: str) -> TemplateSource:
    """The template in use: the active upload, else the shipped file of the manifest's version."""
    version = active_version(session, kind, language)
    if version is not None:
        # get_one: the version's foreign key keeps its blob, and nothing deletes blobs
        data = session.get_one(Blob, version.blob_sha256).content
        return TemplateSource(data, f"upload-{version.version_no}")
    catalog = load_catalog()
    return TemplateSource(catalog.shipped_template(kind, language), catalog.kinds[kind].template_version)


def template_versions(session: Session, kind: LetterKind, language: str) -> list[LetterTemplateVersion]:
    return list(session.scalars(select(LetterTemplateVersion).where(
        LetterTemplateVersion.letter_kind == kind, LetterTemplateVersion.language == language)
        .order_by(LetterTemplateVersion.version_no.desc())))


def _check_admin(actor: User, kind: LetterKind, language: str) -> None:
    if actor.role != Role.ADMIN:
        raise AccessDenied(N_("Only administrators manage letter templates."))
    if language not in load_catalog().kinds[kind].languages:
        raise DomainError(N_("This kind of letter has no template in this language."), field="language")


def upload_template(session: Session, *, actor: User, now: datetime, kind: LetterKind, language: str,
                    data: bytes, note: str) -> LetterTemplateVersion:
    """Store a new version and put it in use, or refuse it with every reason (TemplateRejected)."""
    _check_admin(actor, kind, language)
    if not data or len(data) > MAX_TEMPLATE_BYTES:
        raise DomainError(N_("Choose a .docx file of at most %(limit)s MB."), field="file",
                          params={"limit": MAX_TEMPLATE_BYTES // (1024 * 1024)})
    if len(note.strip()) > MAX_NOTE:
        raise DomainError(N_("Enter at most %(count)s characters."), field="note", params={"count": MAX_NOTE})
    problems = check_template(data, language=language)
    if problems:
        raise TemplateRejected(problems)
    sha256 = store_blob(session, data, DOCX_MEDIA_TYPE)
    number = (session.scalar(select(func.max(LetterTemplateVersion.version_no)).where(
        LetterTemplateVersion.letter_kind == kind, LetterTemplateVersion.language == language)) or 0) + 1
    _deactivate(session, kind, language)
    version = LetterTemplateVersion(letter_kind=kind, language=language, version_no=number,
                                    blob_sha256=sha256, note=note.strip(), is_active=True,
                                    uploaded_by_id=actor.id, uploaded_at=now)
    session.add(version)
    session.flush()
    record_event(session, actor=actor, now=now, action="letter_template.upload",
                 object_type="letter_template", object_id=version.id,
                 changes={"kind": kind.value, "language": language, "version_no": number, "sha256": sha256})
    return version


def _deactivate(session: Session, kind: LetterKind, language: str) -> None:
    session.execute(update(LetterTemplateVersion).where(
        LetterTemplateVersion.letter_kind == kind, LetterTemplateVersion.language == language,
        LetterTemplateVersion.is_active.is_(True)).values(is_active=None))


def activate_template(session: Session, *, actor: User, now: datetime, kind: LetterKind, language: str,
                      version_id: int | None) -> LetterTemplateVersion | None:
    """Put an earlier upload back in use, or the shipped template when `version_id` is None."""
    _check_admin(actor, kind, language)
    chosen = None
    if version_id is not None:
        chosen = session.get(LetterTemplateVersion, version_id)
        if chosen is None or chosen.letter_kind != kind or chosen.language != language:
            raise DomainError(N_("Choose a version of this template."), field="version")
    before = active_version(session, kind, language)
    _deactivate(session, kind, language)
    session.flush()
    if chosen is not None:
        chosen.is_active = True
        session.flush()
    numbers = [before.version_no if before else None, chosen.version_no if chosen else None]
    record_event(session, actor=actor, now=now, action="letter_template.activate",
                 object_type="letter_template", object_id=chosen.id if chosen else "",
                 changes={"kind": kind.value, "language": language, "version_no": numbers})
    return chosen
