"""`mla check-templates` (every letter template against the manifest) and `mla render-letter` (one
letter of a request to a file, stored as a new version like any generated letter)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.cli.support import command_app, utc_now
from mla.db import get_database
from mla.documents.catalog import Catalog, CatalogError, load_catalog
from mla.documents.validation import check_template
from mla.domain.enums import LetterKind
from mla.domain.errors import DomainError
from mla.models import AssistanceRequest, Blob
from mla.reference.loader import load_reference
from mla.services.letters.drafting import LetterRefused, draft_letter


def check_templates(directory: Path | None = None, echo: Callable[[str], None] = print) -> int:
    """Check every template the manifest lists, and that no .docx lies outside it; 0 when all pass."""
    try:
        catalog: Catalog = load_catalog(directory)
    except CatalogError as exc:
        echo(f"manifest: {exc}")
        return 1
    failures = 0
    for kind, entry in catalog.kinds.items():
        for language in entry.languages:
            path = catalog.template_path(kind, language)
            name = f"{kind.value}/{language}.docx"
            if not path.is_file():
                echo(f"FAIL {name}: the file is missing")
                failures += 1
                continue
            problems = check_template(path.read_bytes(), language=language, catalog=catalog)
            failures += bool(problems)
            reasons = "".join(f"\n     - {problem.text()}" for problem in problems)
            echo(f"{'FAIL' if problems else 'ok  '} {name}{reasons}")
    listed = {catalog.template_path(kind, lang) for kind, e in catalog.kinds.items() for lang in e.languages}
    for stray in sorted(set(catalog.directory.glob("*/*.docx")) - listed):
        echo(f"FAIL {stray.relative_to(catalog.directory)}: not listed in manifest.toml")
        failures += 1
    echo(f"{failures} template(s) failed." if failures else "All templates passed.")
    return 1 if failures else 0


def render_letter(session: Session, *, now: datetime, reference: str, kind: str, language: str,
                  second_language: str | None, output: Path, separate: bool = False) -> list[Path]:
    """Generate a letter of the request `reference` as the system (no user), store it as a new version
    and write it to `output` (with separate bilingual documents, the second beside it with its language
    in the name). Raises LookupError for an unknown request, ValueError for an unknown kind and
    DomainError (LetterRefused) for what must be done first. The caller commits."""
    try:
        letter_kind = LetterKind(kind)
    except ValueError:
        raise ValueError(f"unknown kind {kind!r}; one of: {', '.join(k.value for k in LetterKind)}") from None
    item = session.scalar(select(AssistanceRequest).where(AssistanceRequest.reference == reference))
    if item is None:
        raise LookupError(f"no request with the reference {reference!r}")
    documents = draft_letter(session, actor=None, now=now, item=item, kind=letter_kind, language=language,
                             home_iso2=load_reference().home_iso2, second_language=second_language,
                             bilingual_layout="separate" if separate else "columns")
    written = []
    for number, document in enumerate(documents):
        name = f"{output.stem}.{document.language}{output.suffix}"
        target = output if number == 0 else output.with_name(name)
        target.write_bytes(session.get_one(Blob, document.blob_sha256).content)  # the foreign key keeps it
        written.append(target)
    return written


@click.command("check-templates", help="Check every letter template against letter_templates/manifest.toml.")
def check_templates_command() -> None:
    sys.exit(check_templates(echo=click.echo))


@click.command("render-letter",
               help="Generate a letter of a request into a .docx file (stored as a new version).")
@click.option("--request", "reference", required=True)
@click.option("--kind", required=True, type=click.Choice([k.value for k in LetterKind]))
@click.option("--lang", "language", required=True)
@click.option("--bilingual", "second_language", default=None)
@click.option("--separate", is_flag=True, help="With --bilingual: two documents instead of two columns.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def render_letter_command(reference: str, kind: str, language: str, second_language: str | None,
                          separate: bool, output: Path) -> None:
    with get_database(command_app()).session_factory() as session:
        try:
            written = render_letter(session, now=utc_now(), reference=reference, kind=kind, language=language,
                                    second_language=second_language, output=output, separate=separate)
        except LetterRefused as exc:
            problems = "".join(f"\n  - {p.message % p.params} [{p.link or ''}]" for p in exc.problems)
            raise click.ClickException(str(exc) + problems) from None
        except (LookupError, ValueError, DomainError) as exc:
            raise click.ClickException(str(exc)) from None
        session.commit()
    for path in written:
        click.echo(f"Wrote {path}")


COMMANDS = (check_templates_command, render_letter_command)
