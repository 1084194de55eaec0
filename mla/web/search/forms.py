"""Forms of the search pages: linking records as one person, plain actions."""
from __future__ import annotations

from urllib.parse import urlsplit

from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, NumberRange

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
