"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1 at a free port (TECH-NOTES §6), which
keeps what it receives, counts the connections (one EHLO each) and refuses recipients when told to."""
from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from mla.notify.mail import SmtpMailer, SmtpSettings


def free_port() -> int:
    # Controller(port=0) fails in aiosmtpd 1.4.6: it connects to the configured port to check startup.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """Keeps every message; answers 550 to the addresses in `refuse` (or to all, when `refuse_all`)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.connections = 0
        self.refuse: set[str] = set()
        self.refuse_all = False
        self._lock = threading.Lock()

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        with self._lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.refuse_all or address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    def __init__(self, sink: Sink, port: int) -> None:
        self.sink = sink
        self.port = port

    def mailer(self, **changes: Any) -> SmtpMailer:
        settings = {"host": "127.0.0.1", "port": self.port, "security": "none", "user": "",
                    "password": "", "timeout": 5, "sender": "MLA tracker <mla@example.org>", **changes}
        return SmtpMailer(SmtpSettings(**settings))


@contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(sink, port)
    finally:
        controller.stop()
