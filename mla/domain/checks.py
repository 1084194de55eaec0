"""Owns the request check of DOMAIN.md §8.5 (which rules apply, in what order), its rules on persons and
measures, and what a partner's country profile pre-fills in the request form.

Outgoing requests get every rule: a gap in our own draft is blocking. Incoming requests get only the rules
of a formal check (UNTOC 18(15) elements, language and channel against what Tajikistan accepts, legal basis,
coercive measures through police, what the measures need to be executed, and the hints we owe as the
requested State); their gaps are the partner's to fill, so they are warnings that ground a request for
more information (UNTOC 18(16)). Unknown codes block in both directions: they are errors in our record.
"""
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from mla.domain.checks_rules import (
    CheckContext,
    Finding,
    MeasureFacts,
    PersonFacts,
    RequestFacts,
    Severity,
    channel,
    confidentiality,
    deadline,
    dual_criminality_note,
    language,
    law_text,
    legal_basis,
    recipient,
    required_elements,
    uncac_non_coercive,
    unknown_codes,
    unverified_profile,
)
from mla.domain.enums import Direction, PersonRole, RequestKind
from mla.domain.errors import N_
from mla.domain.protected_names import FreeText, ProtectedPerson, name_hits
from mla.reference.loader import ReferenceData

__all__ = ["PROTECTED_NAME_IN_TEXT", "Finding", "MeasureFacts", "PersonFacts", "ProfileChoices",
           "RequestFacts", "Severity", "blocking", "check_request", "profile_choices",
           "protected_name_findings"]

_IDENTIFIED_ROLES = frozenset({PersonRole.SUSPECT, PersonRole.ACCUSED, PersonRole.VICTIM, PersonRole.WITNESS})
_BANK_DETAILS_MIN_LENGTH = 20  # shorter than this cannot name bank, account, period and document types
_TIME_ZONE = re.compile(r"utc|gmt|time[ -]?zone|часов|пояс|\+0|\+\d{2}:\d{2}", re.IGNORECASE)


def persons_where_possible(ctx: CheckContext) -> Iterator[Finding]:
    """Check 1, persons: nationality and whereabouts are asked for only "where possible"."""
    for number, person in enumerate(ctx.facts.persons, start=1):
        if person.role in _IDENTIFIED_ROLES and not (person.has_nationality and person.has_location):
            yield Finding("person_details_missing", Severity.WARNING,
                          N_("Give the nationality and the address or whereabouts of person %(number)s "
                             "where possible (UNTOC 18(15)(e))."), "persons", {"number": str(number)})


def victims(ctx: CheckContext) -> Iterator[Finding]:
    """Check 10: victims are protected, and a child victim needs child-specific measures."""
    victim_list = [(n, p) for n, p in enumerate(ctx.facts.persons, start=1) if p.role == PersonRole.VICTIM]
    for number, person in victim_list:
        if not person.is_protected:
            yield Finding("victim_not_protected", Severity.WARNING,
                          N_("Person %(number)s is a victim: consider marking them as a protected person "
                             "(TIP Protocol art. 6)."), "persons", {"number": str(number)})
    if any(person.is_child for _, person in victim_list) and not ctx.facts.victim_protection.strip():
        yield Finding("child_victim_without_measures", Severity.BLOCKING,
                      N_("A victim is a child: describe the child-specific protection measures requested "
                         "(TIP Protocol art. 6(4))."), "victim_protection")


PROTECTED_NAME_IN_TEXT = "protected_name_in_text"
# By where the name is written: a request field or a measure's, the drafting text or a translation.
_NAME_IN_TEXT = {
    (False, False): N_("The name of protected person %(pseudonym)s is written in %(place)s: replace it with "
                       "the pseudonym."),
    (True, False): N_("The name of protected person %(pseudonym)s is written in %(place)s of measure "
                      "%(number)s: replace it with the pseudonym."),
    (False, True): N_("The name of protected person %(pseudonym)s is written in the %(language)s translation "
                      "of %(place)s: replace it with the pseudonym."),
    (True, True): N_("The name of protected person %(pseudonym)s is written in the %(language)s translation "
                     "of %(place)s of measure %(number)s: replace it with the pseudonym."),
}


def protected_names(ctx: CheckContext) -> Iterator[Finding]:
    """Check 10, names: a protected person's name never leaves the office in free text, in any script
    or form (TIP Protocol art. 6(1)); the letters name them by their pseudonym only."""
    return protected_name_findings(ctx.facts.texts, ctx.facts.protected)


def protected_name_findings(texts: Iterable[FreeText], persons: Iterable[ProtectedPerson]
                            ) -> Iterator[Finding]:
    """A blocking finding for each text that names a protected person, saying where, never the name."""
    for hit in name_hits(texts, persons):
        text = hit.text
        params = {"pseudonym": hit.pseudonym, "place": text.field, "number": str(text.measure_number or ""),
                  "language": text.language or ""}
        message = _NAME_IN_TEXT[(text.measure_number is not None, text.language is not None)]
        yield Finding(PROTECTED_NAME_IN_TEXT, Severity.BLOCKING, message, None, params)


def coercive_via_police(ctx: CheckContext) -> Iterator[Finding]:
    """Check 7: police channels carry intelligence, never coercive measures (DOMAIN.md §7.1)."""
    chosen = ctx.reference.channels.get(ctx.facts.channel_code or "")
    if not (ctx.is_police or (chosen is not None and chosen.is_police)):
        return
    flagged = {t.code for t in ctx.measure_types() if t.is_coercive or not t.police_channel_ok}
    for code in dict.fromkeys(m.assistance_type for m in ctx.facts.measures):
        if code in flagged:
            yield Finding("coercive_via_police", ctx.gap,
                          N_("%(measure)s cannot be obtained through a police-to-police request or a police "
                             "channel: convert the request to MLA."), "measures", {"measure": code})


def _measures_of(ctx: CheckContext, assistance_type: str) -> list[tuple[int, MeasureFacts]]:
    return [(n, m) for n, m in enumerate(ctx.facts.measures, start=1) if m.assistance_type == assistance_type]


def bank_records(ctx: CheckContext) -> Iterator[Finding]:
    """Check 12: bank records name bank, account, period and documents; bank secrecy cannot bar them."""
    requested = _measures_of(ctx, "records_bank")
    for number, measure in requested:
        if len(measure.details.strip()) < _BANK_DETAILS_MIN_LENGTH:
            yield Finding("bank_details_missing", Severity.WARNING,
                          N_("Measure %(number)s asks for bank records: name the bank, the account, the "
                             "period and the types of documents."), "measures", {"number": str(number)})
    if requested:
        yield Finding("bank_secrecy_hint", Severity.INFO,
                      N_("Bank secrecy is not a ground for refusing assistance (UNTOC 18(8))."), "measures")


def e_evidence_time_zone(ctx: CheckContext) -> Iterator[Finding]:
    """Check 13: identifiers and date/time ranges of e-evidence mean nothing without a time zone."""
    for number, measure in _measures_of(ctx, "records_telecom_e_evidence"):
        if not _TIME_ZONE.search(f"{measure.details} {measure.procedure}"):
            yield Finding("e_evidence_without_time_zone", Severity.WARNING,
                          N_("Measure %(number)s asks for electronic evidence: give the date and time ranges "
                             "with their time zone (for example UTC+05:00)."), "measures",
                          {"number": str(number)})


def preserve_data_first(ctx: CheckContext) -> Iterator[Finding]:
    """Check 13, hint: data may be deleted while the request travels, so preserve it first."""
    if _measures_of(ctx, "records_telecom_e_evidence") and not _measures_of(ctx, "preservation_of_data"):
        yield Finding("preserve_data_first", Severity.INFO,
                      N_("Consider asking for the preservation of the data first, so that it is not deleted "
                         "before the request is executed."), "measures")


Rule = Callable[[CheckContext], Iterable[Finding]]
_OUTGOING_RULES: tuple[Rule, ...] = (
    unknown_codes, required_elements, recipient, persons_where_possible, language, channel, legal_basis,
    dual_criminality_note, uncac_non_coercive, law_text, coercive_via_police, deadline, victims,
    confidentiality, bank_records, e_evidence_time_zone, preserve_data_first, unverified_profile,
    protected_names,
)
_INCOMING_RULES: tuple[Rule, ...] = (
    unknown_codes, required_elements, language, channel, legal_basis, uncac_non_coercive,
    coercive_via_police, bank_records, e_evidence_time_zone, protected_names,
)
_DIRECTIONS = frozenset(d.value for d in Direction)
_KINDS = frozenset(k.value for k in RequestKind)
_SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(Severity)}


def check_request(facts: RequestFacts, reference: ReferenceData) -> tuple[Finding, ...]:
    """The checks of DOMAIN.md §8.5 that apply to the request: blocking first, then warnings, then info."""
    if facts.direction not in _DIRECTIONS or facts.kind not in _KINDS:
        return (Finding("unknown_request_type", Severity.BLOCKING,
                        N_("The request direction %(direction)s or kind %(kind)s is not known."), None,
                        {"direction": facts.direction, "kind": facts.kind}),)
    ctx = CheckContext(facts, reference, is_outgoing=facts.direction == Direction.OUTGOING)
    rules = _OUTGOING_RULES if ctx.is_outgoing else _INCOMING_RULES
    findings = [finding for rule in rules for finding in rule(ctx)]
    return tuple(sorted(findings, key=lambda finding: _SEVERITY_ORDER[finding.severity]))


def blocking(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(finding for finding in findings if finding.severity == Severity.BLOCKING)


@dataclass(frozen=True)
class ProfileChoices:
    """What the partner's country profile pre-fills in the request form, and what it leaves open:
    `legal_bases` are every basis the form offers, `ticked` those it ticks for the offence."""

    addressee: str
    languages: tuple[str, ...]
    channels: tuple[str, ...]
    legal_bases: tuple[str, ...]
    unverified: tuple[str, ...]
    ticked: tuple[str, ...] = ()


def profile_choices(country_iso2: str, kind: str, home_iso2: str, reference: ReferenceData,
                    offence_category: str | None = None) -> ProfileChoices:
    """The partner's addressee, languages, channels and legal bases for this kind of request; an unknown
    country offers nothing, and check_request names it. It ticks every treaty both States are party to
    that covers this kind of request and the offence; reciprocity only when the offence is known and no
    treaty covers it (a treaty restricted to some offences is not ticked while the offence is unknown)."""
    partner = reference.countries.get(country_iso2)
    if partner is None:
        return ProfileChoices("", (), (), (), ())
    authority = partner.central_authorities[0].name if partner.central_authorities else {}
    is_police = kind == RequestKind.POLICE
    channels = tuple(code for code in partner.channels
                     if code in reference.channels and reference.channels[code].is_police == is_police)
    treaties = [t for t in reference.applicable_treaties(home_iso2, country_iso2)
                if t.scope in {"both", kind}]
    fitting = tuple(t.code for t in treaties if t.kind != "reciprocity" and t.covers(offence_category))
    fallback = tuple(t.code for t in treaties if t.kind == "reciprocity" and offence_category)
    return ProfileChoices(
        addressee=authority.get("ru") or authority.get("en", ""),
        languages=partner.request_languages,
        channels=channels,
        legal_bases=tuple(t.code for t in treaties),
        unverified=partner.unverified_facts,
        ticked=fitting or fallback,
    )
