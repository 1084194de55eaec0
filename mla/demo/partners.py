"""Whom the demo's requests name as the partner's authority."""
from __future__ import annotations

from mla.demo.data import PARTNERS
from mla.models import CountryProfile


def partner_authority(profile: CountryProfile) -> dict[str, str]:
    """The partner's authority the demo's requests name, by language: the profile's first central
    authority, or the demo's own where the reference data names none."""
    named = PARTNERS[profile.iso2].authority
    if named is not None:
        return named
    return dict(profile.central_authorities[0]["name"])
