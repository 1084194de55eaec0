"""The interface catalogs: complete, compiled, consistent with the glossary, and actually used."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from babel import localedata
from babel.messages.catalog import Catalog
from babel.support import Translations
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm

import mla.web
from mla.catalogs import (
    SHIPPED_LOCALES,
    SOURCE_LOCALE,
    TRANSLATIONS_DIR,
    extract,
    gaps,
    mo_bytes,
    po_path,
    read_catalog,
)
from mla.domain.enums import Role
from mla.i18n import UI_LOCALES
from mla.web.forms import AppForm

TRANSLATED = [locale for locale in SHIPPED_LOCALES if locale != SOURCE_LOCALE]
GLOSSARY_DIR = TRANSLATIONS_DIR / "glossary"


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


def catalog_of(locale: str) -> Catalog:
    return read_catalog(po_path(locale), locale)


def translator(locale: str) -> Translations:
    return Translations.load(str(TRANSLATIONS_DIR), [locale])


def test_the_interface_offers_exactly_the_shipped_locales() -> None:
    assert set(UI_LOCALES) == set(SHIPPED_LOCALES)
    for locale in SHIPPED_LOCALES:
        assert localedata.exists(locale), locale


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_catalog_is_complete(locale: str, template: Catalog) -> None:
    """No untranslated, fuzzy or broken entry, and every extracted string is in the catalog."""
    problems = [str(gap) for gap in gaps(catalog_of(locale), locale, template)]
    assert problems == [], f"{len(problems)} problems, first ones: {problems[:15]}"


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_compiled_catalog_matches_its_source(locale: str) -> None:
    """The committed .mo is what `mla translations compile` makes of the .po."""
    compiled = po_path(locale).with_suffix(".mo")
    assert compiled.exists(), f"run `mla translations compile` ({compiled} is missing)"
    assert compiled.read_bytes() == mo_bytes(catalog_of(locale)), "run `mla translations compile`"


def test_extraction_finds_strings_the_catalogs_do_not_have(tmp_path: Path) -> None:
    """The check that guards the catalogs can fail: a new string is reported as missing."""
    (tmp_path / "mla").mkdir()
    (tmp_path / "mla" / "page.py").write_text('_("A brand new button")\n')
    found = extract(tmp_path)
    problems = [gap.problem for gap in gaps(catalog_of("ru"), "ru", found)]
    assert any("missing from the catalog" in problem for problem in problems)


def _glossary(locale: str) -> dict:
    return tomllib.loads((GLOSSARY_DIR / f"{locale}.toml").read_text(encoding="utf-8"))["terms"]


@pytest.mark.parametrize("locale", TRANSLATED)
def test_glossary_names_every_term(locale: str) -> None:
    english = _glossary(SOURCE_LOCALE)
    own = _glossary(locale)
    assert set(own) == set(english)
    for key, entry in own.items():
        assert entry.get("term"), (locale, key)
        assert entry.get("stem") or entry.get("stems"), (locale, key)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_uses_the_glossary_terms(locale: str) -> None:
    """One concept, one term: every string that names a glossary term uses that term's stem."""
    english, own, catalog = _glossary(SOURCE_LOCALE), _glossary(locale), catalog_of(locale)
    off = []
    for key, source in english.items():
        if source.get("enforce") is False:
            continue
        entry = own[key]
        stems = [s.casefold() for s in entry.get("stems", [entry.get("stem")]) if s]
        pattern = re.compile(source["match"])
        for message in catalog:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            if not msgid or not pattern.search(msgid) or msgid in entry.get("exceptions", []):
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(any(stem in text.casefold() for stem in stems) for text in strings if text):
                off.append(f"{key}: {msgid!r} -> {strings[0]!r}")
    assert off == [], f"{len(off)} entries do not use the glossary term: {off[:10]}"


def test_russian_plurals_have_three_forms() -> None:
    t = translator("ru")
    forms = {t.ngettext("%(num)d day left", "%(num)d days left", n) % {"num": n} for n in (1, 3, 5)}
    assert len(forms) == 3


def test_every_form_takes_its_messages_from_the_catalogs() -> None:
    """WTForms ships no Tajik, Uzbek or Dari: a form outside AppForm would answer in English."""
    import pkgutil
    from importlib import import_module

    for module in pkgutil.walk_packages(mla.web.__path__, "mla.web."):
        import_module(module.name)

    def subclasses(cls: type) -> set[type]:
        return {cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))}

    ours = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("mla.")]
    assert ours
    assert [cls.__name__ for cls in ours if not issubclass(cls, AppForm)] == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_pages_speak_the_chosen_language(client: FlaskClient, locale: str) -> None:
    page = client.get(f"/sign-in?lang={locale}").get_data(as_text=True)
    t = translator(locale)
    assert t.gettext("Sign in") != "Sign in"
    assert t.gettext("Sign in") in page
    assert f'lang="{locale.replace("_", "-")}"' in page


@pytest.mark.parametrize("locale", ["tg", "uz_Latn", "fa_AF", "ru"])
def test_form_errors_come_in_the_interface_language(client: FlaskClient, locale: str) -> None:
    client.get(f"/sign-in?lang={locale}")
    page = client.post("/sign-in", data={"email": "", "password": ""}).get_data(as_text=True)
    required = translator(locale).gettext("This field is required.")
    assert required != "This field is required."
    assert required in page


def test_dari_pages_run_right_to_left(client: FlaskClient) -> None:
    page = client.get("/sign-in?lang=fa_AF").get_data(as_text=True)
    assert 'dir="rtl"' in page and "bootstrap.rtl.min.css" in page


def test_dates_and_country_names_follow_the_interface_language(
    client: FlaskClient, login_as: Callable, make_request: Callable, app: Flask
) -> None:
    login_as(Role.DESK)
    item = make_request(country="KZ")
    page = client.get("/requests/?lang=ru").get_data(as_text=True)
    assert "Казахстан" in page
    page = client.get(f"/requests/{item.id}?lang=tg").get_data(as_text=True)
    assert "Қазоқистон" in page


def test_a_user_keeps_the_language_chosen_in_the_page(client: FlaskClient, login_as: Callable,
                                                       db_session) -> None:
    user = login_as(Role.DESK)
    page = client.get("/requests/?lang=tg").get_data(as_text=True)
    assert 'data-testid="save-language"' in page
    response = client.post("/language", data={"locale": "tg", "next": "/requests/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/requests/")
    db_session.refresh(user)
    assert user.locale == "tg"
    client.get("/requests/?lang=ru")
    with client.session_transaction() as flask_session:
        flask_session.pop("lang")
    page = client.get("/requests/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="tg"' in page, "the saved preference comes before the browser's language"


def test_an_unknown_language_is_refused_with_a_message(client: FlaskClient, login_as: Callable,
                                                       db_session) -> None:
    user = login_as(Role.DRAFTER)
    response = client.post("/language", data={"locale": "xx", "next": "https://evil.example/"},
                           follow_redirects=True)
    assert response.status_code == 200 and "evil" not in response.request.url
    db_session.refresh(user)
    assert user.locale != "xx"


def test_codes_in_messages_are_shown_by_name(app: Flask) -> None:
    from mla.i18n import message_text

    with app.test_request_context("/?lang=ru"):
        text = message_text(
            "%(country)s accepts requests in %(accepted)s, not in %(language)s (UNTOC 18(14)).",
            {"country": "KZ", "accepted": "ru, kk", "language": "en"})
        facts = message_text(
            "Some facts in the profile of %(country)s are not verified: %(facts)s. Check them "
            "before relying on them.", {"country": "AF", "facts": "weekend_days, time_zone"})
    assert "Казахстан" in text and "Русский, Казахский" in text and "Английский" in text
    assert "KZ" not in text
    assert "Афганистан" in facts and "weekend_days" not in facts
