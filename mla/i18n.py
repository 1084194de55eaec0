"""UI locales, the locale selector and its documented order, and enum labels (mla.domain.labels) translated.

Locale order: an explicit choice in the page (?lang=, remembered in the session) → the
user's saved preference → the browser's Accept-Language → the configured default (ru).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, request, session
from flask_babel import LazyString, format_date, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mla.catalogs import TRANSLATIONS_DIR
from mla.domain.checks import Finding
from mla.domain.enums import LinkKind
from mla.domain.labels import label_msgid, link_msgid
from mla.extensions import babel
from mla.reference.loader import load_reference

UI_LOCALES = ("ru", "tg", "uz_Latn", "en", "fa_AF")
UI_LOCALE_NAMES = {
    "ru": "Русский",
    "tg": "Тоҷикӣ",
    "uz_Latn": "Oʻzbekcha",
    "en": "English",
    "fa_AF": "دری",
}


def select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in UI_LOCALES:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in UI_LOCALES:
        return session["lang"]
    if current_user.is_authenticated and current_user.locale in UI_LOCALES:
        return current_user.locale
    # Browsers send fa-AF or uz-Latn; Babel wants fa_AF and uz_Latn (TECH-NOTES §2).
    offered = [code.replace("_", "-") for code in UI_LOCALES]
    best = request.accept_languages.best_match(offered)
    if best:
        return best.replace("-", "_")
    return current_app.config["DEFAULT_LOCALE"]


def text_direction() -> str:
    return Locale.parse(str(get_locale())).text_direction


# Unicode's left-to-right isolate and its end: the plain-text form of <bdi dir="ltr">, usable where
# markup is not (a translated message, a choice of a select list).
LRI, PDI = "\u2066", "\u2069"
_LATIN_RUN = re.compile(r"[A-Za-z][ -~]*")
_TRAILING = " .,;:"


def _isolated_run(match: re.Match[str]) -> str:
    run = match.group(0)
    core = run.rstrip(_TRAILING)
    while core.endswith(")") and core.count(")") > core.count("("):  # the bracket around the citation
        core = core[:-1].rstrip(_TRAILING)
    if "(" not in core:
        return run
    return f"{LRI}{core}{PDI}{run[len(core):]}"


def isolate_citations(text: str) -> str:
    """In a right-to-left interface, each run of Latin text that carries brackets, such as the legal
    citation in "... (UNTOC 18(15)(a))." of a Dari message, kept left to right as a whole: otherwise the
    bidirectional algorithm takes the citation's last bracket for right-to-left text and mirrors it to
    the far end of the line. Left-to-right interfaces get the text unchanged."""
    if text_direction() != "rtl":
        return text
    return _LATIN_RUN.sub(_isolated_run, text)


def register_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIME_ZONE"])
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        text_direction=text_direction,
        ui_locales=UI_LOCALE_NAMES,
        label=label,
        link_label=link_label,
        country_name=country_name,
        ref_label=ref_label,
        move_label=move_label,
        finding_text=finding_text,
        profile_facts=profile_facts,
        language_name=language_name,
        iso_day=iso_day,
    )


def iso_day(value: object) -> str:
    """A day a move's details keep as ISO text, in the interface language's medium form."""
    try:
        return format_date(date.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value)


def label(member: StrEnum) -> str:
    """The translated label of an enum member, for templates: {{ label(item.stage) }}."""
    return gettext(label_msgid(member))


def lazy_label(member: StrEnum) -> LazyString:
    """The label of an enum member, translated when shown: for choices built at import time."""
    return _l(label_msgid(member))


def enum_choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """Every member of `enum` as (value, translated label), for a select box."""
    return [(member.value, label(member)) for member in enum]


def link_label(kind: LinkKind, *, outgoing: bool) -> str:
    """How a linked request relates to the one on the page, in the interface language."""
    return gettext(link_msgid(kind, outgoing=outgoing))


# Base languages whose readers are likelier to read Russian than English (the CIS languages).
RUSSIAN_FIRST = frozenset({"ru", "tg", "uz", "kk", "ky", "tk"})


def ref_label(labels: Mapping[str, str], locale: str | None = None) -> str:
    """A reference-data label (assistance type, treaty, channel) in the interface language (or
    `locale`), then its base language, then Russian and English: Russian first for CIS languages,
    English first for the others (fa_AF, en)."""
    code = locale or str(get_locale())
    base = code.split("_")[0]
    last_resort = ("ru", "en") if base in RUSSIAN_FIRST else ("en", "ru")
    for candidate in (code, base, *last_resort):
        if labels.get(candidate):
            return labels[candidate]
    return next(iter(labels.values()), "")


def country_name(iso2: str) -> str:
    """A country's name in the interface language, from CLDR."""
    return Locale.parse(str(get_locale())).territories.get(iso2, iso2)


MOVE_LABELS = {
    "submit": _l("Submit for review"),
    "resubmit": _l("Submit again for review"),
    "approve": _l("Approve"),
    "return_for_correction": _l("Return for correction"),
    "send_to_translation": _l("Send to translation"),
    "finish_translation": _l("Translation finished"),
    "mark_ready_to_send": _l("Ready to send"),
    "transmit": _l("Record transmission"),
    "record_acknowledgement": _l("Record acknowledgement of receipt"),
    "record_info_request": _l("Record a request for more information"),
    "send_additional_info": _l("Record that more information was sent"),
    "record_conditions": _l("Record conditions proposed by the partner"),
    "accept_conditions": _l("Accept the conditions"),
    "decline_conditions": _l("Decline the conditions"),
    "record_postponement": _l("Record postponement"),
    "record_execution_start": _l("Record that execution started"),
    "record_partial_execution": _l("Record partial execution"),
    "record_execution": _l("Record execution (evidence received)"),
    "record_refusal": _l("Record refusal"),
    "withdraw": _l("Withdraw the request"),
    "close": _l("Close"),
    "register": _l("Register"),
    "send_acknowledgement": _l("Record our acknowledgement of receipt"),
    "start_formal_check": _l("Start the formal check"),
    "pass_formal_check": _l("Formal check passed"),
    "request_additional_info": _l("Ask the partner for more information"),
    "record_info_received": _l("Record the information received"),
    "open_consultation": _l("Consult the partner (UNTOC 18(26))"),
    "assign": _l("Assign for execution"),
    "start_execution": _l("Start execution"),
    "certify_evidence": _l("Certify the evidence"),
    "return_evidence": _l("Return the results"),
    "postpone": _l("Postpone execution"),
    "resume_execution": _l("Resume execution"),
    "record_cannot_keep_confidential": _l("Tell the partner confidentiality cannot be kept"),
    "record_partner_consent": _l("Record the partner's consent"),
    "record_withdrawal": _l("Record withdrawal by the partner"),
    "record_answer": _l("Record the answer"),
    "record_partial_answer": _l("Record a partial answer"),
    "record_decline": _l("Record that the partner declined"),
    "convert_to_mla": _l("Convert into a formal MLA request"),
    "send_answer": _l("Record our answer"),
    "send_partial_answer": _l("Record our partial answer"),
    "decline": _l("Decline"),
    "hand_to_desk": _l("Hand to the desk for sending"),
    "send_status_enquiry": _l("Status enquiry sent"),
}


def move_label(move: object) -> str:
    """The label of a stage move (a workflow.Move or its name)."""
    name = getattr(move, "name", move)
    return isolate_citations(str(MOVE_LABELS.get(str(name), name)))


PROFILE_FACT_LABELS = {
    "channels": _l("channels of transmission"),
    "cis_member": _l("CIS membership"),
    "formal_requirements": _l("formal requirements"),
    "interpol_member": _l("INTERPOL membership"),
    "official_languages": _l("official languages"),
    "request_languages": _l("languages accepted for requests"),
    "sco_member": _l("SCO membership"),
    "time_zone": _l("time zone"),
    "weekend_days": _l("weekend days"),
    "central_authority": _l("central authority"),
}


# The free-text fields a letter prints (request columns, measure columns, the signatory), by name.
FREE_TEXT_LABELS = {
    "requesting_authority": _l("Requesting authority"),
    "conducting_authority": _l("Conducting authority"),
    "addressee": _l("Addressee"),
    "subject_matter": _l("Subject matter"),
    "facts_summary": _l("Summary of the facts"),
    "offences": _l("Offences"),
    "dual_criminality_note": _l("Corresponding offence in the requested State"),
    "purpose": _l("Purpose"),
    "evidence_location_reason": _l("Why the evidence is in the requested State"),
    "deadline_reason": _l("Reason for the deadline"),
    "confidentiality_reason": _l("Reason for confidentiality"),
    "use_restrictions": _l("Limits on use"),
    "victim_protection": _l("Victim protection"),
    "contact_person": _l("Contact person"),
    "details": _l("What is asked"),
    "procedure": _l("Procedures and formalities"),
    "result_note": _l("Result of execution"),
    "signatory_name": _l("Signatory's name"),
    "signatory_position": _l("Signatory's position"),
}


def _free_text_field(name: object) -> str:
    return str(FREE_TEXT_LABELS.get(str(name), name))


def profile_facts(keys: object) -> str:
    """The names of a country profile's facts (weekend_days …) in the interface language."""
    names = keys if isinstance(keys, (list, tuple)) else str(keys).split(", ")
    return ", ".join(str(PROFILE_FACT_LABELS.get(key, key)) for key in names)


def language_name(code: str) -> str:
    """A language's name in the interface language, from CLDR: uz_Latn → «Узбекский (латиница)»."""
    try:
        name = Locale.parse(code).get_display_name(str(get_locale())) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def _language_names(codes: object) -> str:
    return ", ".join(language_name(code) for code in str(codes).split(", ") if code)


def _channel_name(code: object) -> str:
    channel = load_reference().channels.get(str(code))
    return ref_label(channel.labels) if channel else str(code)


# Parameters of domain messages that carry codes, shown by their names in the interface language.
_PARAM_NAMES = {"country": lambda iso2: country_name(str(iso2)), "facts": profile_facts,
                "language": _language_names, "accepted": _language_names, "channel": _channel_name,
                "place": _free_text_field}


def message_text(message: str, params: Mapping[str, object] | None = None) -> str:
    """A domain message (an N_ msgid) in the interface language, its placeholders filled."""
    text = gettext(message)
    if params:
        text = text % {key: _PARAM_NAMES[key](value) if key in _PARAM_NAMES else value
                       for key, value in params.items()}
    return isolate_citations(text)


def finding_text(finding: Finding) -> str:
    return message_text(finding.message, finding.params)
