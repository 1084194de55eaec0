"""UI locales, the locale selector and its documented order, and lazy labels for enums.

Locale order: an explicit choice in the page (?lang=, remembered in the session) → the
user's saved preference → the browser's Accept-Language → the configured default (ru).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, request, session
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mla.catalogs import TRANSLATIONS_DIR
from mla.domain.access import AuditValueAccess
from mla.domain.checks import Finding
from mla.domain.enums import (
    CaseStage,
    Direction,
    MeasureStatus,
    PersonRole,
    RequestKind,
    Role,
    Stage,
    Urgency,
)
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
        country_name=country_name,
        ref_label=ref_label,
        move_label=move_label,
        finding_text=finding_text,
        profile_facts=profile_facts,
        language_name=language_name,
    )


ROLE_LABELS = {
    Role.DRAFTER: _l("Drafter"),
    Role.DESK: _l("International cooperation desk"),
    Role.TRANSLATOR: _l("Translator"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Administrator"),
}
DIRECTION_LABELS = {Direction.OUTGOING: _l("Outgoing"), Direction.INCOMING: _l("Incoming")}
KIND_LABELS = {
    RequestKind.MLA: _l("Mutual legal assistance"),
    RequestKind.POLICE: _l("Police-to-police"),
}
STAGE_LABELS = {
    Stage.DRAFT: _l("Draft"),
    Stage.INTERNAL_REVIEW: _l("Internal review"),
    Stage.RETURNED_FOR_CORRECTION: _l("Returned for correction"),
    Stage.APPROVED: _l("Approved"),
    Stage.TRANSLATION: _l("In translation"),
    Stage.READY_TO_SEND: _l("Ready to send"),
    Stage.SENT: _l("Sent"),
    Stage.RECEIVED: _l("Received"),
    Stage.REGISTERED: _l("Registered"),
    Stage.ACKNOWLEDGED: _l("Acknowledged"),
    Stage.FORMAL_CHECK: _l("Formal check"),
    Stage.SUBSTANTIVE_CHECK: _l("Substantive check"),
    Stage.ADDITIONAL_INFO_REQUESTED: _l("Additional information requested"),
    Stage.ADDITIONAL_INFO_SENT: _l("Additional information sent"),
    Stage.CONSULTATION: _l("Consultation"),
    Stage.CONDITIONS_PROPOSED: _l("Conditions proposed"),
    Stage.CONDITIONS_ACCEPTED: _l("Conditions accepted"),
    Stage.CONDITIONS_DECLINED: _l("Conditions declined"),
    Stage.ASSIGNED: _l("Assigned for execution"),
    Stage.POSTPONED: _l("Postponed"),
    Stage.IN_EXECUTION: _l("In execution"),
    Stage.PARTIALLY_EXECUTED: _l("Partially executed"),
    Stage.EXECUTED: _l("Executed"),
    Stage.EVIDENCE_CERTIFIED: _l("Evidence certified"),
    Stage.RETURNED: _l("Results returned"),
    Stage.ANSWERED: _l("Answered"),
    Stage.PARTIALLY_ANSWERED: _l("Partially answered"),
    Stage.DECLINED: _l("Declined"),
    Stage.CONVERTED_TO_MLA: _l("Converted to an MLA request"),
    Stage.CANNOT_KEEP_CONFIDENTIAL: _l("Confidentiality cannot be kept"),
    Stage.REFUSED: _l("Refused"),
    Stage.WITHDRAWN: _l("Withdrawn"),
    Stage.CLOSED: _l("Closed"),
}
PERSON_ROLE_LABELS = {
    PersonRole.SUSPECT: _l("Suspect"),
    PersonRole.ACCUSED: _l("Accused"),
    PersonRole.VICTIM: _l("Victim"),
    PersonRole.WITNESS: _l("Witness"),
    PersonRole.EXPERT: _l("Expert"),
    PersonRole.LEGAL_PERSON: _l("Legal person"),
}
MEASURE_STATUS_LABELS = {
    MeasureStatus.PENDING: _l("Pending"),
    MeasureStatus.EXECUTED: _l("Executed"),
    MeasureStatus.PARTIALLY_EXECUTED: _l("Partially executed"),
    MeasureStatus.REFUSED: _l("Refused"),
}
URGENCY_LABELS = {Urgency.NORMAL: _l("Normal"), Urgency.URGENT: _l("Urgent")}
CASE_STAGE_LABELS = {
    CaseStage.PRE_TRIAL: _l("Pre-trial investigation"),
    CaseStage.PROSECUTION: _l("Prosecution"),
    CaseStage.TRIAL: _l("Trial"),
    CaseStage.EXECUTION: _l("Execution of sentence"),
}
# What the audit trail shows instead of a value its reader may not see.
AUDIT_VALUE_LABELS = {
    AuditValueAccess.HIDDEN_REQUEST: _l("hidden: you may not see this request"),
    AuditValueAccess.PROTECTED: _l("protected identity"),
}
_LABELS: dict[type[StrEnum], dict] = {
    Role: ROLE_LABELS,
    Direction: DIRECTION_LABELS,
    RequestKind: KIND_LABELS,
    Stage: STAGE_LABELS,
    PersonRole: PERSON_ROLE_LABELS,
    MeasureStatus: MEASURE_STATUS_LABELS,
    Urgency: URGENCY_LABELS,
    CaseStage: CASE_STAGE_LABELS,
    AuditValueAccess: AUDIT_VALUE_LABELS,
}


def label(member: StrEnum) -> str:
    """The translated label of an enum member, for templates: {{ label(request.stage) }}."""
    return str(_LABELS[type(member)][member])


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
                "language": _language_names, "accepted": _language_names, "channel": _channel_name}


def message_text(message: str, params: Mapping[str, object] | None = None) -> str:
    """A domain message (an N_ msgid) in the interface language, its placeholders filled."""
    text = gettext(message)
    if params:
        text = text % {key: _PARAM_NAMES[key](value) if key in _PARAM_NAMES else value
                       for key, value in params.items()}
    return isolate_citations(text)


def finding_text(finding: Finding) -> str:
    return message_text(finding.message, finding.params)
