"""Files attached to a request: checking and storing an upload, listing them, fetching one."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mla.domain.errors import N_, DomainError
from mla.domain.filetypes import EXTENSIONS, MEDIA_TYPES, sniff
from mla.models import AssistanceRequest, Attachment, Blob, User
from mla.services.audit import record_event

MAX_DESCRIPTION_LENGTH = 500
MAX_FILENAME_LENGTH = 200
FALLBACK_STEM = "attachment"
_MEGABYTE = 1024 * 1024
# Bidirectional overrides and isolates: "report<U+202E>fdp.exe" would display as "reportexe.pdf".
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What follows the last dot counts as an extension only when it looks like one ("pdf", "docx"),
# so "Протокол от 12.05" or "v1.2" are names without an extension.
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,5}")


class AttachmentRow(NamedTuple):
    attachment: Attachment
    uploader_name: str | None
    size: int
    media_type: str


def megabytes(count: int) -> str:
    """A byte count in MB for messages: "20", "1.5"."""
    return f"{count / _MEGABYTE:.1f}".removesuffix(".0")


def split_extension(name: str) -> tuple[str, str | None]:
    stem, dot, tail = name.rpartition(".")
    if dot and stem and _EXTENSION.fullmatch(tail) and not tail.isdigit():
        return stem, tail
    return name, None


def _last_segment(raw: str) -> str:
    """The name without any path, control characters or runs of white space; may be empty."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) != "Cc" and c not in _BIDI_CONTROLS)
    return " ".join(name.split()).strip(" .")


def clean_filename(raw: str, type_code: str) -> str:
    """A name safe to store and to offer for download: the last path segment, without control
    characters, at most MAX_FILENAME_LENGTH characters, never empty, always with an extension."""
    stem, extension = split_extension(_last_segment(raw))
    extension = extension or EXTENSIONS[type_code][0]
    stem = stem.strip(" .")[: MAX_FILENAME_LENGTH - len(extension) - 1].rstrip(" .") or FALLBACK_STEM
    return f"{stem}.{extension}"


def _check_upload(filename: str, data: bytes, description: str, max_bytes: int,
                  allowed_types: Collection[str]) -> str:
    """The sniffed type code of an acceptable upload; DomainError for anything else."""
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise DomainError(N_("The description may have at most %(count)s characters."),
                          field="description", params={"count": MAX_DESCRIPTION_LENGTH})
    if not data:
        raise DomainError(N_("The file is empty."), field="file")
    if len(data) > max_bytes:
        raise DomainError(N_("The file is larger than %(limit)s MB."), field="file",
                          params={"limit": megabytes(max_bytes)})
    type_code = sniff(data)
    if type_code is None or type_code not in allowed_types:
        raise DomainError(N_("This kind of file cannot be attached. Allowed: %(types)s."), field="file",
                          params={"types": ", ".join(code.upper() for code in allowed_types)})
    _stem, extension = split_extension(_last_segment(filename))
    if extension is not None and extension.lower() not in EXTENSIONS[type_code]:
        raise DomainError(N_("The file's content is not what its name says: it is a %(type)s file."),
                          field="file", params={"type": type_code.upper()})
    return type_code


def _store_blob(session: Session, data: bytes, type_code: str) -> str:
    """The SHA-256 of `data`, stored once however often it is uploaded."""
    sha256 = hashlib.sha256(data).hexdigest()
    if session.scalar(select(Blob.sha256).where(Blob.sha256 == sha256)) is None:
        try:
            # A savepoint, so a concurrent upload of the same file costs only this insert.
            with session.begin_nested():
                session.add(Blob(sha256=sha256, size=len(data), media_type=MEDIA_TYPES[type_code],
                                 content=data))
        except IntegrityError:
            pass
    return sha256


def add_attachment(
    session: Session, *, actor: User, now: datetime, item: AssistanceRequest, filename: str,
    data: bytes, description: str, max_bytes: int, allowed_types: Collection[str],
) -> Attachment:
    """Attach an uploaded file to `request`, or refuse it with a DomainError. Flushes, never commits."""
    description = description.strip()
    type_code = _check_upload(filename, data, description, max_bytes, allowed_types)
    sha256 = _store_blob(session, data, type_code)
    attachment = Attachment(request_id=item.id, blob_sha256=sha256,
                            filename=clean_filename(filename, type_code), description=description,
                            uploaded_by_id=actor.id, uploaded_at=now)
    session.add(attachment)
    session.flush()
    record_event(session, actor=actor, now=now, action="attachment.add", object_type="attachment",
                 object_id=attachment.id, request_id=item.id,
                 changes={"filename": attachment.filename, "sha256": sha256, "size": len(data)})
    return attachment


def list_attachments(session: Session, request_id: int) -> list[AttachmentRow]:
    """A request's attachments, oldest first, with who added them and the file's size and type."""
    rows = session.execute(
        select(Attachment, User.full_name, Blob.size, Blob.media_type)
        .join(Blob, Blob.sha256 == Attachment.blob_sha256)
        .outerjoin(User, User.id == Attachment.uploaded_by_id)
        .where(Attachment.request_id == request_id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    return [AttachmentRow(*row) for row in rows]


def get_attachment(session: Session, request_id: int, attachment_id: int) -> tuple[Attachment, Blob] | None:
    """One attachment of one request with its content, or None when the pair does not exist."""
    row = session.execute(
        select(Attachment, Blob)
        .join(Blob, Blob.sha256 == Attachment.blob_sha256)
        .where(Attachment.id == attachment_id, Attachment.request_id == request_id)
    ).first()
    return (row[0], row[1]) if row is not None else None
