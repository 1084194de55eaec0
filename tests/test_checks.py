"""The request check of DOMAIN.md §8.5 and the form choices a country profile offers, on real reference
data."""
import re
from dataclasses import replace
from datetime import date

import pytest

from mla.domain.checks import (
    Finding,
    MeasureFacts,
    PersonFacts,
    RequestFacts,
    Severity,
    blocking,
    check_request,
    profile_choices,
)
from mla.reference.loader import load_reference

REFERENCE = load_reference()
STATEMENT = MeasureFacts("statement", "Interview the witness about the recruitment in Almaty.",
                         "Sworn statement")
WITNESS = PersonFacts(role="witness", has_name=True, has_nationality=True, has_location=True,
                      has_birth_date=True, is_protected=False, is_child=False, disclose_identity=True)
VICTIM = replace(WITNESS, role="victim", is_protected=True, disclose_identity=False)
COMPLETE = RequestFacts(
    direction="outgoing", kind="mla", country_iso2="KZ", home_iso2="TJ", channel_code="central_authority",
    legal_bases=("minsk_1993", "untoc"), request_language="ru",
    requesting_authority="General Prosecutor's Office of the Republic of Tajikistan",
    addressee="General Prosecutor's Office of the Republic of Kazakhstan",
    conducting_authority="Investigator of the Ministry of Internal Affairs, Dushanbe",
    subject_matter="Pre-trial investigation of trafficking in persons, case 12-345",
    facts_summary="Three women were recruited in Dushanbe and exploited in Almaty.",
    offences="Criminal Code of Tajikistan, art. 130.1", law_text_annexed=True,
    dual_criminality_note="Criminal Code of Kazakhstan, art. 128", purpose="Evidence for the trial",
    urgency="normal", deadline_on=None, deadline_reason="", is_confidential=False, confidentiality_reason="",
    victim_protection="", measures=(STATEMENT,), persons=(WITNESS, VICTIM),
)
POLICE = replace(COMPLETE, kind="police", channel_code="police_ncb", legal_bases=("cis_mvd_1992",),
                 conducting_authority="", dual_criminality_note="",
                 measures=(MeasureFacts("locate_identify_person", "Whereabouts of the suspect", ""),))
INCOMING = replace(COMPLETE, direction="incoming")
URGENT = {"urgency": "urgent", "deadline_on": date(2026, 3, 1), "deadline_reason": "Trial starts then"}


def measure(code: str, details: str = "Details of what is asked for, in full") -> MeasureFacts:
    return MeasureFacts(code, details, "")


def pairs(findings: tuple[Finding, ...]) -> set[tuple[str, str | None]]:
    return {(finding.code, finding.field_name) for finding in findings}


def test_a_complete_outgoing_request_has_only_the_unverified_profile_banner():
    findings = check_request(COMPLETE, REFERENCE)
    assert blocking(findings) == ()
    assert [(f.code, f.severity) for f in findings] == [("unverified_profile", Severity.INFO)]


BLOCKING_CASES = [
    ({"requesting_authority": ""}, "missing_requesting_authority", "requesting_authority"),
    ({"subject_matter": "  "}, "missing_subject_matter", "subject_matter"),
    ({"conducting_authority": ""}, "missing_conducting_authority", "conducting_authority"),
    ({"facts_summary": ""}, "missing_facts_summary", "facts_summary"),
    ({"measures": ()}, "missing_measures", "measures"),
    ({"purpose": ""}, "missing_purpose", "purpose"),
    ({"request_language": None}, "missing_request_language", "request_language"),
    ({"request_language": "tg"}, "language_not_accepted", "request_language"),
    ({"channel_code": None}, "missing_channel", "channel_code"),
    ({"country_iso2": "IQ", "request_language": "en", "legal_bases": ("untoc",)},
     "channel_not_accepted", "channel_code"),
    ({"legal_bases": ()}, "missing_legal_basis", "legal_bases"),
    ({"legal_bases": ("chisinau_2002",)}, "legal_basis_not_binding", "legal_bases"),
    ({"channel_code": "police_ncb"}, "coercive_via_police", "measures"),
    ({"persons": (replace(VICTIM, is_child=True),)}, "child_victim_without_measures", "victim_protection"),
    ({"country_iso2": "XX"}, "unknown_country", "country_iso2"),
    ({"home_iso2": "ZZ"}, "unknown_country", None),
    ({"channel_code": "carrier_pigeon"}, "unknown_channel", "channel_code"),
    ({"legal_bases": ("atlantis_1900",)}, "unknown_treaty", "legal_bases"),
    ({"request_language": "xx"}, "unknown_language", "request_language"),
    ({"measures": (measure("teleportation"),)}, "unknown_assistance_type", "measures"),
    ({"kind": "carrier_pigeon"}, "unknown_request_type", None),
]


@pytest.mark.parametrize(("changes", "code", "form_field"), BLOCKING_CASES,
                         ids=[case[1] + "-" + "-".join(case[0]) for case in BLOCKING_CASES])
def test_each_blocking_check_fires_on_exactly_the_broken_field(changes, code, form_field):
    assert pairs(blocking(check_request(replace(COMPLETE, **changes), REFERENCE))) == {(code, form_field)}


@pytest.mark.parametrize("changes", [
    {"country_iso2": "XX", "home_iso2": "ZZ", "channel_code": "pigeon", "request_language": "xx",
     "legal_bases": ("atlantis_1900",), "measures": (measure("teleport"),)},
    {"direction": "sideways"},
])
def test_unknown_codes_block_without_raising(changes):
    findings = check_request(replace(COMPLETE, **changes), REFERENCE)
    assert findings and findings == blocking(findings)
    assert all(f.code.startswith("unknown_") for f in findings)


@pytest.mark.parametrize(("country", "bases", "not_bound"), [
    ("UZ", ("chisinau_2002",), "TJ, UZ"),
    ("TM", ("chisinau_2002",), "TJ, TM"),
    ("RU", ("chisinau_2002",), "TJ, RU"),
    ("KZ", ("chisinau_2002",), "TJ"),
    ("IR", ("untoc",), "IR"),
    ("TR", ("minsk_1993",), "TR"),
])
def test_a_treaty_that_does_not_bind_both_states_blocks_and_is_named(country, bases, not_bound):
    language = "ru" if country in {"UZ", "TM", "RU", "KZ"} else "en"
    facts = replace(COMPLETE, country_iso2=country, legal_bases=bases, request_language=language,
                    channel_code="diplomatic")
    found = blocking(check_request(facts, REFERENCE))
    assert [(f.code, dict(f.params)) for f in found] == [
        ("legal_basis_not_binding", {"treaty": bases[0], "countries": not_bound})]


@pytest.mark.parametrize("country", ["IR", "UZ", "TR"])
def test_reciprocity_is_always_an_acceptable_basis(country):
    facts = replace(COMPLETE, country_iso2=country, legal_bases=("reciprocity",), request_language="en"
                    if country != "UZ" else "ru", channel_code="diplomatic")
    assert blocking(check_request(facts, REFERENCE)) == ()


@pytest.mark.parametrize(("changes", "code", "form_field"), [
    ({"measures": (measure("search_and_seizure"),)}, "coercive_via_police", "measures"),
    ({"measures": (measure("records_bank"),)}, "coercive_via_police", "measures"),
    ({"measures": (measure("statement"),)}, "coercive_via_police", "measures"),
    ({"conducting_authority": "", "purpose": ""}, "missing_purpose", "purpose"),
    ({"facts_summary": ""}, "missing_facts_summary", "facts_summary"),
])
def test_police_requests_take_no_coercive_measure_but_need_purpose_and_facts(changes, code, form_field):
    assert pairs(blocking(check_request(replace(POLICE, **changes), REFERENCE))) == {(code, form_field)}


def test_a_complete_police_request_needs_no_conducting_authority_or_legal_basis():
    for facts in (POLICE, replace(POLICE, legal_bases=())):
        assert blocking(check_request(facts, REFERENCE)) == ()


WARNING_CASES = [
    ({"persons": (replace(WITNESS, has_nationality=False),)}, {("person_details_missing", "persons")}),
    ({"persons": (replace(WITNESS, role="expert", has_location=False),)}, set()),
    ({"dual_criminality_note": ""}, {("missing_dual_criminality_note", "dual_criminality_note")}),
    ({"law_text_annexed": False}, {("law_text_not_annexed", "law_text_annexed")}),
    ({"law_text_annexed": False, "offences": ""}, set()),
    ({"urgency": "urgent"}, {("urgent_without_deadline", "deadline_on"),
                             ("deadline_without_reason", "deadline_reason")}),
    ({"deadline_on": date(2026, 3, 1)}, {("deadline_without_reason", "deadline_reason")}),
    (URGENT, set()),
    ({"channel_code": "interpol"}, {("interpol_not_urgent", "channel_code")}),
    ({"channel_code": "interpol", **URGENT}, set()),
    ({"persons": (replace(VICTIM, is_protected=False),)}, {("victim_not_protected", "persons")}),
    ({"persons": (replace(VICTIM, disclose_identity=True),)}, set()),
    ({"is_confidential": True}, {("confidentiality_without_reason", "confidentiality_reason")}),
    ({"is_confidential": True, "confidentiality_reason": "Suspects at large"}, set()),
    ({"measures": (measure("records_bank", "Bank"),)}, {("bank_details_missing", "measures")}),
    ({"measures": (measure("records_telecom_e_evidence", "Calls of +992 900 000 000, 1-5 May 2025"),)},
     {("e_evidence_without_time_zone", "measures")}),
    ({"legal_bases": ("untoc", "caricc_2006")}, {("legal_basis_wrong_scope", "legal_bases")}),
    ({"kind": "police", "channel_code": "central_authority", "conducting_authority": "",
      "legal_bases": ("untoc",), "measures": (measure("locate_identify_person"),)},
     {("channel_kind_mismatch", "channel_code")}),
]


@pytest.mark.parametrize(("changes", "expected"), WARNING_CASES)
def test_each_warning_fires_on_its_field_and_blocks_nothing(changes, expected):
    findings = check_request(replace(COMPLETE, **changes), REFERENCE)
    assert blocking(findings) == ()
    assert pairs(tuple(f for f in findings if f.severity == Severity.WARNING)) == expected


@pytest.mark.parametrize(("changes", "expected"), [
    ({"measures": (measure("records_bank"),)}, {"bank_secrecy_hint"}),
    ({"measures": (measure("records_telecom_e_evidence", "1-5 May 2025, 10:00-12:00 UTC+05:00"),)},
     {"preserve_data_first"}),
    ({"measures": (measure("preservation_of_data"), measure("records_telecom_e_evidence", "GMT+5"))}, set()),
    ({"legal_bases": ("uncac",)}, {"uncac_non_coercive"}),
    ({"legal_bases": ("uncac",), "measures": (measure("search_and_seizure"),)}, set()),
])
def test_hints_are_info(changes, expected):
    findings = check_request(replace(COMPLETE, **changes), REFERENCE)
    assert {f.code for f in findings if f.severity == Severity.INFO} == expected | {"unverified_profile"}


@pytest.mark.parametrize(("details", "has_zone"), [
    ("1-5 May 2025, 10:00-12:00 UTC", True), ("10:00 GMT", True), ("время по часовому поясу Душанбе", True),
    ("2025-05-01T10:00+05:00", True), ("logs in the provider's time zone", True), ("10:00 +0500", True),
    ("1-5 May 2025, 10:00-12:00", False), ("subscriber +992 37 221 0000", False),
])
def test_e_evidence_needs_a_time_zone(details, has_zone):
    facts = replace(COMPLETE, measures=(measure("records_telecom_e_evidence", details),))
    codes = {f.code for f in check_request(facts, REFERENCE)}
    assert ("e_evidence_without_time_zone" not in codes) is has_zone


def test_service_of_documents_alone_needs_no_summary_of_facts():
    facts = replace(COMPLETE, facts_summary="", measures=(measure("service_of_documents"),))
    assert blocking(check_request(facts, REFERENCE)) == ()


@pytest.mark.parametrize(("changes", "expected"), [
    ({"requesting_authority": "", "purpose": ""},
     {("missing_requesting_authority", Severity.WARNING), ("missing_purpose", Severity.WARNING)}),
    ({"request_language": "kk"}, {("language_not_accepted", Severity.WARNING)}),
    ({"channel_code": "police_ncb"}, {("coercive_via_police", Severity.WARNING)}),
    ({"dual_criminality_note": "", "law_text_annexed": False, "channel_code": None, "request_language": None,
      "is_confidential": True, "persons": (replace(VICTIM, is_child=True, is_protected=False),)}, set()),
    ({"country_iso2": "XX"}, {("unknown_country", Severity.BLOCKING)}),
])
def test_incoming_requests_get_a_formal_check_whose_gaps_are_the_partners(changes, expected):
    findings = check_request(replace(INCOMING, **changes), REFERENCE)
    assert {(f.code, f.severity) for f in findings} == expected


def test_findings_come_blocking_first_then_warnings_then_info():
    facts = replace(COMPLETE, purpose="", dual_criminality_note="", measures=(measure("records_bank", "x"),))
    severities = [f.severity for f in check_request(facts, REFERENCE)]
    assert severities == sorted(severities, key=list(Severity).index)
    assert set(severities) == set(Severity)


ALL_VARIANTS = [replace(COMPLETE, **changes) for changes, _, _ in BLOCKING_CASES] + [
    replace(COMPLETE, **changes) for changes, _ in WARNING_CASES] + [POLICE, INCOMING]


@pytest.mark.parametrize("facts", ALL_VARIANTS)
def test_every_message_is_a_sentence_whose_placeholders_are_filled(facts):
    for finding in check_request(facts, REFERENCE):
        assert finding.message.strip() and finding.message.endswith(".")
        assert set(re.findall(r"%\((\w+)\)s", finding.message)) <= set(finding.params)
        assert "%(" not in finding.message % dict(finding.params)


def test_kazakhstan_mla_choices():
    choices = profile_choices("KZ", "mla", "TJ", REFERENCE)
    assert choices.addressee == "Генеральная прокуратура Республики Казахстан"
    assert choices.languages == ("ru", "kk")
    assert "central_authority" in choices.channels
    assert not any(REFERENCE.channels[code].is_police for code in choices.channels)
    assert "minsk_1993" in choices.legal_bases and "untoc" in choices.legal_bases
    assert "chisinau_2002" not in choices.legal_bases  # Tajikistan only signed it
    assert "cis_mvd_1992" not in choices.legal_bases
    assert choices.unverified == REFERENCE.countries["KZ"].unverified_facts != ()


@pytest.mark.parametrize(("country", "offence", "ticked"), [
    ("KZ", "trafficking_in_persons", ("untoc", "tip_protocol", "minsk_1993")),
    ("KZ", "forced_labour", ("untoc", "tip_protocol", "minsk_1993")),
    ("KZ", "smuggling_of_migrants", ("untoc", "som_protocol", "minsk_1993")),
    ("KZ", "money_laundering", ("untoc", "uncac", "minsk_1993")),
    ("KZ", "other", ("minsk_1993",)),
    ("KZ", None, ("minsk_1993",)),  # a treaty for some offences waits for the offence
    ("AF", "trafficking_in_persons", ("untoc", "tip_protocol")),
    ("AF", None, ()),
    ("PK", "trafficking_in_persons", ("untoc",)),  # Pakistan is not a party to the TIP Protocol
    ("PK", "other", ("reciprocity",)),  # reciprocity only where no treaty covers the offence
])
def test_the_profile_ticks_every_basis_both_states_are_party_to_that_fits_the_offence(
        country: str, offence: str | None, ticked: tuple[str, ...]) -> None:
    choices = profile_choices(country, "mla", "TJ", REFERENCE, offence)
    assert choices.ticked == ticked
    assert set(ticked) <= set(choices.legal_bases)


def test_uzbekistan_police_choices():
    choices = profile_choices("UZ", "police", "TJ", REFERENCE)
    assert choices.channels and all(REFERENCE.channels[code].is_police for code in choices.channels)
    assert {"cis_mvd_1992", "caricc_2006"} <= set(choices.legal_bases)
    assert all(REFERENCE.treaties[code].scope != "mla" for code in choices.legal_bases)


def test_choices_for_a_country_without_a_central_authority_or_unknown():
    assert profile_choices("TM", "mla", "TJ", REFERENCE).addressee == ""
    assert profile_choices("XX", "mla", "TJ", REFERENCE) == profile_choices("YY", "police", "TJ", REFERENCE)
    assert profile_choices("XX", "mla", "TJ", REFERENCE).channels == ()
