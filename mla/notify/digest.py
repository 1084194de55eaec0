"""The daily deadline digest as an e-mail: sections, the recipient's language and direction, .ics attached.

Pure of flask and the models: the reminder service passes a `Digest` of plain data and gets an
`EmailMessage` back. Translations come from the project's catalogues through Babel, so the message is in
the recipient's language whichever process (web, CLI, scheduler) composes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from mla.catalogs import TRANSLATIONS_DIR
from mla.domain.enums import ClockKind
from mla.domain.errors import N_
from mla.domain.labels import label_msgid
from mla.notify.ical import DeadlineEvent, calendar_bytes, clock_uid

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates" / "emails"
FALLBACK_LOCALE = "en"

SECTION_TITLES = {
    "soon": N_("Due soon"),
    "today": N_("Due today"),
    "overdue": N_("Overdue"),
}


@dataclass(frozen=True)
class DigestItem:
    """One clock in a digest; `escalation_level` 0 is the person's own reminder."""

    clock_id: int
    request_id: int
    reference: str
    country_iso2: str
    kind: ClockKind
    due_on: date
    revision: int
    escalation_level: int = 0


@dataclass(frozen=True)
class Digest:
    recipient_email: str
    recipient_name: str
    locale: str
    today: date
    items: tuple[DigestItem, ...]
    base_url: str = ""


class EmptyDigest(ValueError):
    """A digest with nothing in it is never composed, let alone sent."""


def parse_locale(code: str | None) -> Locale:
    """The recipient's locale, or English when the stored code is unknown to Babel."""
    try:
        return Locale.parse(code or FALLBACK_LOCALE)
    except (ValueError, TypeError, UnknownLocaleError):
        return Locale.parse(FALLBACK_LOCALE)


@lru_cache(maxsize=32)
def _translations(locale: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_DIR), [locale, locale.split("_")[0]])


@lru_cache(maxsize=32)
def _environment(locale: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), extensions=["jinja2.ext.i18n"],
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    # the i18n extension adds this method to the environment when it loads, so no type declares it
    env.install_gettext_translations(_translations(locale), newstyle=True)  # type: ignore[attr-defined]
    return env


def _merged(items: tuple[DigestItem, ...]) -> list[DigestItem]:
    """One line per clock (a manager may hold its reminder and its escalation), by date."""
    by_clock: dict[int, DigestItem] = {}
    for item in items:
        kept = by_clock.get(item.clock_id)
        if kept is None or item.escalation_level > kept.escalation_level:
            by_clock[item.clock_id] = item
    return sorted(by_clock.values(), key=lambda i: (i.due_on, i.reference, i.clock_id))


def _section_of(item: DigestItem, today: date) -> str:
    if item.due_on < today:
        return "overdue"
    return "today" if item.due_on == today else "soon"


def _line(item: DigestItem, digest: Digest, locale: Locale, t: NullTranslations) -> dict[str, Any]:
    days = (item.due_on - digest.today).days
    if days > 0:
        when = t.ngettext("in %(num)d day", "in %(num)d days", days) % {"num": days}
    elif days == 0:
        when = t.gettext("today")
    else:
        when = t.ngettext("%(num)d day overdue", "%(num)d days overdue", -days) % {"num": -days}
    escalation = (t.gettext("escalation, level %(level)d") % {"level": item.escalation_level}
                  if item.escalation_level else "")
    return {
        "reference": item.reference,
        "kind": t.gettext(label_msgid(item.kind)),
        "country": locale.territories.get(item.country_iso2, item.country_iso2),
        "due": format_date(item.due_on, "long", locale=locale),
        "when": when,
        "escalation": escalation,
        "url": f"{digest.base_url}/requests/{item.request_id}" if digest.base_url else "",
    }


def digest_context(digest: Digest) -> dict[str, Any]:
    """What the digest templates show: sections in a fixed order, each sorted by date."""
    items = _merged(digest.items)
    if not items:
        raise EmptyDigest(f"no deadlines to send to {digest.recipient_email}")
    locale = parse_locale(digest.locale)
    t = _translations(str(locale))
    sections = []
    for key in ("soon", "today", "overdue"):
        lines = [_line(i, digest, locale, t) for i in items if _section_of(i, digest.today) == key]
        if lines:
            sections.append({"key": key, "title": t.gettext(SECTION_TITLES[key]), "lines": lines})
    counts = {key: sum(1 for i in items if _section_of(i, digest.today) == key)
              for key in SECTION_TITLES}
    return {"name": digest.recipient_name, "sections": sections, "counts": counts, "items": items,
            "lang": str(locale).replace("_", "-"), "dir": locale.text_direction,
            "date": format_date(digest.today, "long", locale=locale)}


def _events(items: list[DigestItem], locale: Locale, t: NullTranslations) -> list[DeadlineEvent]:
    return [DeadlineEvent(uid=clock_uid(item.clock_id), due_on=item.due_on,
                          summary=f"{item.reference}: {t.gettext(label_msgid(item.kind))}",
                          description=locale.territories.get(item.country_iso2, item.country_iso2),
                          sequence=item.revision)
            for item in items]


def compose_digest(digest: Digest, *, sender: str, now: datetime) -> EmailMessage:
    """The digest as a UTF-8 message: a plain-text part, an HTML part and deadlines.ics."""
    context = digest_context(digest)
    locale = parse_locale(digest.locale)
    t = _translations(str(locale))
    env = _environment(str(locale))
    message = EmailMessage()
    subject = t.gettext(
        "MLA tracker, %(date)s: %(overdue)d overdue, %(today)d due today, %(soon)d due soon"
    ) % {"date": context["date"], **context["counts"]}
    # Encoded here, not by the policy: Python 3.11 folds a long non-ASCII subject with a space left
    # between two encoded words, where RFC 2047 readers drop it ("скороистекает").
    message.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode())
    message["From"] = sender
    message["To"] = digest.recipient_email
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("digest", domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message.set_content(env.get_template("digest.txt").render(context))
    message.add_alternative(env.get_template("digest.html").render(context), subtype="html")
    ics = calendar_bytes(_events(context["items"], locale, t), name=t.gettext("MLA deadlines"), stamp=now)
    message.add_attachment(ics, maintype="text", subtype="calendar", filename="deadlines.ics",
                           params={"method": "PUBLISH"})
    return message
