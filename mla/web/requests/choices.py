"""Choice lists of the request forms, in the interface language, with what the partner's
country profile proposes first and what it rules out marked as such."""
from __future__ import annotations

from flask_babel import gettext as _

from mla.db import db_session
from mla.domain.checks import ProfileChoices, profile_choices
from mla.domain.enums import CaseStage, LinkKind, RequestKind, Urgency
from mla.i18n import country_name, isolate_citations, label, language_name, ref_label
from mla.models import CountryProfile
from mla.reference.loader import load_reference
from mla.services.accounts.directory import list_executors, list_offices
from mla.services.reference_lists import list_country_codes, list_offence_categories, list_refusal_grounds

HANDLING_CODES = ("", "P", "C", "H0", "H1", "H2", "H3")
Choices = list[tuple[str, str]]


def partner_countries() -> Choices:
    rows = list_country_codes(db_session(), partners_only=True)
    return sorted(((iso2, country_name(iso2)) for iso2 in rows), key=lambda pair: pair[1])


def profile_for(country: str | None, kind: RequestKind, offence_category: str | None = None
                ) -> ProfileChoices | None:
    if not country or db_session().get(CountryProfile, country) is None:
        return None
    reference = load_reference()
    return profile_choices(country, kind.value, reference.home_iso2, reference, offence_category)


def _marked(options: Choices, proposed: tuple[str, ...] | None, country: str | None) -> Choices:
    """Proposed options first; the others marked as ruled out by the partner's profile."""
    if proposed is None:
        return options
    note = _("not accepted by %(country)s", country=country_name(country or ""))
    first = [(code, text) for code, text in options if code in proposed]
    rest = [(code, f"{text} — {note}") for code, text in options if code not in proposed]
    return first + rest


def channels(profile: ProfileChoices | None, country: str | None) -> Choices:
    options = [(code, ref_label(c.labels)) for code, c in load_reference().channels.items()]
    return [("", "—")] + _marked(options, profile.channels if profile else None, country)


def languages(profile: ProfileChoices | None, country: str | None) -> Choices:
    options = [(code, language_name(code)) for code in load_reference().languages]
    return [("", "—")] + _marked(options, profile.languages if profile else None, country)


def drafting_languages() -> Choices:
    """Every language of the reference data: the free text may be typed in any of them."""
    return [(code, language_name(code)) for code in load_reference().languages]


def legal_bases(profile: ProfileChoices | None, country: str | None) -> Choices:
    options = [(code, ref_label(t.name)) for code, t in load_reference().treaties.items()]
    return _marked(options, profile.legal_bases if profile else None, country)


def offence_categories() -> Choices:
    rows = list_offence_categories(db_session())
    return [("", "—")] + [(row.code, ref_label(row.labels)) for row in rows]


def refusal_grounds() -> Choices:
    rows = list_refusal_grounds(db_session())
    return [("", "—")] + [(row.code, isolate_citations(f"{ref_label(row.labels)} ({row.ref})"))
                          for row in rows]


def offices() -> Choices:
    rows = list_offices(db_session(), active_only=True)
    return [(row.code, f"{row.code} — {row.name}") for row in rows]


def executors() -> Choices:
    """Active drafters and desk officers, "name (office code)"."""
    rows = list_executors(db_session())
    return [("", "—")] + [(str(uid), f"{name} ({code or '-'})") for uid, name, code in rows]


def case_stages() -> Choices:
    return [(stage.value, label(stage)) for stage in CaseStage]


def urgencies() -> Choices:
    return [(urgency.value, label(urgency)) for urgency in Urgency]


def link_kinds() -> Choices:
    return [(kind.value, label(kind)) for kind in (LinkKind.REPLY, LinkKind.RELATED, LinkKind.SUPPLEMENTARY)]
