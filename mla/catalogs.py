"""The interface's message catalogs: extract the strings, merge them into each locale's .po,
compile the .mo files the app reads, and list what a shipped catalog still lacks."""
from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
# The interface's locales; "en" is the source language, its catalog copies each msgid.
SHIPPED_LOCALES = ("ru", "tg", "uz_Latn", "en", "fa_AF")
SOURCE_LOCALE = "en"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "N_": None, "N_plural": (1, 2), "pgettext": ((1, "c"), 2), "lazy_ngettext": (1, 2)}
METHOD_MAP = [("mla/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
PROJECT = "MLA tracker"


def po_path(locale: str, root: Path = TRANSLATIONS_DIR) -> Path:
    return root / locale / "LC_MESSAGES" / "messages.po"


def extract(root: Path = PROJECT_ROOT) -> Catalog:
    """Every user-facing string of the code and the templates, with where it is used."""
    catalog = Catalog(project=PROJECT, charset="utf-8", creation_date=datetime(2026, 1, 1, tzinfo=UTC))
    found = extract_from_dir(str(root), METHOD_MAP, keywords=KEYWORDS, comment_tags=("Translators:",),
                             strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_previous=True)
    path.write_bytes(buffer.getvalue())


def _fill_source(catalog: Catalog) -> None:
    """The English catalog says what the msgid says: it is complete by construction."""
    for message in catalog:
        if not message.id:
            continue
        message.string = tuple(message.id) if message.pluralizable else message.id
        message.flags.discard("fuzzy")


def update(template: Catalog, root: Path = TRANSLATIONS_DIR,
           locales: Iterable[str] = SHIPPED_LOCALES) -> dict[str, Catalog]:
    """Merge the extracted template into each locale's catalog (creating missing ones)."""
    merged = {}
    for locale in locales:
        path = po_path(locale, root)
        if path.exists():
            catalog = read_catalog(path, locale)
        else:
            catalog = Catalog(locale=locale, project=PROJECT, charset="utf-8", fuzzy=False,
                              last_translator="MLA tracker team", language_team=f"{locale} <mla-tracker>")
        # update() adopts the template's Message objects: give each locale its own copies.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        if locale == SOURCE_LOCALE:
            _fill_source(catalog)
        write_catalog(catalog, path)
        merged[locale] = catalog
    return merged


def compile_catalogs(root: Path = TRANSLATIONS_DIR, locales: Iterable[str] = SHIPPED_LOCALES) -> list[Path]:
    written = []
    for locale in locales:
        catalog = read_catalog(po_path(locale, root), locale)
        target = po_path(locale, root).with_suffix(".mo")
        target.write_bytes(mo_bytes(catalog))
        written.append(target)
    return written


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


@dataclass(frozen=True)
class Gap:
    locale: str
    msgid: str
    problem: str

    def __str__(self) -> str:
        return f"{self.locale}: {self.problem}: {self.msgid!r}"


def _is_untranslated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return not all(strings)


def gaps(catalog: Catalog, locale: str, expected: Catalog | None = None) -> Iterator[Gap]:
    """What keeps a shipped catalog from being complete: untranslated or fuzzy entries,
    broken placeholders, and (given the extracted template) strings it does not have."""
    for message in catalog:
        if not message.id:
            continue
        text = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            yield Gap(locale, text, "fuzzy")
        elif _is_untranslated(message):
            yield Gap(locale, text, "untranslated")
            continue
        for error in message.check(catalog):
            yield Gap(locale, text, f"placeholder error ({error})")
    if expected is not None:
        for message in expected:
            if message.id and message.id not in catalog:
                text = message.id if isinstance(message.id, str) else message.id[0]
                yield Gap(locale, text, "missing from the catalog (run `mla translations update`)")
