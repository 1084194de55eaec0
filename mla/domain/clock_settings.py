"""How long each clock runs: the defaults of mla/reference/clock_rules.toml and its overrides per
country and per urgency, validated when read and merged by `setting_for`."""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from mla.domain.deadlines import FIXED_DATE_KINDS
from mla.domain.enums import ClockKind, Counting, Urgency
from mla.domain.workflow import MACHINES
from mla.reference.loader import CONFIDENCES, ReferenceError, load_reference

RULES_FILE = Path(__file__).resolve().parent.parent / "reference" / "clock_rules.toml"
MACHINE_KEYS = frozenset(machine.key for machine in MACHINES.values())


@dataclass(frozen=True)
class ClockSetting:
    """The length of one clock; `days` has one entry per clock in a series (status enquiries)."""

    days: tuple[int, ...]
    counting: Counting
    confidence: str
    source: str
    verified_on: str | None = None


@dataclass(frozen=True)
class ClockSettings:
    version: str
    defaults: Mapping[tuple[str, ClockKind], ClockSetting]
    by_country: Mapping[tuple[str, str, ClockKind], Mapping[str, Any]]
    by_urgency: Mapping[tuple[Urgency, str, ClockKind], Mapping[str, Any]]

    def setting_for(self, machine: str, kind: ClockKind, iso2: str, urgency: Urgency) -> ClockSetting | None:
        """The merged setting, or None when this machine has no such clock."""
        setting = self.defaults.get((machine, kind))
        if setting is None:
            return None
        for override in (self.by_country.get((iso2, machine, kind)),
                         self.by_urgency.get((Urgency(urgency), machine, kind))):
            if override:
                setting = replace(setting, **override)
        return setting


def _days(value: object, kind: ClockKind, at: str) -> tuple[int, ...]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        raise ReferenceError(f"{at}: field 'days' must be a whole number of 0 or more, or a list of them")
    if (kind == ClockKind.STATUS_ENQUIRY) != isinstance(value, list) or values != sorted(set(values)):
        raise ReferenceError(f"{at}: field 'days' must be a rising list for status_enquiry only")
    return tuple(values)


def _fields(table: Mapping[str, Any], kind: ClockKind, at: str, *, complete: bool) -> dict[str, Any]:
    unknown = set(table) - {"days", "counting", "confidence", "source", "verified_on"}
    if unknown:
        raise ReferenceError(f"{at}: unknown field(s) {sorted(unknown)}")
    if table.get("confidence") not in CONFIDENCES or not str(table.get("source", "")).strip():
        raise ReferenceError(f"{at}: every entry needs a confidence mark and a source")
    if complete and not {"days", "counting"} <= set(table):
        raise ReferenceError(f"{at}: a default needs 'days' and 'counting'")
    fields: dict[str, Any] = {"confidence": table["confidence"], "source": table["source"],
                              "verified_on": table.get("verified_on")}
    if "days" in table:
        fields["days"] = _days(table["days"], kind, at)
    if "counting" in table:
        if table["counting"] not in set(Counting):
            raise ReferenceError(f"{at}: field 'counting' must be one of {sorted(Counting)}")
        fields["counting"] = Counting(table["counting"])
    return fields


def _entries(section: Mapping[str, Any], at: str) -> dict[tuple[str, ClockKind], Mapping[str, Any]]:
    """The <machine>.<clock> tables of one section, keys checked."""
    result: dict[tuple[str, ClockKind], Mapping[str, Any]] = {}
    for machine, clocks in section.items():
        if machine not in MACHINE_KEYS or not isinstance(clocks, dict):
            raise ReferenceError(f"{at}: '{machine}' is not one of {sorted(MACHINE_KEYS)}")
        for kind, table in clocks.items():
            if kind not in set(ClockKind) or kind in FIXED_DATE_KINDS:
                raise ReferenceError(f"{at}.{machine}: '{kind}' is not a clock this file can set")
            result[(machine, ClockKind(kind))] = table
    return result


def parse_settings(document: Mapping[str, Any], countries: frozenset[str]) -> ClockSettings:
    """Validate a parsed clock_rules document; overrides must override an existing default."""
    defaults = {key: ClockSetting(**_fields(table, key[1], f"defaults.{key[0]}.{key[1]}", complete=True))
                for key, table in _entries(document.get("defaults", {}), "defaults").items()}
    by_country: dict[tuple[str, str, ClockKind], Mapping[str, Any]] = {}
    for iso2, section in document.get("country", {}).items():
        if iso2 not in countries:
            raise ReferenceError(f"country.{iso2}: not a country of countries.toml")
        for (machine, kind), table in _entries(section, f"country.{iso2}").items():
            by_country[(iso2, machine, kind)] = _fields(table, kind, f"country.{iso2}", complete=False)
    by_urgency: dict[tuple[Urgency, str, ClockKind], Mapping[str, Any]] = {}
    for urgency, section in document.get("urgency", {}).items():
        if urgency not in set(Urgency):
            raise ReferenceError(f"urgency.{urgency}: must be one of {sorted(Urgency)}")
        for (machine, kind), table in _entries(section, f"urgency.{urgency}").items():
            by_urgency[(Urgency(urgency), machine, kind)] = _fields(table, kind, f"urgency.{urgency}",
                                                                     complete=False)
    orphans = {key[1:] for key in (*by_country, *by_urgency)} - set(defaults)
    if orphans:
        raise ReferenceError(f"overrides without a default: {sorted(orphans)}")
    return ClockSettings(str(document.get("version", "")), defaults, by_country, by_urgency)


def read_settings(path: Path) -> ClockSettings:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceError(f"{path.name}: cannot be read: {exc}") from None
    return parse_settings(document, frozenset(load_reference().countries))


@cache
def clock_settings() -> ClockSettings:
    """The packaged clock settings, read once per process."""
    return read_settings(RULES_FILE)
