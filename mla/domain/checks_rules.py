"""Owns the facts a request check reads, the findings it returns, and the §8.5 rules on the letter's frame."""
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from mla.domain.enums import RequestKind, Urgency
from mla.domain.errors import N_
from mla.domain.protected_names import FreeText, ProtectedPerson
from mla.reference.loader import AssistanceType, CountryProfile, ReferenceData


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One result of a check: `message` is an N_ msgid whose %(name)s placeholders come from `params`."""

    code: str
    severity: Severity
    message: str
    field_name: str | None
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MeasureFacts:
    assistance_type: str
    details: str
    procedure: str


@dataclass(frozen=True)
class PersonFacts:
    role: str
    has_name: bool
    has_nationality: bool
    has_location: bool
    has_birth_date: bool
    is_protected: bool
    is_child: bool
    disclose_identity: bool


@dataclass(frozen=True)
class RequestFacts:
    direction: str
    kind: str
    country_iso2: str
    home_iso2: str
    channel_code: str | None
    legal_bases: tuple[str, ...]
    request_language: str | None
    requesting_authority: str
    conducting_authority: str
    addressee: str
    subject_matter: str
    facts_summary: str
    offences: str
    law_text_annexed: bool
    dual_criminality_note: str
    purpose: str
    urgency: str
    deadline_on: date | None
    deadline_reason: str
    is_confidential: bool
    confidentiality_reason: str
    victim_protection: str
    measures: tuple[MeasureFacts, ...]
    persons: tuple[PersonFacts, ...]
    texts: tuple[FreeText, ...] = ()  # the free text that leaves the office in letters
    protected: tuple[ProtectedPerson, ...] = ()  # the protected persons whose names it must not carry


@dataclass(frozen=True)
class CheckContext:
    """A request's facts, the reference data, and the lookups in it that several rules share."""

    facts: RequestFacts
    reference: ReferenceData
    is_outgoing: bool

    @property
    def is_police(self) -> bool:
        return self.facts.kind == RequestKind.POLICE

    @property
    def gap(self) -> Severity:
        # a gap in our own draft stops it; a gap in a partner's request is theirs to fill (UNTOC 18(16))
        return Severity.BLOCKING if self.is_outgoing else Severity.WARNING

    @property
    def partner(self) -> CountryProfile | None:
        return self.reference.countries.get(self.facts.country_iso2)

    @property
    def receiver(self) -> CountryProfile | None:
        """The State whose accepted languages and channels the request must meet."""
        return self.partner if self.is_outgoing else self.reference.countries.get(self.facts.home_iso2)

    def measure_types(self) -> tuple[AssistanceType, ...]:
        types = self.reference.assistance_types
        return tuple(types[m.assistance_type] for m in self.facts.measures if m.assistance_type in types)


def unknown_codes(ctx: CheckContext) -> Iterator[Finding]:
    """Codes the reference data does not know; the other rules skip them rather than guess."""
    f = ctx.facts
    ref = ctx.reference
    lookups = (
        ("unknown_country", N_("The country code %(code)s is not in the reference data."), "country_iso2",
         (f.country_iso2,), ref.countries),
        ("unknown_country", N_("The home country code %(code)s is not in the reference data."), None,
         (f.home_iso2,), ref.countries),
        ("unknown_channel", N_("The channel %(code)s is not in the reference data."), "channel_code",
         (f.channel_code,) if f.channel_code else (), ref.channels),
        ("unknown_language", N_("The language %(code)s is not in the reference data."), "request_language",
         (f.request_language,) if f.request_language else (), ref.languages),
        ("unknown_treaty", N_("The legal basis %(code)s is not in the reference data."), "legal_bases",
         f.legal_bases, ref.treaties),
        ("unknown_assistance_type", N_("The type of assistance %(code)s is not in the reference data."),
         "measures", tuple(m.assistance_type for m in f.measures), ref.assistance_types),
    )
    for finding_code, message, form_field, codes, known in lookups:
        for code in dict.fromkeys(codes):
            if code not in known:
                yield Finding(finding_code, Severity.BLOCKING, message, form_field, {"code": code})


_ELEMENTS = (
    ("requesting_authority", N_("The requesting authority is not named (UNTOC 18(15)(a)).")),
    ("subject_matter", N_("The subject matter and nature of the proceedings are not described "
                          "(UNTOC 18(15)(b)).")),
    ("conducting_authority", N_("The authority conducting the proceedings and its functions are not named "
                                "(UNTOC 18(15)(b)).")),
    ("facts_summary", N_("The relevant facts are not summarised (UNTOC 18(15)(c)).")),
    ("purpose", N_("The purpose for which the evidence, information or action is sought is not stated "
                   "(UNTOC 18(15)(f)).")),
)


def required_elements(ctx: CheckContext) -> Iterator[Finding]:
    """Check 1: the UNTOC 18(15) core; police requests have no conducting authority to name."""
    f = ctx.facts
    texts = {"requesting_authority": f.requesting_authority, "subject_matter": f.subject_matter,
             "conducting_authority": f.conducting_authority, "facts_summary": f.facts_summary,
             "purpose": f.purpose}
    service_only = bool(f.measures) and all(m.assistance_type == "service_of_documents" for m in f.measures)
    exempt = {"conducting_authority"} if ctx.is_police else set()
    exempt |= {"facts_summary"} if service_only else set()
    for name, message in _ELEMENTS:
        if name not in exempt and not texts[name].strip():
            yield Finding(f"missing_{name}", ctx.gap, message, name)
    if not f.measures:
        yield Finding("missing_measures", ctx.gap,
                      N_("No type of assistance is chosen (UNTOC 18(15)(d))."), "measures")


def recipient(ctx: CheckContext) -> Iterator[Finding]:
    """Check 1: the request names whom our letters go to. Ours on an outgoing request go to its addressee
    (the partner's central or competent authority); ours on an incoming one, to the partner's requesting
    authority. Generating a letter checks its parties too (domain.parties)."""
    f = ctx.facts
    if ctx.is_outgoing and not f.addressee.strip():
        yield Finding("missing_addressee", Severity.BLOCKING,
                      N_("The addressee is not named: name the central or competent authority the letter "
                         "goes to."), "addressee")
    elif not ctx.is_outgoing and not f.requesting_authority.strip():
        yield Finding("missing_recipient", Severity.BLOCKING,
                      N_("The partner's requesting authority is not named: our letters are addressed to "
                         "it."), "requesting_authority")


def language(ctx: CheckContext) -> Iterator[Finding]:
    """Check 2: the request is in a language the receiving State accepts (UNTOC 18(14))."""
    code = ctx.facts.request_language
    receiver = ctx.receiver
    if not code:
        if ctx.is_outgoing:
            yield Finding("missing_request_language", Severity.BLOCKING,
                          N_("Choose the language of the request (UNTOC 18(14))."), "request_language")
    elif receiver and code in ctx.reference.languages and code not in receiver.request_languages:
        yield Finding("language_not_accepted", ctx.gap,
                      N_("%(country)s accepts requests in %(accepted)s, not in %(language)s (UNTOC 18(14))."),
                      "request_language", {"country": receiver.iso2, "language": code,
                                           "accepted": ", ".join(receiver.request_languages)})


def channel(ctx: CheckContext) -> Iterator[Finding]:
    """Check 3: the channel is one the receiving State accepts; INTERPOL is for urgent requests."""
    code = ctx.facts.channel_code
    receiver = ctx.receiver
    known = ctx.reference.channels.get(code or "")
    if not code and ctx.is_outgoing:
        yield Finding("missing_channel", Severity.BLOCKING,
                      N_("Choose the channel of transmission (UNTOC 18(13))."), "channel_code")
    if not code or known is None:
        return
    if receiver and code not in receiver.channels:
        yield Finding("channel_not_accepted", ctx.gap,
                      N_("%(country)s does not accept requests through the channel %(channel)s."),
                      "channel_code", {"country": receiver.iso2, "channel": code})
    if ctx.is_outgoing and known.is_police != ctx.is_police:
        yield Finding("channel_kind_mismatch", Severity.WARNING,
                      N_("The channel %(channel)s does not match the kind of request %(kind)s."),
                      "channel_code", {"channel": code, "kind": ctx.facts.kind})
    if ctx.is_outgoing and code == "interpol" and ctx.facts.urgency != Urgency.URGENT:
        yield Finding("interpol_not_urgent", Severity.WARNING,
                      N_("INTERPOL is a channel for urgent requests; mark the request urgent or choose "
                         "another channel (UNTOC 18(13))."), "channel_code")


def legal_basis(ctx: CheckContext) -> Iterator[Finding]:
    """Check 4: an MLA request names a basis, and every basis binds both States (reciprocity always does)."""
    f = ctx.facts
    if not f.legal_bases and not ctx.is_police:
        yield Finding("missing_legal_basis", ctx.gap,
                      N_("No legal basis is given: name a treaty, a convention or reciprocity."),
                      "legal_bases")
    for code in dict.fromkeys(f.legal_bases):
        treaty = ctx.reference.treaties.get(code)
        if treaty is None:
            continue
        outside = [iso for iso in dict.fromkeys((f.home_iso2, f.country_iso2))
                   if iso in ctx.reference.countries and treaty.status_for(iso) != "party"]
        if outside:
            yield Finding("legal_basis_not_binding", ctx.gap,
                          N_("%(treaty)s does not bind %(countries)s, so it cannot be a legal basis."),
                          "legal_bases", {"treaty": code, "countries": ", ".join(outside)})
        elif treaty.scope not in {"both", f.kind}:
            yield Finding("legal_basis_wrong_scope", Severity.WARNING,
                          N_("%(treaty)s does not cover this kind of request (%(kind)s)."),
                          "legal_bases", {"treaty": code, "kind": f.kind})


def dual_criminality_note(ctx: CheckContext) -> Iterator[Finding]:
    """Check 5: name the equivalent offence in the requested State (UNTOC 18(9))."""
    if not ctx.is_police and not ctx.facts.dual_criminality_note.strip():
        yield Finding("missing_dual_criminality_note", Severity.WARNING,
                      N_("State the equivalent offence in the requested State: the lack of dual "
                         "criminality may be a ground for refusal (UNTOC 18(9))."), "dual_criminality_note")


def uncac_non_coercive(ctx: CheckContext) -> Iterator[Finding]:
    """Check 5, hint: under UNCAC, dual criminality cannot bar non-coercive assistance."""
    types = ctx.measure_types()
    if not ctx.is_police and "uncac" in ctx.facts.legal_bases and types and not any(
            t.is_coercive for t in types):
        yield Finding("uncac_non_coercive", Severity.INFO,
                      N_("Under UNCAC 46(9)(b), the lack of dual criminality is not a ground for refusing "
                         "assistance that involves no coercive action."), "dual_criminality_note")


def law_text(ctx: CheckContext) -> Iterator[Finding]:
    """Check 6: the text of the cited provisions goes with an MLA request as an annex."""
    if not ctx.is_police and ctx.facts.offences.strip() and not ctx.facts.law_text_annexed:
        yield Finding("law_text_not_annexed", Severity.WARNING,
                      N_("Annex the text of the legal provisions for the offences cited."),
                      "law_text_annexed")


def deadline(ctx: CheckContext) -> Iterator[Finding]:
    """Check 9: an urgent request gives a date, and every date gives its reason (UNTOC 18(24))."""
    f = ctx.facts
    is_urgent = f.urgency == Urgency.URGENT
    if is_urgent and f.deadline_on is None:
        yield Finding("urgent_without_deadline", Severity.WARNING,
                      N_("The request is urgent: give the date by which the assistance is needed "
                         "(UNTOC 18(24))."), "deadline_on")
    if (is_urgent or f.deadline_on is not None) and not f.deadline_reason.strip():
        yield Finding("deadline_without_reason", Severity.WARNING,
                      N_("Explain the reason for the deadline, such as a trial date or a detention limit "
                         "(UNTOC 18(24))."), "deadline_reason")


def confidentiality(ctx: CheckContext) -> Iterator[Finding]:
    """Check 11: a confidentiality request says why (UNTOC 18(20))."""
    if ctx.facts.is_confidential and not ctx.facts.confidentiality_reason.strip():
        yield Finding("confidentiality_without_reason", Severity.WARNING,
                      N_("Give the reason why the request must be kept confidential (UNTOC 18(20))."),
                      "confidentiality_reason")


def unverified_profile(ctx: CheckContext) -> Iterator[Finding]:
    """Check 16: the partner's profile rests partly on unverified facts; the draft shows them."""
    if ctx.partner and ctx.partner.unverified_facts:
        yield Finding("unverified_profile", Severity.INFO,
                      N_("Some facts in the profile of %(country)s are not verified: %(facts)s. Check them "
                         "before relying on them."), None,
                      {"country": ctx.partner.iso2, "facts": ", ".join(ctx.partner.unverified_facts)})
