"""Owns finding a protected person's name in free text that leaves the office, and writing the pseudonym
in its place (TIP Protocol art. 6(1): the identity of victims is protected).

A protected person appears in letters under a pseudonym (P-1), but a name typed in a measure or in the
facts would go out verbatim. Every recorded form of the name counts (the original script, the Cyrillic
and Latin forms, each alias, with the patronymic), in any script and spelling: words are compared as
domain.names folds them, so Каримова, Karimova and Qarimova are one word. Russian case endings are
ignored (Каримову, Каримовой), and an initial stands for a word (Каримова Н. С., N. Karimova).

A name of two words or more is found where at least two of its words stand next to each other in the
text, one of them written out; the surname alone is not a recorded form, and would also find the
protected person's relatives. A recorded one-word name or alias is found wherever the word is.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mla.domain.names import TextWord, name_tokens, person_names, text_words

# Russian case endings as folded (Каримову → karimovu, Каримовой → karimovoi), longest first.
_CASE_ENDINGS = ("ogo", "omu", "ami", "oi", "ei", "im", "om", "em", "ih", "ui", "u", "a", "e", "i", "o")
_MIN_STEM = 3


@dataclass(frozen=True)
class ProtectedPerson:
    """A protected person of a request: the pseudonym letters use, and every name recorded for them."""

    pseudonym: str
    names: tuple[str, ...]
    patronymic: str = ""

    @classmethod
    def of(cls, pseudonym: str, *, name_original: str, name_cyrillic: str = "", name_latin: str = "",
           aliases: str = "", patronymic: str = "") -> ProtectedPerson:
        return cls(pseudonym, tuple(person_names(name_original, name_cyrillic, name_latin, aliases)),
                   patronymic)

    def forms(self) -> list[tuple[str, ...]]:
        """Each recorded name as its stemmed words, the patronymic added to each full name (not to a
        one-word alias)."""
        extra = [_stem(token) for token in name_tokens(self.patronymic)]
        forms: list[tuple[str, ...]] = []
        for name in self.names:
            stems = [_stem(token) for token in name_tokens(name)]
            words = tuple(dict.fromkeys([*stems, *extra] if len(stems) > 1 else stems))
            if words and words not in forms:
                forms.append(words)
        return forms


@dataclass(frozen=True)
class FreeText:
    """One free text that leaves the office: `key` names the record and column it is stored in,
    `field` the form field, `measure_number` its measure, `language` a translation's language."""

    key: str
    field: str
    text: str
    measure_number: int | None = None
    language: str | None = None


@dataclass(frozen=True)
class NameHit:
    """Where a protected person's name is written in one free text."""

    text: FreeText
    pseudonym: str
    spans: tuple[tuple[int, int], ...]


def _stem(word: str) -> str:
    for ending in _CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def _run_end(words: Sequence[TextWord], start: int, form: tuple[str, ...]) -> int | None:
    """Where a run of the name's words starting at `start` ends, if it is long enough to name them."""
    unused = list(form)
    written = 0
    end = start
    while end < len(words) and unused:
        word = words[end]
        stem = _stem(word.folded)
        if stem in unused:
            unused.remove(stem)
            written += 1
        elif word.is_letter and (initial := next((w for w in unused if w.startswith(word.folded)), None)):
            unused.remove(initial)
        else:
            break
        end += 1
    return end if written and end - start >= min(2, len(form)) else None


def _initial_dot(text: str, last: TextWord) -> int:
    """Where a name ends: after the dot of a final initial (Каримова Н.С. показала), unless that dot
    also ends the sentence (… допросить Каримову Н.С. Затем …)."""
    if not (last.is_letter and text[last.end:last.end + 1] == "."):
        return last.end
    rest = text[last.end + 1:].lstrip(" \t")
    if not rest or rest[0] in "\r\n" or rest[0].isupper():
        return last.end
    return last.end + 1


def find_name(text: str, person: ProtectedPerson) -> list[tuple[int, int]]:
    """The places in `text` where a recorded name of `person` is written, in order, not overlapping."""
    words, forms = text_words(text), person.forms()
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        ends = [end for form in forms if (end := _run_end(words, index, form)) is not None]
        if ends:
            end = max(ends)
            spans.append((words[index].start, _initial_dot(text, words[end - 1])))
            index = end
        else:
            index += 1
    return spans


def name_hits(texts: Iterable[FreeText], persons: Iterable[ProtectedPerson]) -> tuple[NameHit, ...]:
    """Each free text that names a protected person, per person."""
    people = [person for person in persons if person.pseudonym]
    return tuple(NameHit(text, person.pseudonym, tuple(spans)) for text in texts for person in people
                 if (spans := find_name(text.text, person)))


def pseudonymised(text: str, persons: Iterable[ProtectedPerson]) -> str:
    """`text` with every recorded name of the protected persons replaced by their pseudonym."""
    places = sorted((start, end, person.pseudonym) for person in persons if person.pseudonym
                    for start, end in find_name(text, person))
    out = []
    last = 0
    for start, end, pseudonym in places:
        if start < last:
            continue
        out += [text[last:start], pseudonym]
        last = end
    return "".join([*out, text[last:]])
