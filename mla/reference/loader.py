"""Owns loading and validating the versioned reference TOML files into frozen dataclasses."""

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

CONFIDENCES = frozenset({"T", "P", "B", "not found"})
STATUSES = frozenset({"party", "signatory", "not_party"})
TREATY_KINDS = frozenset({"convention", "bilateral", "mou", "agreement", "reciprocity"})
TREATY_SCOPES = frozenset({"mla", "police", "both"})
DIRECTIONS = frozenset({"ltr", "rtl"})
LABELS = ("en", "ru", "tg", "uz_Latn", "fa_AF")  # the interface locales (mla.catalogs.SHIPPED_LOCALES)
COUNTRY_FACT_KEYS = ("time_zone", "weekend_days", "official_languages", "request_languages",
                     "channels", "cis_member", "sco_member", "caricc_member", "interpol_member",
                     "formal_requirements")


class ReferenceError(ValueError):
    """Raised when a reference file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Fact:
    confidence: str
    source: str
    verified_on: str | None = None


@dataclass(frozen=True)
class Language:
    code: str
    babel_locale: str
    name_en: str
    name_native: str
    script: str
    direction: str

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"


@dataclass(frozen=True)
class Channel:
    code: str
    is_police: bool
    labels: Mapping[str, str]
    fact: Fact


@dataclass(frozen=True)
class Authority:
    name: Mapping[str, str]
    stage: str
    notes: str
    fact: Fact


@dataclass(frozen=True)
class CountryProfile:
    iso2: str
    iso3: str
    iso_numeric: str
    is_home: bool
    time_zone: str
    weekend_days: tuple[int, ...]
    holiday_calendar: str
    official_languages: tuple[str, ...]
    request_languages: tuple[str, ...]
    channels: tuple[str, ...]
    cis_member: bool
    sco_member: bool
    caricc_member: bool
    interpol_member: bool
    central_authorities: tuple[Authority, ...]
    formal_requirements: tuple[str, ...]
    notes: str
    facts: Mapping[str, Fact]

    @property
    def unverified_facts(self) -> tuple[str, ...]:
        return tuple(k for k, fact in self.facts.items() if fact.confidence in {"B", "not found"})


@dataclass(frozen=True)
class TreatyParty:
    country: str
    status: str
    in_force_on: str | None
    fact: Fact


@dataclass(frozen=True)
class OffenceScope:
    """The offence categories a treaty covers, and how sure that reading is."""

    categories: tuple[str, ...]
    fact: Fact


@dataclass(frozen=True)
class Treaty:
    code: str
    kind: str
    scope: str
    name: Mapping[str, str]
    citation: str
    basis_phrase: Mapping[str, str]
    fact: Fact
    parties: tuple[TreatyParty, ...]
    replaces: tuple[str, ...] = ()
    offences: OffenceScope | None = None  # None: criminal matters whatever the offence

    def covers(self, offence_category: str | None) -> bool:
        """Whether the treaty reaches this offence; with the offence not yet known, only a treaty that
        reaches every offence does."""
        return self.offences is None or offence_category in self.offences.categories

    def status_for(self, iso2: str) -> str:
        if self.kind == "reciprocity":
            return "party"
        return next((p.status for p in self.parties if p.country == iso2), "not_party")


@dataclass(frozen=True)
class AssistanceType:
    code: str
    untoc_ref: str
    is_coercive: bool
    police_channel_ok: bool
    labels: Mapping[str, str]
    fact: Fact


@dataclass(frozen=True)
class RefusalGround:
    code: str
    ref: str
    permitted: bool
    labels: Mapping[str, str]
    fact: Fact


@dataclass(frozen=True)
class OffenceCategory:
    code: str
    labels: Mapping[str, str]


@dataclass(frozen=True)
class ReferenceData:
    version: str
    languages: Mapping[str, Language]
    channels: Mapping[str, Channel]
    countries: Mapping[str, CountryProfile]
    treaties: Mapping[str, Treaty]
    assistance_types: Mapping[str, AssistanceType]
    refusal_grounds: Mapping[str, RefusalGround]
    offence_categories: Mapping[str, OffenceCategory]
    needs_native_review: Mapping[str, tuple[str, ...]]

    @property
    def home_iso2(self) -> str:
        """The home country: the one profile marked is_home (loading checks there is exactly one)."""
        return next(c.iso2 for c in self.countries.values() if c.is_home)

    def applicable_treaties(self, iso2_a: str, iso2_b: str) -> tuple[Treaty, ...]:
        """Treaties both States are party to, plus reciprocity, minus any a common one replaces."""
        common = [t for t in self.treaties.values()
                  if t.status_for(iso2_a) == "party" and t.status_for(iso2_b) == "party"]
        replaced = {code for t in common for code in t.replaces}
        return tuple(t for t in common if t.code not in replaced)


Table = Mapping[str, Any]  # each reader takes (table, key, at, refs) and returns the field value
_NEEDED: Any = object()


def _get(kind: type, t: Table, key: str, at: str, refs: Any = None, default: Any = _NEEDED) -> Any:
    """Read `key` of type `kind` from table `t`; giving a `default` makes the field optional."""
    if key not in t:
        if default is _NEEDED:
            raise ReferenceError(f"{at}: missing required field '{key}'")
        return default
    if not isinstance(t[key], kind):
        raise ReferenceError(f"{at}: field '{key}' must be {kind.__name__}, got {t[key]!r}")
    return t[key]


def _choice(allowed: frozenset[str] | str, t: Table, key: str, at: str, refs: Table) -> str:
    pool = refs[allowed] if isinstance(allowed, str) else allowed
    if (value := _get(str, t, key, at)) not in pool:
        raise ReferenceError(f"{at}: field '{key}' must be one of {sorted(pool)}, got {value!r}")
    return value


def _items(kind: type, known: str | range | None, t: Table, key: str, at: str, refs: Table,
           default: Any = _NEEDED) -> tuple[Any, ...]:
    """A list of `kind`; with `known`, each item must lie in that range or section."""
    values = _get(list, t, key, at, default=default)
    if not all(isinstance(v, kind) and not isinstance(v, bool) for v in values):
        raise ReferenceError(f"{at}: field '{key}' must list {kind.__name__}s, got {values!r}")
    pool = refs[known] if isinstance(known, str) else known
    if unknown := [v for v in values if pool is not None and v not in pool]:
        raise ReferenceError(f"{at}: field '{key}' has value(s) outside {known}: {unknown}")
    return tuple(values)


def _labels(required: tuple[str, ...], t: Table, key: str, at: str, refs: Table) -> dict[str, str]:
    labels = _get(dict, t, key, at)
    if [lang for lang in required if not labels.get(lang)] or not labels.keys() <= refs["languages"].keys():
        raise ReferenceError(f"{at}: field '{key}' needs text for {', '.join(required)}, "
                             f"keyed by known language codes; got {sorted(labels)}")
    return {lang: str(text) for lang, text in labels.items()}


def _fact(t: Table, key: str, at: str, refs: Table) -> Fact:
    confidence = _choice(CONFIDENCES, t, "confidence", at, refs)
    if not isinstance(source := t.get("source"), str) or not source.strip():
        raise ReferenceError(f"{at}: field 'source' is missing or empty; every fact needs one")
    return Fact(confidence, source, _get(str, t, "verified_on", at, default=None))


def _facts(t: Table, key: str, at: str, refs: Table) -> dict[str, Fact]:
    facts = _get(dict, t, key, at)
    return {name: _fact(_get(dict, facts, name, f"{at} {key}"), name, f"{at} {key}.{name}", refs)
            for name in dict.fromkeys((*COUNTRY_FACT_KEYS, *facts))}


def _nested(cls: type, t: Table, key: str, at: str, refs: Table, default: Any = _NEEDED) -> tuple:
    items = _get(list, t, key, at, default=default)
    return tuple(_make(cls, item, f"{at} {key}[{i}]", refs) for i, item in enumerate(items))


def _optional(cls: type, t: Table, key: str, at: str, refs: Table) -> Any:
    table = _get(dict, t, key, at, default=None)
    return None if table is None else _make(cls, table, f"{at} {key}", refs)


_STR = partial(_get, str)
_BOOL = partial(_get, bool)
_LABELS = partial(_labels, LABELS)
_SPECS: dict[type, dict[str, Callable[..., Any]]] = {
    Language: {"code": _STR, "babel_locale": _STR, "name_en": _STR, "name_native": _STR,
               "script": _STR, "direction": partial(_choice, DIRECTIONS)},
    Channel: {"code": _STR, "is_police": _BOOL, "labels": _LABELS, "fact": _fact},
    Authority: {"name": partial(_labels, ("en", "ru")), "stage": _STR,
                "notes": partial(_get, str, default=""), "fact": _fact},
    CountryProfile: {
        "iso2": _STR, "iso3": _STR, "iso_numeric": _STR, "is_home": _BOOL, "time_zone": _STR,
        "weekend_days": partial(_items, int, range(1, 8)), "holiday_calendar": _STR,
        "official_languages": partial(_items, str, "languages"),
        "request_languages": partial(_items, str, "languages"),
        "channels": partial(_items, str, "channels"), "cis_member": _BOOL, "sco_member": _BOOL,
        "caricc_member": _BOOL, "interpol_member": _BOOL,
        "central_authorities": partial(_nested, Authority),
        "formal_requirements": partial(_items, str, None), "notes": _STR, "facts": _facts},
    TreatyParty: {"country": partial(_choice, "countries"), "status": partial(_choice, STATUSES),
                  "in_force_on": partial(_get, str, default=None), "fact": _fact},
    Treaty: {"code": _STR, "kind": partial(_choice, TREATY_KINDS),
             "scope": partial(_choice, TREATY_SCOPES), "name": _LABELS,
             "citation": _STR, "basis_phrase": partial(_labels, ("en", "ru")), "fact": _fact,
             "parties": partial(_nested, TreatyParty, default=[]),
             "replaces": partial(_items, str, None, default=[]),
             "offences": partial(_optional, OffenceScope)},
    OffenceScope: {"categories": partial(_items, str, "offence_categories"), "fact": _fact},
    AssistanceType: {"code": _STR, "untoc_ref": _STR, "is_coercive": _BOOL,
                     "police_channel_ok": _BOOL, "labels": _LABELS, "fact": _fact},
    RefusalGround: {"code": _STR, "ref": _STR, "permitted": _BOOL, "labels": _LABELS,
                    "fact": _fact},
    OffenceCategory: {"code": _STR, "labels": _LABELS},
}
_FILES = (("languages", "language", Language), ("channels", "channel", Channel),
          ("countries", "country", CountryProfile),
          ("offence_categories", "offence_category", OffenceCategory), ("treaties", "treaty", Treaty),
          ("assistance_types", "assistance_type", AssistanceType),
          ("refusal_grounds", "refusal_ground", RefusalGround))


def _make(cls: type, t: Table, at: str, refs: Table) -> Any:
    toml_key = {"parties": "party"}  # dataclass field -> TOML key, where they differ
    return cls(**{n: read(t, toml_key.get(n, n), at, refs) for n, read in _SPECS[cls].items()})


def _section(doc: Table, stem: str, key: str, cls: type, refs: Table) -> dict[str, Any]:
    code_field = next(iter(_SPECS[cls]))
    result = {}
    for index, entry in enumerate(_get(list, doc, key, f"{stem}.toml")):
        code = _get(str, entry, code_field, f"{stem}.toml {key}[{index}]")
        if code in result:
            raise ReferenceError(f"{stem}.toml {key} '{code}': field '{code_field}' is duplicated")
        result[code] = _make(cls, entry, f"{stem}.toml {key} '{code}'", refs)
    return result


def _build(directory: Path) -> ReferenceData:
    docs: dict[str, Table] = {}
    for stem, _, _ in _FILES:
        try:
            docs[stem] = tomllib.loads((directory / f"{stem}.toml").read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ReferenceError(f"{stem}.toml: cannot be read: {exc}") from None
    versions = {stem: _get(str, doc, "version", f"{stem}.toml") for stem, doc in docs.items()}
    if len(set(versions.values())) != 1:
        raise ReferenceError(f"field 'version' differs between files: {versions}")
    data: dict[str, Any] = {}
    for stem, key, cls in _FILES:
        data[stem] = _section(docs[stem], stem, key, cls, data)
    if len(homes := [c.iso2 for c in data["countries"].values() if c.is_home]) != 1:
        raise ReferenceError(f"countries.toml: field 'is_home' must be true once, not for {homes}")
    for treaty in data["treaties"].values():
        at = f"treaties.toml treaty '{treaty.code}'"
        countries = [p.country for p in treaty.parties]
        _items(str, "treaties", {"replaces": list(treaty.replaces)}, "replaces", at, data)
        if len(set(countries)) != len(countries) or (treaty.kind == "reciprocity" and countries):
            raise ReferenceError(f"{at}: field 'party.country' duplicated, or set for reciprocity")
    review = {stem: _items(str, "languages", doc, "needs_native_review", f"{stem}.toml", data)
              for stem, doc in docs.items() if "needs_native_review" in doc}
    return ReferenceData(version=versions["languages"], needs_native_review=review, **data)


_load_packaged = cache(partial(_build, Path(__file__).resolve().parent))


def load_reference(directory: Path | None = None) -> ReferenceData:
    """Load the reference data; the packaged files are cached, a given directory is read afresh."""
    return _load_packaged() if directory is None else _build(Path(directory))
