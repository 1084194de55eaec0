"""Owns reading the one search box: a name, a date of birth, and numbers (references, case and document
numbers).

A word with a date in it (1990-05-12, 12.05.1990, 12/05/1990) is the date of birth; a word with a digit in it
is a number to look up among references, partner references, case numbers and document numbers; the other
words are the name. Input that cannot be searched raises a DomainError that says what to type instead.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from mla.domain.errors import N_, DomainError
from mla.domain.names import name_tokens

MAX_QUERY_LENGTH = 200
MAX_NUMBERS = 3
MIN_NUMBER_LENGTH = 3
MIN_NAME_LETTERS = 2
_DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$"), (3, 2, 1)),
)
_NUMBER_EDGES = re.compile(r"^[^\w]+|[^\w]+$")
# Passport and identity-card numbers: up to three letters, then at least five digits (A1234567, 400123456).
# References (OUT-MLA-2026-0001) and case numbers (2026/1100) have separators and are not looked for there.
_DOCUMENT_NUMBER = re.compile(r"^[^\W\d_]{0,3}\d{5,}$")


@dataclass(frozen=True)
class SearchQuery:
    """What the user typed, read: the folded name words, a date of birth, numbers as typed."""

    text: str
    name_words: tuple[str, ...] = ()
    birth_date: date | None = None
    numbers: tuple[str, ...] = ()

    @property
    def has_name(self) -> bool:
        return bool(self.name_words)

    @property
    def document_numbers(self) -> tuple[str, ...]:
        return tuple(number for number in self.numbers if _DOCUMENT_NUMBER.match(number))


def _as_date(word: str) -> date | None:
    """The date a word spells, None when it is no date; DomainError when it looks like one but is not."""
    for pattern, (year, month, day) in _DATE_FORMATS:
        match = pattern.match(word)
        if match is None:
            continue
        try:
            return date(int(match.group(year)), int(match.group(month)), int(match.group(day)))
        except ValueError as exc:
            raise DomainError(
                N_("%(word)s is not a date. Write a date of birth as 1990-05-12 or 12.05.1990."),
                field="q", params={"word": word}) from exc
    return None


def _split(text: str) -> tuple[list[str], list[date], list[str]]:
    names = []
    dates = []
    numbers = []
    for word in text.split():
        found = _as_date(word)
        if found is not None:
            dates.append(found)
        elif any(char.isdigit() for char in word):
            numbers.append(_NUMBER_EDGES.sub("", word))
        else:
            names.append(word)
    return names, dates, numbers


def _printable(text: str) -> str:
    """The text without control and format characters (a NUL byte, a right-to-left override), which no
    name or number contains and PostgreSQL refuses in a query."""
    return "".join(" " if unicodedata.category(char) in ("Cc", "Cf") else char for char in text)


def parse_query(text: str) -> SearchQuery:
    """Read the search box; refuse, with what to type instead, what cannot be searched."""
    text = _printable(text or "").strip()
    if not text:
        raise DomainError(N_("Type a name, a date of birth, a document number or a reference."), field="q")
    if len(text) > MAX_QUERY_LENGTH:
        raise DomainError(N_("Type at most %(count)s characters."), field="q",
                          params={"count": MAX_QUERY_LENGTH})
    names, dates, numbers = _split(text)
    if len(dates) > 1:
        raise DomainError(N_("Give one date of birth at most."), field="q")
    if len(numbers) > MAX_NUMBERS:
        raise DomainError(N_("Look up at most %(count)s numbers at a time."), field="q",
                          params={"count": MAX_NUMBERS})
    if any(len(number) < MIN_NUMBER_LENGTH for number in numbers):
        raise DomainError(N_("Type at least %(count)s characters of a number or reference."), field="q",
                          params={"count": MIN_NUMBER_LENGTH})
    words = tuple(name_tokens(" ".join(names)))
    if names and not words and not dates and not numbers:
        raise DomainError(N_("The search needs letters or digits; punctuation and symbols are ignored."),
                          field="q")
    if words and sum(len(word) for word in words) < MIN_NAME_LETTERS and not dates and not numbers:
        raise DomainError(N_("Type at least %(count)s letters of a name."), field="q",
                          params={"count": MIN_NAME_LETTERS})
    return SearchQuery(text=text, name_words=words, birth_date=dates[0] if dates else None,
                       numbers=tuple(numbers))


def document_number_key(number: str) -> str:
    """A document number as stored and looked up: letters and digits only, upper case, so that
    "AB 123-4567", "ab1234567" and "AB1234567" are one number."""
    return "".join(ch for ch in number.upper() if ch.isalnum())[:40]


def document_number_keys(text: str) -> set[str]:
    """Every document number written in free text ("Passport AB1234567, issued 2019; ID 770012345").
    A series written apart ("AB 1234567") is kept both with its number and without it, so the person
    is found whichever way the number is typed."""
    words = [document_number_key(word) for word in re.split(r"[\s,;:()/]+", text) if word]
    joined = [series + number for series, number in zip(words, words[1:], strict=False)
              if series.isalpha() and len(series) <= 3 and number.isdigit()]
    return {key for key in [*words, *joined] if _DOCUMENT_NUMBER.match(key)}
