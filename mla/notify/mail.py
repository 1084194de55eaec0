"""Sending mail: the Mailer protocol, SMTP with STARTTLS or SSL over one connection per sweep, and the outbox.

Pure of flask and the models: settings come in as an `SmtpSettings`, and the outbox mailer hands each
message to a `write` callable that the services layer supplies (it stores it in the database).
"""
from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol


class MailError(Exception):
    """A message did not leave; `str(error)` says why, for the log and the reminder's last_error."""


class MailRefused(MailError):
    """The server refused this message (a bad recipient, a 550); the connection is still usable."""


class MailUnavailable(MailError):
    """No usable connection: the server is unreachable, timed out, refused the login or hung up."""


class MailConnection(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Send one message, or raise MailRefused / MailUnavailable."""


class Mailer(Protocol):
    """Where mail goes. `connect()` gives one connection that a whole sweep reuses."""

    sender: str

    def connect(self) -> AbstractContextManager[MailConnection]:
        """Open a connection for several messages; closed when the block ends."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls, ssl or none
    user: str
    password: str
    timeout: float
    sender: str


class _SmtpConnection:
    """Opens the SMTP connection at the first message, so a sweep with nothing to send
    never dials the server; every later message of the sweep reuses it."""

    def __init__(self, mailer: SmtpMailer) -> None:
        self._mailer = mailer
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        smtp = self._smtp or self._open()
        try:
            refused = smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise MailRefused(_describe(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise MailUnavailable(_describe(exc)) from exc
        if refused:
            raise MailRefused(_describe(refused))

    def _open(self) -> smtplib.SMTP:
        settings = self._mailer.settings
        try:
            self._smtp = _dial(settings)
            if settings.user:
                self._smtp.login(settings.user, settings.password)
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise MailUnavailable(
                f"cannot reach SMTP server {settings.host}:{settings.port}: {_describe(exc)}"
            ) from exc
        self._mailer.connections_opened += 1
        return self._smtp

    def close(self) -> None:
        smtp = self._smtp
        self._smtp = None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _dial(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        try:
            smtp.starttls(context=ssl.create_default_context())
        except smtplib.SMTPException:
            smtp.close()
            raise
    return smtp


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _describe(exc: object) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        exc = exc.recipients
    if isinstance(exc, dict):
        return "; ".join(f"{address}: {code} {_text(text)}"
                         for address, (code, text) in exc.items())
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class SmtpMailer:
    """Mail over SMTP; `connections_opened` counts the connections made, which a sweep keeps to one."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.sender = settings.sender
        self.connections_opened = 0

    @contextmanager
    def connect(self) -> Iterator[MailConnection]:
        connection = _SmtpConnection(self)
        try:
            yield connection
        finally:
            connection.close()


class _OutboxConnection:
    def __init__(self, write: Callable[[EmailMessage], None]) -> None:
        self._write = write

    def send(self, message: EmailMessage) -> None:
        self._write(message)


class OutboxMailer:
    """Mail kept for admins to read in the UI instead of being sent (the demo, no SMTP host set)."""

    def __init__(self, write: Callable[[EmailMessage], None], *, sender: str) -> None:
        self._write = write
        self.sender = sender

    @contextmanager
    def connect(self) -> Iterator[MailConnection]:
        yield _OutboxConnection(self._write)
