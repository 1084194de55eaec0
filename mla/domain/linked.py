"""Owns what a linked request (a supplementary request, an MLA request converted from a police request)
inherits from the request it follows: its parties, case, facts and handling, and a channel, addressee and
legal bases that fit its own kind."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mla.domain.checks import ProfileChoices
from mla.reference.loader import ReferenceData

# The fields a linked request takes over one to one from the request it follows.
INHERITED_FIELDS = (
    "requesting_authority", "conducting_authority", "subject_matter", "facts_summary", "offences",
    "dual_criminality_note", "purpose", "drafting_language", "request_language", "victim_protection",
    "deadline_on", "deadline_reason", "is_confidential", "confidentiality_reason", "use_restrictions",
    "contact_person", "urgency", "handling_code",
)


@dataclass(frozen=True)
class Routing:
    """Where a linked request goes: its addressee, channel and legal bases."""

    addressee: str
    channel_code: str | None
    legal_bases: tuple[str, ...]


def inherit_routing(source: Routing, kind: str, profile: ProfileChoices, reference: ReferenceData) -> Routing:
    """The source's routing where it fits `kind`: a police channel (and the police addressee reached through
    it) does not carry a formal MLA request, nor does a treaty that does not cover the kind; what does not
    fit is taken from the partner's profile, as a new request of the kind would be."""
    channel = reference.channels.get(source.channel_code or "")
    fits = channel is not None and channel.is_police == (kind == "police")
    bases = _fitting_bases(source.legal_bases, kind, reference) or profile.ticked or profile.legal_bases[:1]
    if fits or (channel is None and source.addressee.strip()):
        return Routing(source.addressee, source.channel_code if fits else _first(profile.channels), bases)
    return Routing(profile.addressee or source.addressee, _first(profile.channels), bases)


def _fitting_bases(codes: Sequence[str], kind: str, reference: ReferenceData) -> tuple[str, ...]:
    return tuple(code for code in codes
                 if code in reference.treaties and reference.treaties[code].scope in {"both", kind})


def _first(codes: Sequence[str]) -> str | None:
    return codes[0] if codes else None
