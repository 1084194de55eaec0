"""The mail outbox: messages stored instead of sent when no SMTP host is set, and choosing the mailer."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email import policy as email_policy
from email.message import EmailMessage
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from mla.models import OutboxMessage
from mla.notify.mail import Mailer, OutboxMailer, SmtpMailer, SmtpSettings


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else ""


def store_message(session: Session, message: EmailMessage, *, now: datetime) -> OutboxMessage:
    """Keep `message` whole (raw, with attachments) and its readable parts for the outbox pages."""
    names = [part.get_filename() or "" for part in message.iter_attachments()]
    row = OutboxMessage(recipient=str(message["To"] or "")[:254], subject=str(message["Subject"] or "")[:400],
                        body_text=_body(message, "plain"), body_html=_body(message, "html"),
                        attachment_names="\n".join(name for name in names if name),
                        raw=message.as_bytes(policy=email_policy.SMTP), created_at=now)
    session.add(row)
    session.flush()
    return row


def outbox_writer(session_factory: Callable[[], Session]) -> Callable[[EmailMessage], None]:
    """What OutboxMailer calls for each message: store it in a transaction of its own."""

    def write(message: EmailMessage) -> None:
        with session_factory() as session:
            store_message(session, message, now=datetime.now(UTC))
            session.commit()

    return write


def mailer_from_config(config: Mapping[str, Any], session_factory: Callable[[], Session]) -> Mailer:
    """SMTP when MLA_SMTP_HOST is set, else the outbox admins read in the UI."""
    if not config["SMTP_HOST"]:
        return OutboxMailer(outbox_writer(session_factory), sender=config["MAIL_FROM"])
    return SmtpMailer(SmtpSettings(host=config["SMTP_HOST"], port=config["SMTP_PORT"],
                                   security=config["SMTP_SECURITY"], user=config["SMTP_USER"],
                                   password=config["SMTP_PASSWORD"], timeout=config["SMTP_TIMEOUT"],
                                   sender=config["MAIL_FROM"]))


def outbox_page(session: Session, *, page: int, per_page: int = 50) -> tuple[list[OutboxMessage], int]:
    """Newest first: one page of messages and the number of all of them."""
    total = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
    rows = session.scalars(select(OutboxMessage)
                           .options(defer(OutboxMessage.raw), defer(OutboxMessage.body_html),
                                    defer(OutboxMessage.body_text))
                           .order_by(OutboxMessage.id.desc())
                           .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), total

