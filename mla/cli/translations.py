"""`mla translations extract|update|compile|check`: keeping the interface's catalogs whole."""
from __future__ import annotations

import click

from mla.catalogs import (
    SHIPPED_LOCALES,
    TRANSLATIONS_DIR,
    compile_catalogs,
    extract,
    gaps,
    po_path,
    read_catalog,
    update,
    write_catalog,
)

TEMPLATE_PATH = TRANSLATIONS_DIR / "messages.pot"


@click.group("translations", help="The interface's message catalogs (translations/).")
def translations() -> None:
    """Catalog commands."""


@translations.command("extract", help="Write translations/messages.pot from the code and templates.")
def extract_command() -> None:
    template = extract()
    write_catalog(template, TEMPLATE_PATH)
    click.echo(f"{len(template)} messages written to {TEMPLATE_PATH}.")


@translations.command("update", help="Extract, then merge the new strings into every locale's catalog.")
def update_command() -> None:
    template = extract()
    write_catalog(template, TEMPLATE_PATH)
    for locale, catalog in update(template).items():
        missing = sum(1 for gap in gaps(catalog, locale))
        click.echo(f"{locale}: {len(catalog)} messages, {missing} to translate or review.")


@translations.command("compile", help="Compile every catalog into the .mo file the app reads.")
def compile_command() -> None:
    for path in compile_catalogs():
        click.echo(f"compiled {path.relative_to(TRANSLATIONS_DIR)}")


@translations.command("check", help="List untranslated, fuzzy or missing strings; exit 1 if any.")
def check_command() -> None:
    template = extract()
    problems = [gap for locale in SHIPPED_LOCALES
                for gap in gaps(read_catalog(po_path(locale), locale), locale, template)]
    for gap in problems:
        click.echo(str(gap))
    if problems:
        raise click.ClickException(f"{len(problems)} catalog entries need work.")
    click.echo(f"All {len(SHIPPED_LOCALES)} catalogs are complete ({len(template)} messages).")
