"""Owns which letter template serves which kind and language (letter_templates/manifest.toml), the words a
letter fills in per language (texts/<language>.toml [vocabulary], with the reference data first), and
which kinds of letter apply to which requests."""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mla.domain.enums import Direction, LetterKind, RequestKind
from mla.domain.parties import LETTER_DIRECTION
from mla.reference.loader import ReferenceData, load_reference

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "letter_templates"
REQUEST_LETTERS = frozenset({LetterKind.MLA_REQUEST, LetterKind.POLICE_REQUEST,
                             LetterKind.SUPPLEMENTARY_REQUEST})
# Which requests each kind of letter is written for: the direction (domain.parties) and the kinds.
_REQUEST_KINDS: Mapping[LetterKind, frozenset[RequestKind]] = {
    LetterKind.MLA_REQUEST: frozenset({RequestKind.MLA}),
    LetterKind.POLICE_REQUEST: frozenset({RequestKind.POLICE}),
}
APPLIES_TO: Mapping[LetterKind, tuple[Direction, frozenset[RequestKind]]] = {
    kind: (direction, _REQUEST_KINDS.get(kind, frozenset(RequestKind)))
    for kind, direction in LETTER_DIRECTION.items()
}
VOCABULARY_SECTIONS = ("person_role", "case_stage", "measure_status", "person", "assistance_type",
                       "basis_phrase")


class CatalogError(ValueError):
    """The manifest or a texts file is missing or malformed."""


@dataclass(frozen=True)
class KindEntry:
    kind: LetterKind
    template_version: str
    fields: tuple[str, ...]
    needs_review: Mapping[str, bool]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.needs_review)


@dataclass(frozen=True)
class Wording:
    """The words of one language that letters fill in: labels of roles, stages, statuses, person
    particulars, assistance types, and the legal-basis phrase of each treaty."""

    language: str
    person_role: Mapping[str, str]
    case_stage: Mapping[str, str]
    measure_status: Mapping[str, str]
    person: Mapping[str, str]
    assistance_type: Mapping[str, str]
    basis_phrase: Mapping[str, str]
    draft_mark: str = ""
    signature_line: str = ""


@dataclass(frozen=True)
class Catalog:
    version: str
    variables: frozenset[str]
    kinds: Mapping[LetterKind, KindEntry]
    directory: Path
    wordings: Mapping[str, Wording]

    def template_path(self, kind: LetterKind, language: str) -> Path:
        return self.directory / kind.value / f"{language}.docx"

    def shipped_template(self, kind: LetterKind, language: str) -> bytes:
        return self.template_path(kind, language).read_bytes()

    def languages(self) -> tuple[str, ...]:
        """Every language some kind has a template in, in manifest order."""
        return tuple(dict.fromkeys(lang for entry in self.kinds.values() for lang in entry.languages))


def kinds_for(direction: Direction, request_kind: RequestKind) -> tuple[LetterKind, ...]:
    """The kinds of letter that can be written for a request of this direction and kind."""
    return tuple(kind for kind, (wanted, kinds) in APPLIES_TO.items()
                 if wanted == direction and request_kind in kinds)


def _kind_entry(code: str, entry: Mapping[str, Any]) -> KindEntry:
    try:
        kind = LetterKind(code)
        languages = {lang: bool(flags["needs_native_review"]) for lang, flags in entry["languages"].items()}
        return KindEntry(kind, str(entry["template_version"]), tuple(entry["fields"]), languages)
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"manifest.toml kinds.{code}: {exc!r}") from None


def _wording(language: str, texts: Mapping[str, Any], reference: ReferenceData) -> Wording:
    """The texts file's vocabulary, with the reference data's own labels and phrases taking precedence;
    the mark of a draft and the signature line a draft goes without, from its common texts."""
    vocabulary = texts.get("vocabulary", {})
    common = texts.get("common", {})
    sections = {name: dict(vocabulary.get(name, {})) for name in VOCABULARY_SECTIONS}
    for code, assistance in reference.assistance_types.items():
        if assistance.labels.get(language):
            sections["assistance_type"][code] = assistance.labels[language]
    for code, treaty in reference.treaties.items():
        if treaty.basis_phrase.get(language):
            sections["basis_phrase"][code] = treaty.basis_phrase[language]
    return Wording(language=language, draft_mark=str(common.get("draft_mark", "")),
                   signature_line=str(common.get("sign_seal", "")), **sections)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path.name}: cannot be read: {exc}") from None


def _build(directory: Path) -> Catalog:
    manifest = _read_toml(directory / "manifest.toml")
    kinds = {entry.kind: entry for entry in
             (_kind_entry(code, body) for code, body in manifest.get("kinds", {}).items())}
    if missing := [kind.value for kind in LetterKind if kind not in kinds]:
        raise CatalogError(f"manifest.toml: no entry for {', '.join(missing)}")
    reference = load_reference()
    languages = dict.fromkeys(lang for entry in kinds.values() for lang in entry.languages)
    if unknown := [lang for lang in languages if lang not in reference.languages]:
        raise CatalogError(f"manifest.toml: languages not in the reference data: {', '.join(unknown)}")
    wordings = {lang: _wording(lang, _read_toml(directory / "texts" / f"{lang}.toml"),
                               reference) for lang in languages}
    return Catalog(version=str(manifest.get("version", "")),
                   variables=frozenset(manifest.get("shared", {}).get("variables", ())),
                   kinds=kinds, directory=directory, wordings=wordings)


_load_packaged = cache(lambda: _build(TEMPLATES_DIR))


def load_catalog(directory: Path | None = None) -> Catalog:
    """The catalog of the shipped templates (cached), or of another directory (read afresh)."""
    return _load_packaged() if directory is None else _build(Path(directory))
