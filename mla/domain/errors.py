"""Errors a user can cause; the web layer shows each as a message on the page it came from."""
from __future__ import annotations

from collections.abc import Mapping


def N_(message: str) -> str:
    """Mark a message for extraction; the web layer translates it when it shows it."""
    return message


class DomainError(Exception):
    """A rule of the trade refused what the user asked. `message` is an English msgid safe
    to show to them, with %(name)s placeholders filled from `params` after translation."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message % dict(params) if params else message)
        self.message = message
        self.field = field
        self.params = dict(params or {})


class ForbiddenMove(DomainError):
    """A stage move that is not open from this stage, or not to this role."""


class MissingMoveData(DomainError):
    """A stage move lacks what it requires (a refusal ground, a transmission date, ...)."""


class StaleEdit(DomainError):
    """Someone else saved the record since this user opened it."""


class AccessDenied(DomainError):
    """The user may not see or change this record."""


class StageClosed(AccessDenied):
    """The request's stage no longer lets this user change this part of it (it moved on, perhaps while
    they typed)."""


class SignInRefused(DomainError):
    """Sign-in failed; the same message whether the account is unknown or the password wrong."""
