"""Forms of the search pages: linking records as one person, plain actions, the duplicate choice."""
from __future__ import annotations

from urllib.parse import urlsplit

from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, NumberRange, Optional

from mla.web.forms import AppForm
from mla.web.helpers import MAX_ID


class ActionForm(AppForm):
    """A button that changes something; `next` is the page to return to."""

    next = HiddenField()

    def next_url(self, default: str) -> str:
        """`next` when it is a path on this site, else `default` (never an address elsewhere)."""
        target = self.next.data or ""
        parts = urlsplit(target)
        unsafe = target.startswith(("//", "/\\")) or any(ord(char) < 32 for char in target)
        if not target.startswith("/") or unsafe or parts.scheme or parts.netloc:
            return default
        return target


class LinkForm(ActionForm):
    other_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=MAX_ID)])


class DuplicateChoiceForm(AppForm):
    """Part of the person form: the likely duplicates were shown (`duplicates_checked`), and which one,
    if any, the user says is the same person (`same_as`)."""

    class Meta:
        csrf = False  # the person form around it carries the token

    duplicates_checked = HiddenField()
    same_as = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])

    @property
    def was_shown(self) -> bool:
        return self.duplicates_checked.data == "1"

    @property
    def chosen(self) -> int | None:
        return self.same_as.data if self.validate() else None
