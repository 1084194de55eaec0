"""Owns the render context of a letter, built from plain dataclasses: dates as official letters in the
LETTER's language write them (mla.domain.letter_dates), country names in the letter's language (CLDR),
legal-basis phrases, persons in both scripts with protected persons under their pseudonym, measures,
clauses, signature and references.

Pure: no database, no Flask, no clock. Every string is cleaned of characters that would break the
document's XML or reorder its text (control characters, bidirectional overrides)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale
from babel.dates import format_date

from mla.documents.catalog import Wording
from mla.domain.letter_dates import LETTER_DATE_LANGUAGES, official_date
from mla.reference.loader import Language

# Digits of the numbering systems CLDR gives Dari, Pashto and Persian by default (arabext).
_DIGITS = {"arabext": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")}
# C0/C1 controls except tab and newline, bidirectional embeddings/overrides/isolates, noncharacters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class PersonEntry:
    role: str
    name_original: str
    name_latin: str = ""
    name_cyrillic: str = ""
    aliases: str = ""
    birth_date: date | None = None
    birth_place: str = ""
    nationality: str = ""
    id_documents: str = ""
    address: str = ""
    parents_names: str = ""
    is_protected: bool = False
    pseudonym: str = ""
    disclose_identity: bool = False

    @property
    def is_hidden(self) -> bool:
        """A protected person appears under the pseudonym unless disclosure was recorded with a reason."""
        return self.is_protected and not self.disclose_identity


@dataclass(frozen=True)
class MeasureEntry:
    assistance_type: str
    details: str = ""
    procedure: str = ""
    status: str = "pending"
    result_note: str = ""


@dataclass(frozen=True)
class LetterFacts:
    """What one letter says, its free text already in the letter's language."""

    direction: str
    reference: str
    country_iso2: str
    home_iso2: str
    letter_on: date
    drafting_language: str
    sender: str
    recipient: str
    partner_reference: str = ""
    outgoing_number: str = ""
    case_number: str = ""
    case_stage: str = ""
    conducting_authority: str = ""
    legal_bases: tuple[str, ...] = ()
    subject_matter: str = ""
    facts_summary: str = ""
    offences: str = ""
    dual_criminality_note: str = ""
    purpose: str = ""
    evidence_location_reason: str = ""
    is_urgent: bool = False
    deadline_on: date | None = None
    deadline_reason: str = ""
    is_confidential: bool = False
    confidentiality_reason: str = ""
    use_restrictions: str = ""
    victim_protection: str = ""
    contact_person: str = ""
    handling_code: str = ""
    transmitted_on: date | None = None
    received_on: date | None = None
    acknowledged_on: date | None = None
    original_reference: str = ""
    original_outgoing_number: str = ""
    original_sent_on: date | None = None
    signatory_name: str = ""
    signatory_position: str = ""
    # This letter's own number and date in the outgoing register, once it was sent (blank until then).
    letter_number: str = ""
    letter_sent_on: date | None = None
    persons: tuple[PersonEntry, ...] = ()
    measures: tuple[MeasureEntry, ...] = ()


def clean(value: str) -> str:
    """Text safe to put in a document: Windows line ends made plain, unsafe characters removed."""
    return _UNSAFE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


class LetterLocale:
    """Formatting in the letter's language: dates, digits, country and language names."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.locale = Locale.parse(language.babel_locale)
        self._digits = _DIGITS.get(self.locale.default_numbering_system)

    def digits(self, text: str) -> str:
        return text.translate(self._digits) if self._digits else text

    def date(self, day: date | None) -> str:
        """`day` as an official letter in this language writes it (mla.domain.letter_dates); a language
        without that rule falls back to CLDR's long date."""
        if day is None:
            return ""
        if self.language.code in LETTER_DATE_LANGUAGES:
            return official_date(day, self.language.code)
        return self.digits(format_date(day, "long", locale=self.locale))

    def country(self, iso2: str) -> str:
        return self.locale.territories.get(iso2, iso2)

    def language_name(self, code: str) -> str:
        names = self.locale.languages
        return names.get(code) or names.get(code.split("_")[0], code)


def _transliteration(person: PersonEntry, script: str) -> str:
    """The name in a second script: the letter's own if the original is in another, else Latin (the
    spelling of passports), else Cyrillic (the working script of CIS authorities)."""
    spellings = (person.name_cyrillic, person.name_latin) if script == "Cyrl" else (
        person.name_latin, person.name_cyrillic)
    original = person.name_original.strip()
    return next((s.strip() for s in spellings if s.strip() and s.strip() != original), "")


def _particulars(person: PersonEntry, words: Mapping[str, str], fmt: LetterLocale) -> str:
    born = ", ".join(part for part in (fmt.date(person.birth_date), person.birth_place) if part)
    nationality = person.nationality.strip()
    if _COUNTRY_CODE.match(nationality):
        nationality = fmt.country(nationality)
    items = (("born", born), ("nationality", nationality), ("documents", person.id_documents),
             ("address", person.address), ("parents", person.parents_names), ("aliases", person.aliases))
    return "; ".join(f"{words[key]}: {value.strip()}" for key, value in items if value.strip())


def _person(person: PersonEntry, wording: Wording, fmt: LetterLocale) -> dict[str, str]:
    role = wording.person_role.get(person.role, person.role)
    if person.is_hidden:
        return {"role": role, "name": person.pseudonym, "transliteration": "",
                "details": wording.person["protected"]}
    return {"role": role, "name": person.name_original,
            "transliteration": _transliteration(person, fmt.language.script),
            "details": _particulars(person, wording.person, fmt)}


def _measure(number: int, measure: MeasureEntry, wording: Wording, fmt: LetterLocale) -> dict[str, str]:
    return {"number": fmt.digits(str(number)),
            "type": wording.assistance_type.get(measure.assistance_type, measure.assistance_type),
            "details": measure.details, "procedure": measure.procedure,
            "status": wording.measure_status.get(measure.status, measure.status),
            "result": measure.result_note}


def build_context(facts: LetterFacts, language: Language, wording: Wording) -> dict[str, Any]:
    """The variables of manifest.toml [shared], for a letter in `language`."""
    fmt = LetterLocale(language)
    context: dict[str, Any] = {
        "letter_date": fmt.date(facts.letter_on), "letter_number": facts.letter_number,
        "letter_sent_on": fmt.date(facts.letter_sent_on), "our_reference": facts.reference,
        "partner_reference": facts.partner_reference, "outgoing_number": facts.outgoing_number,
        "case_number": facts.case_number, "case_stage": wording.case_stage.get(facts.case_stage, ""),
        "sender": facts.sender, "recipient": facts.recipient,
        "partner_state": fmt.country(facts.country_iso2), "home_state": fmt.country(facts.home_iso2),
        "signatory_name": facts.signatory_name, "signatory_position": facts.signatory_position,
        "is_translation": language.code != facts.drafting_language,
        "source_language": fmt.language_name(facts.drafting_language),
        "urgent": facts.is_urgent, "confidential": facts.is_confidential,
        "confidentiality_reason": facts.confidentiality_reason,
        "deadline_date": fmt.date(facts.deadline_on), "deadline_reason": facts.deadline_reason,
        "deadline_passed": facts.deadline_on is not None and facts.deadline_on < facts.letter_on,
        "legal_bases": [wording.basis_phrase.get(code, code) for code in facts.legal_bases],
        "subject_matter": facts.subject_matter, "facts": facts.facts_summary, "offences": facts.offences,
        "dual_criminality": facts.dual_criminality_note, "purpose": facts.purpose,
        "evidence_location": facts.evidence_location_reason, "victim_protection": facts.victim_protection,
        "use_restrictions": facts.use_restrictions, "contact_person": facts.contact_person,
        "handling_code": facts.handling_code, "conducting_authority": facts.conducting_authority,
        "sent_on": fmt.date(facts.transmitted_on), "received_on": fmt.date(facts.received_on),
        "acknowledged_on": fmt.date(facts.acknowledged_on), "original_reference": facts.original_reference,
        "original_outgoing_number": facts.original_outgoing_number,
        "original_sent_on": fmt.date(facts.original_sent_on),
        "persons": [_person(person, wording, fmt) for person in facts.persons],
        "measures": [_measure(n, m, wording, fmt) for n, m in enumerate(facts.measures, start=1)],
    }
    return _cleaned(context)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


def missing_wording(facts: LetterFacts, wording: Wording, variables: frozenset[str]) -> list[tuple[str, str]]:
    """(section, code) pairs a template using `variables` needs for this letter and the language lacks."""
    needs = [("basis_phrase", code) for code in facts.legal_bases if "legal_bases" in variables]
    needs += [("assistance_type", m.assistance_type) for m in facts.measures if "measures" in variables]
    needs += [("person_role", p.role) for p in facts.persons if "persons" in variables]
    return [(section, code) for section, code in dict.fromkeys(needs)
            if code not in getattr(wording, section)]
