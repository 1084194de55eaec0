"""Tests for the versioned reference data (mla/reference/*.toml) and its loader."""

import dataclasses
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest
from babel import Locale, localedata

from mla.catalogs import SHIPPED_LOCALES
from mla.i18n import UI_LOCALES
from mla.reference import loader
from mla.reference.loader import ReferenceError, load_reference

REF = load_reference()
DATA_DIR = Path(loader.__file__).resolve().parent
LABEL_LANGUAGES = SHIPPED_LOCALES
PICKLISTS = {
    "channels": REF.channels,
    "assistance_types": REF.assistance_types,
    "refusal_grounds": REF.refusal_grounds,
    "offence_categories": REF.offence_categories,
}


# --- languages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("language", REF.languages.values(), ids=lambda lang: lang.code)
def test_language_locale_exists_and_direction_matches_cldr(language: loader.Language) -> None:
    assert localedata.exists(language.babel_locale)
    assert Locale.parse(language.babel_locale).text_direction == language.direction
    assert language.is_rtl == (language.direction == "rtl")


def test_dari_uses_fa_af_and_there_is_no_prs() -> None:
    assert REF.languages["fa_AF"].babel_locale == "fa_AF"
    assert all("prs" not in lang.babel_locale for lang in REF.languages.values())


# --- countries ---------------------------------------------------------------------------------

COUNTRIES = list(REF.countries.values())


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda c: c.iso2)
def test_country_time_zone_is_valid(country: loader.CountryProfile) -> None:
    assert ZoneInfo(country.time_zone).key == country.time_zone


@pytest.mark.parametrize("country", [c for c in COUNTRIES if c.holiday_calendar], ids=lambda c: c.iso2)
def test_country_holiday_calendar_works(country: loader.CountryProfile) -> None:
    assert len(holidays.country_holidays(country.holiday_calendar, years=2026)) > 0


@pytest.mark.parametrize(
    ("iso2", "weekend"),
    [("AF", (5,)), ("IR", (5,)), ("IQ", (5, 6)), ("BD", (5, 6)), ("TJ", (6, 7)), ("RU", (6, 7))],
)
def test_weekend_days(iso2: str, weekend: tuple[int, ...]) -> None:
    assert REF.countries[iso2].weekend_days == weekend


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda c: c.iso2)
def test_country_cross_references_resolve(country: loader.CountryProfile) -> None:
    assert country.request_languages
    assert set(country.official_languages) <= REF.languages.keys()
    assert set(country.request_languages) <= REF.languages.keys()
    assert set(country.channels) <= REF.channels.keys()
    assert any(not REF.channels[code].is_police for code in country.channels)
    assert set(loader.COUNTRY_FACT_KEYS) <= country.facts.keys()
    assert len(country.iso3) == 3 and len(country.iso_numeric) == 3 and country.iso_numeric.isdigit()


@pytest.mark.parametrize(
    ("iso2", "channel"), [("IQ", "direct"), ("AF", "direct"), ("BD", "central_authority")]
)
def test_channel_not_accepted(iso2: str, channel: str) -> None:
    assert channel not in REF.countries[iso2].channels
    assert "diplomatic" in REF.countries[iso2].channels


def test_tajikistan_is_the_only_home_country() -> None:
    assert [c.iso2 for c in COUNTRIES if c.is_home] == ["TJ"]


def test_unverified_facts_lists_b_and_not_found() -> None:
    iran = REF.countries["IR"]
    assert "time_zone" in iran.unverified_facts
    assert "formal_requirements" in iran.unverified_facts
    assert "sco_member" not in iran.unverified_facts


# --- treaties ----------------------------------------------------------------------------------

@pytest.mark.parametrize("iso2", ["UZ", "TM", "RU"])
def test_chisinau_not_party(iso2: str) -> None:
    assert REF.treaties["chisinau_2002"].status_for(iso2) != "party"


def test_iran_not_party_to_untoc() -> None:
    assert REF.treaties["untoc"].status_for("IR") == "signatory"


@pytest.mark.parametrize(
    ("pair", "present", "absent"),
    [
        (("TJ", "RU"), {"minsk_1993", "untoc", "reciprocity"}, {"chisinau_2002"}),
        (("TJ", "KZ"), {"minsk_1993"}, {"chisinau_2002"}),
        (("KZ", "KG"), {"chisinau_2002"}, {"minsk_1993"}),
        (("TJ", "UZ"), {"minsk_1993", "uz_tj_pgo_2018"}, {"chisinau_2002"}),
        (("TJ", "IR"), {"reciprocity", "ir_tj_pgo_2021"}, {"untoc", "minsk_1993"}),
        (("TJ", "AF"), {"untoc", "reciprocity"}, {"minsk_1993", "cis_mvd_1992"}),
    ],
)
def test_applicable_treaties(pair: tuple[str, str], present: set[str], absent: set[str]) -> None:
    codes = {treaty.code for treaty in REF.applicable_treaties(*pair)}
    assert present <= codes
    assert not absent & codes


def test_status_for_reciprocity_and_unknown_country() -> None:
    assert REF.treaties["reciprocity"].status_for("XX") == "party"
    assert REF.treaties["untoc"].status_for("XX") == "not_party"


@pytest.mark.parametrize("iso2", ["TJ", "KZ", "KG", "UZ", "TM"])
def test_minsk_party_list_stays_background(iso2: str) -> None:
    party = next(p for p in REF.treaties["minsk_1993"].parties if p.country == iso2)
    assert (party.status, party.fact.confidence) == ("party", "B")


@pytest.mark.parametrize("iso2", ["AF", "PK", "IQ", "IR", "BD", "TR"])
def test_non_cis_states_are_not_party_to_minsk(iso2: str) -> None:
    assert REF.treaties["minsk_1993"].status_for(iso2) == "not_party"


@pytest.mark.parametrize("treaty", REF.treaties.values(), ids=lambda t: t.code)
def test_treaty_has_basis_phrase_in_english_and_russian(treaty: loader.Treaty) -> None:
    assert treaty.basis_phrase["en"] and treaty.basis_phrase["ru"]
    assert all(treaty.name[lang] for lang in LABEL_LANGUAGES)


# --- picklists ---------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["bank_secrecy", "fiscal_only"])
def test_not_permitted_refusal_grounds(code: str) -> None:
    assert REF.refusal_grounds[code].permitted is False


def test_other_refusal_grounds_are_permitted() -> None:
    permitted = {c for c, g in REF.refusal_grounds.items() if g.permitted}
    assert permitted == set(REF.refusal_grounds) - {"bank_secrecy", "fiscal_only"}


@pytest.mark.parametrize("item", REF.assistance_types.values(), ids=lambda a: a.code)
def test_coercive_measures_are_never_police_channel(item: loader.AssistanceType) -> None:
    assert not (item.is_coercive and item.police_channel_ok)


@pytest.mark.parametrize("name", PICKLISTS)
def test_picklist_labels_and_review_flag(name: str) -> None:
    for entry in PICKLISTS[name].values():
        assert all(entry.labels[lang] for lang in LABEL_LANGUAGES)
    assert REF.needs_native_review[name] == ("tg", "uz_Latn", "fa_AF")


def test_the_loader_requires_labels_in_every_interface_locale() -> None:
    assert set(loader.LABELS) == set(SHIPPED_LOCALES) == set(UI_LOCALES)
    assert REF.needs_native_review["treaties"] == ("tg", "uz_Latn", "fa_AF")


LOCALISED = [(f"{name} {code}", entry.labels) for name, items in PICKLISTS.items()
             for code, entry in items.items()]
LOCALISED += [(f"treaties {code}", treaty.name) for code, treaty in REF.treaties.items()]


@pytest.mark.parametrize(("where", "texts"), LOCALISED, ids=[where for where, _ in LOCALISED])
@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_every_label_and_treaty_name_is_written_in_every_interface_locale(
        where: str, texts: dict[str, str], locale: str) -> None:
    text = texts.get(locale, "")
    assert text.strip(), f"{where}: no {locale} text, so the page would fall back to another language"
    assert locale in {"ru", "tg"} or not any("\u0400" <= char <= "\u04ff" for char in text)


@pytest.mark.parametrize(("where", "texts"), LOCALISED, ids=[where for where, _ in LOCALISED])
def test_dari_and_uzbek_labels_use_their_own_letters(where: str, texts: dict[str, str]) -> None:
    assert not set(texts["fa_AF"]) & {"\u064a", "\u0643"}, "Dari writes Persian ی and ک"
    assert not set(texts["uz_Latn"]) & {"'", "\u2018", "\u2019", "`"}, "Uzbek writes oʻ gʻ (U+02BB)"


def test_packaged_data_is_cached_and_frozen() -> None:
    assert load_reference() is REF
    with pytest.raises(dataclasses.FrozenInstanceError):
        REF.countries["TJ"].time_zone = "UTC"  # type: ignore[misc]


# --- broken fixtures ---------------------------------------------------------------------------

BROKEN = [
    ("missing_key", "languages.toml", 'babel_locale = "en"\n', "", r"languages\.toml.*'en'.*babel_locale"),
    ("duplicate_code", "languages.toml", 'code = "ru"', 'code = "en"',
     r"languages\.toml.*'en'.*code.*duplicated"),
    ("unknown_language", "countries.toml", 'request_languages = ["tg", "ru"]',
     'request_languages = ["tg", "xx"]', r"countries\.toml.*'TJ'.*request_languages.*xx"),
    ("unknown_channel", "countries.toml", 'channels = ["diplomatic", "police_ncb"]',
     'channels = ["diplomatic", "carrier_pigeon"]', r"countries\.toml.*'AF'.*channels.*carrier_pigeon"),
    ("unknown_country", "treaties.toml", 'country = "TR"', 'country = "ZZ"', r"treaties\.toml.*country.*ZZ"),
    ("bad_confidence", "channels.toml", 'confidence = "T"', 'confidence = "probably"',
     r"channels\.toml.*central_authority.*confidence.*probably"),
    ("missing_source", "countries.toml",
     'source = "background knowledge; verify (IANA time zone database)"\n', "",
     r"countries\.toml.*'TJ'.*facts\.time_zone.*source"),
    ("missing_fact", "countries.toml", "[country.facts.sco_member]", "[country.facts.sco_membership]",
     r"countries\.toml.*'TJ'.*facts.*sco_member'"),
    ("weekend_out_of_range", "countries.toml", "weekend_days = [5]", "weekend_days = [8]",
     r"countries\.toml.*'AF'.*weekend_days.*8"),
    ("version_mismatch", "offence_categories.toml", 'version = "2026-11-23"', 'version = "2025-01-01"',
     r"version.*offence_categories.*2025-01-01"),
    ("bad_direction", "languages.toml", 'direction = "rtl"', 'direction = "up"',
     r"languages\.toml.*'fa_AF'.*direction.*up"),
    ("bad_status", "treaties.toml", 'status = "signatory"', 'status = "maybe"', r"treaties\.toml.*status"),
    ("unknown_replaced_treaty", "treaties.toml", 'replaces = ["minsk_1993"]', 'replaces = ["minsk_1994"]',
     r"treaties\.toml.*chisinau_2002.*replaces.*minsk_1994"),
    ("missing_label", "refusal_grounds.toml", ', fa_AF = "دلیل دیگر" }', " }",
     r"refusal_grounds\.toml.*'other'.*labels.*fa_AF.*got \['en', 'ru', 'tg', 'uz_Latn'\]"),
    ("missing_treaty_name", "treaties.toml", ', uz_Latn = "Oʻzarolik tamoyili (oʻzarolik kafolati)"', "",
     r"treaties\.toml.*'reciprocity'.*name.*uz_Latn.*got \['en', 'fa_AF', 'ru', 'tg'\]"),
    ("unknown_covered_offence", "treaties.toml", 'categories = ["smuggling_of_migrants", "document_fraud"]',
     'categories = ["smuggling_of_migrants", "piracy"]',
     r"treaties\.toml.*'som_protocol'.*offences.*categories.*piracy"),
    ("covered_offences_without_source", "treaties.toml",
     'categories = ["money_laundering"], confidence = "B", source = "UNCAC',
     'categories = ["money_laundering"], confidence = "B", sauce = "UNCAC',
     r"treaties\.toml.*'uncac'.*offences.*source"),
    ("wrong_type", "assistance_types.toml", "is_coercive = true", 'is_coercive = "yes"',
     r"assistance_types\.toml.*is_coercive.*bool"),
    ("unknown_label_language", "offence_categories.toml", 'uz_Latn = "Boshqa jinoyat"',
     'uz_Cyrl_XX = "Boshqa jinoyat"', r"offence_categories\.toml.*'other'.*labels.*uz_Cyrl_XX"),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_broken_fixture_raises(tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    for toml in DATA_DIR.glob("*.toml"):
        shutil.copy(toml, tmp_path)
    text = (tmp_path / file).read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {file}"
    (tmp_path / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ReferenceError, match=message):
        load_reference(tmp_path)


def test_missing_file_raises(tmp_path: Path) -> None:
    for toml in DATA_DIR.glob("*.toml"):
        if toml.name != "refusal_grounds.toml":
            shutil.copy(toml, tmp_path)
    with pytest.raises(ReferenceError, match=r"refusal_grounds\.toml"):
        load_reference(tmp_path)


def test_explicit_directory_is_not_cached(tmp_path: Path) -> None:
    for toml in DATA_DIR.glob("*.toml"):
        shutil.copy(toml, tmp_path)
    first = load_reference(tmp_path)
    assert first is not load_reference(tmp_path)
    assert first == load_reference(tmp_path)
