"""Drafting letters from a request: what must be done first (a language the kind lacks, missing
translations, blocking completeness findings, missing wording), rendering, and storing each letter as a
new version with its warnings; listing and fetching them.

Three steps, so that no write lock is held while a document renders (ARCHITECTURE.md; TECH-NOTES §5):
gather_letter reads and checks, render_job renders (no database), store_letter writes. The web edge
ends its read transaction after the first; draft_letter runs all three in one session."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.documents.catalog import REQUEST_LETTERS, KindEntry, kinds_for, load_catalog
from mla.documents.compose import compose_columns
from mla.documents.context import LetterFacts, build_context, missing_wording
from mla.documents.draft import marked_as_draft, without_signature_line
from mla.documents.render import compiled, render_docx
from mla.domain.access import may_see, may_see_protected_identity
from mla.domain.checks import PROTECTED_NAME_IN_TEXT, Finding, Severity
from mla.domain.enums import Direction, LetterKind, Role
from mla.domain.errors import N_, AccessDenied, DomainError, StaleEdit
from mla.domain.parties import party_problems
from mla.domain.workflow import letter_is_draft
from mla.models import AssistanceRequest, Blob, GeneratedDocument, Office, User
from mla.reference.loader import load_reference
from mla.services.audit import record_event
from mla.services.letters.facts import letter_date, letter_facts, load_parts
from mla.services.letters.templates import DOCX_MEDIA_TYPE, TemplateSource, store_blob, template_source
from mla.services.letters.translations import missing_translations, signatory_of
from mla.services.persons.protected_names import name_leaks
from mla.services.requests.completeness import completeness

LAYOUTS = ("columns", "separate")
WRITERS = frozenset({Role.DRAFTER, Role.DESK, Role.MANAGER})


@dataclass(frozen=True)
class LetterProblem:
    """Something to do before the letter can be made; `link` says where: "edit#<field>",
    "translate:<language>#<field_key>", "request" or None."""

    message: str
    params: Mapping[str, str] = field(default_factory=dict)
    link: str | None = None


class LetterRefused(DomainError):
    """The letter cannot be made yet; `problems` lists everything to do. Nothing was stored."""

    def __init__(self, problems: list[LetterProblem]) -> None:
        super().__init__(N_("The letter cannot be generated yet: do what is listed below."))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class RenderedLetter:
    language: str
    second_language: str | None
    content: bytes
    template_version: str


@dataclass(frozen=True)
class LetterWarning:
    """What a letter's reader should check: `message` is an N_ msgid filled from `params`; `field_name`
    names the request form's field to correct, if any."""

    code: str
    message: str
    params: Mapping[str, str] = field(default_factory=dict)
    field_name: str | None = None

    def as_json(self) -> dict[str, object]:
        """As GeneratedDocument.warnings stores it (the stored key for the field is "field")."""
        return {"code": self.code, "message": self.message, "params": dict(self.params),
                "field": self.field_name}


@dataclass(frozen=True)
class LetterJob:
    """Everything needed to render a letter, read from the database: per language the template and
    its render context."""

    request_id: int
    request_version: int
    kind: LetterKind
    layout: str
    languages: tuple[str, ...]
    templates: tuple[TemplateSource, ...]
    contexts: tuple[dict[str, Any], ...]
    warnings: tuple[LetterWarning, ...]
    disclosed_persons: tuple[int, ...]
    is_draft: bool = False


@dataclass(frozen=True)
class PreparedLetter:
    """A rendered letter (one document, or two for separate bilingual output) not yet stored."""

    request_id: int
    request_version: int
    kind: LetterKind
    documents: tuple[RenderedLetter, ...]
    warnings: tuple[LetterWarning, ...]
    disclosed_persons: tuple[int, ...]


def _frame_problems(item: AssistanceRequest, kind: LetterKind, languages: list[str], layout: str,
                    entry: KindEntry) -> list[LetterProblem]:
    if kind not in kinds_for(item.direction, item.kind):
        return [LetterProblem(N_("This kind of letter is not written for this request."))]
    available = ", ".join(entry.languages)
    problems = [LetterProblem(N_("There is no template of this letter in %(language)s. Available: "
                                 "%(available)s."), {"language": lang, "available": available})
                for lang in languages if lang not in entry.languages]
    if len(languages) == 2 and languages[0] == languages[1]:
        problems.append(LetterProblem(N_("Choose a second language different from the first.")))
    if layout not in LAYOUTS:
        problems.append(LetterProblem(N_("Choose two columns or two documents for the bilingual letter.")))
    if kind == LetterKind.STATUS_ENQUIRY and not (item.transmitted_on and item.outgoing_number):
        problems.append(LetterProblem(N_("Record the transmission of the request (date and outgoing number) "
                                         "before writing a status enquiry."), link="request"))
    return problems


def _party_problems(session: Session, item: AssistanceRequest, home_iso2: str) -> list[LetterProblem]:
    """Whether the request's parties let the letter go from our authority to the partner's: our names
    are the home country's central authorities and our offices, the partner's its central authorities."""
    reference = load_reference()

    def names(iso2: str) -> list[str]:
        country = reference.countries.get(iso2)
        return [name for authority in (country.central_authorities if country else ())
                for name in authority.name.values()]

    ours = names(home_iso2) + list(session.scalars(select(Office.name)))
    found = party_problems(item.direction, item.requesting_authority, item.addressee, our_names=ours,
                           partner_names=names(item.country_iso2))
    return [LetterProblem(p.message, p.params, f"edit#{p.field_name}") for p in found]


def _language_problems(session: Session, item: AssistanceRequest, facts: LetterFacts, language: str,
                       entry: KindEntry, template: TemplateSource) -> list[LetterProblem]:
    """Translations the letter in `language` lacks, and words of the catalog it needs and has not."""
    problems = [LetterProblem(N_("Translate %(field)s into %(language)s."),
                              {"field": text.field, "number": str(text.measure_number or ""),
                               "language": language}, f"translate:{language}#{text.field_key}")
                for text in missing_translations(session, item, language, entry.fields)]
    problems += [LetterProblem(N_("Letters in %(language)s have no wording for %(code)s (%(section)s): an "
                                  "administrator must add it to letter_templates/texts/%(language)s.toml."),
                               {"language": language, "code": code, "section": section})
                 for section, code in missing_wording(facts, load_catalog().wordings[language],
                                                      compiled(template.data).variables)]
    return problems


def _finding_link(finding: Finding) -> str | None:
    """Where a blocking finding is put right: the request's replacement of protected names, or the
    request form's field."""
    if finding.code == PROTECTED_NAME_IN_TEXT:
        return "request#protected-names"
    return f"edit#{finding.field_name}" if finding.field_name else None


def _signatory(kind: LetterKind, item: AssistanceRequest, actor: User | None) -> User | None:
    """A request is signed by the official who approved it; other letters by the desk officer or
    manager writing them. A draft (a request not yet approved) is signed by no one."""
    if letter_is_draft(item.direction, item.stage):
        return None
    return item.approved_by if kind in REQUEST_LETTERS else signatory_of(item, actor)


def _warnings(item: AssistanceRequest, kind: LetterKind, languages: list[str], findings: tuple[Finding, ...],
              signatory: User | None) -> list[LetterWarning]:
    entry = load_catalog().kinds[kind]
    reference = load_reference()
    warnings = [LetterWarning(f.code, f.message, f.params, f.field_name) for f in findings
                if f.severity == Severity.WARNING]
    partner = reference.countries.get(item.country_iso2)
    for lang in languages:
        name = {"language": reference.languages[lang].name_en}
        if entry.needs_review[lang]:
            warnings.append(LetterWarning("needs_native_review", N_(
                "The %(language)s text of this letter has not yet been reviewed by a native legal "
                "translator."), name))
        if item.direction == Direction.OUTGOING and partner and lang not in partner.request_languages:
            warnings.append(LetterWarning("language_not_accepted", N_(
                "The requested State is not known to accept letters in %(language)s."), name))
    if letter_is_draft(item.direction, item.stage):
        warnings.append(LetterWarning("draft", N_(
            "The request is not approved yet: the letter is marked as a draft and has no signature.")))
    elif signatory is None:
        warnings.append(LetterWarning("no_signatory",
                                      N_("No approving official: the signature block is blank.")))
    return warnings


def _numbered(kind: LetterKind, item: AssistanceRequest, facts: LetterFacts) -> LetterFacts:
    """A request letter carries the number and date it was sent under once the transmission is recorded;
    any other letter (an enquiry, an acknowledgement, a cover letter) gets its own number at the registry."""
    if kind not in REQUEST_LETTERS:
        return facts
    return replace(facts, letter_number=item.outgoing_number or "", letter_sent_on=item.transmitted_on)


def _check_writer(actor: User | None, item: AssistanceRequest) -> None:
    if actor is None:
        return
    if actor.role not in WRITERS or not may_see(actor, item) or not (
            may_see_protected_identity(actor)):
        raise AccessDenied(N_("Your role does not allow generating letters for this request."))


def gather_letter(session: Session, *, actor: User | None, now: datetime, item: AssistanceRequest,
                  kind: LetterKind, language: str, home_iso2: str, second_language: str | None = None,
                  bilingual_layout: str = "columns") -> LetterJob:
    """Check and gather a letter without writing anything; LetterRefused lists what to do first."""
    _check_writer(actor, item)
    entry = load_catalog().kinds[kind]
    languages = [language, *([second_language] if second_language else [])]
    if problems := _frame_problems(item, kind, languages, bilingual_layout, entry):
        raise LetterRefused(problems)
    if problems := _party_problems(session, item, home_iso2):
        raise LetterRefused(problems)
    parts = load_parts(session, item)
    signatory = _signatory(kind, item, actor)
    # The §8.5 checks are about what a request asks; a chaser, an acknowledgement or a cover letter
    # carries only references and dates (whom it goes to is checked above, for every kind). Every letter
    # is kept from carrying a protected person's name in the free text it prints.
    findings = (completeness(session, item, home_iso2, entry.fields) if kind in REQUEST_LETTERS
                else name_leaks(session, item, entry.fields))
    problems = [LetterProblem(f.message, f.params, _finding_link(f)) for f in findings
                if f.severity == Severity.BLOCKING]
    facts = {lang: _numbered(kind, item, letter_facts(
        session, item, parts, language=lang, home_iso2=home_iso2, letter_on=letter_date(item, now),
        signatory=signatory)) for lang in languages}
    templates = {lang: template_source(session, kind, lang) for lang in languages}
    for lang in languages:
        problems += _language_problems(session, item, facts[lang], lang, entry, templates[lang])
    if problems:
        raise LetterRefused(problems)
    spec = load_reference().languages
    wordings = load_catalog().wordings
    contexts = tuple(build_context(facts[lang], spec[lang], wordings[lang]) for lang in languages)
    disclosed = tuple(p.id for p in parts.persons if p.is_protected and p.disclose_identity)
    return LetterJob(item.id, item.version, kind, bilingual_layout, tuple(languages),
                     tuple(templates[lang] for lang in languages), contexts,
                     tuple(_warnings(item, kind, languages, findings, signatory)), disclosed,
                     letter_is_draft(item.direction, item.stage))


def render_job(job: LetterJob) -> PreparedLetter:
    """Render the documents of a gathered letter; touches no database (RenderError if a template fails)."""
    rendered = [RenderedLetter(lang, None, render_docx(source.data, context), source.version)
                for lang, source, context in zip(job.languages, job.templates, job.contexts, strict=True)]
    if not job.is_draft:
        documents = _lay_out(rendered, job.layout)
    else:
        wordings = load_catalog().wordings
        unsigned = [replace(letter, content=without_signature_line(
            letter.content, wordings[letter.language].signature_line)) for letter in rendered]
        documents = tuple(_marked(letter) for letter in _lay_out(unsigned, job.layout))
    return PreparedLetter(job.request_id, job.request_version, job.kind, documents, job.warnings,
                          job.disclosed_persons)


def _marked(letter: RenderedLetter) -> RenderedLetter:
    """A draft: the mark, in each of its languages, heads every page."""
    wordings = load_catalog().wordings
    languages = [letter.language, *([letter.second_language] if letter.second_language else [])]
    content = marked_as_draft(letter.content, [wordings[lang].draft_mark for lang in languages],
                              is_rtl=load_reference().languages[letter.language].is_rtl)
    return replace(letter, content=content)


def _lay_out(rendered: list[RenderedLetter], layout: str) -> tuple[RenderedLetter, ...]:
    if len(rendered) == 1 or layout == "separate":
        return tuple(rendered)
    first, second = rendered
    spec = load_reference().languages
    content = compose_columns(first.content, second.content, first_is_rtl=spec[first.language].is_rtl,
                              second_is_rtl=spec[second.language].is_rtl)
    return (RenderedLetter(first.language, second.language, content,
                           f"{first.template_version} | {second.template_version}"[:80]),)


def store_letter(session: Session, *, actor: User | None, now: datetime,
                 prepared: PreparedLetter) -> tuple[GeneratedDocument, ...]:
    """Store each rendered document as a new version with its warnings, and audit it. Flushes only."""
    current = session.scalar(select(AssistanceRequest.version).where(
        AssistanceRequest.id == prepared.request_id).with_for_update())
    if current != prepared.request_version:
        raise StaleEdit(N_("The request was changed while the letter was being prepared; generate it again."))
    stored = []
    for document in prepared.documents:
        sha256 = store_blob(session, document.content, DOCX_MEDIA_TYPE)
        number = (session.scalar(select(func.max(GeneratedDocument.version_no)).where(
            GeneratedDocument.request_id == prepared.request_id,
            GeneratedDocument.letter_kind == prepared.kind,
            GeneratedDocument.language == document.language)) or 0) + 1
        letter = GeneratedDocument(
            request_id=prepared.request_id, letter_kind=prepared.kind, language=document.language,
            second_language=document.second_language, version_no=number,
            template_version=document.template_version, blob_sha256=sha256,
            warnings=[warning.as_json() for warning in prepared.warnings],
            created_by_id=actor.id if actor else None, created_at=now)
        session.add(letter)
        session.flush()
        record_event(session, actor=actor, now=now, action="letter.generate", object_type="letter",
                     object_id=letter.id, request_id=prepared.request_id, changes={
                         "kind": prepared.kind.value, "language": document.language,
                         "second_language": document.second_language, "version_no": number, "sha256": sha256,
                         "template_version": document.template_version,
                         "disclosed_persons": list(prepared.disclosed_persons)})
        stored.append(letter)
    return tuple(stored)


def draft_letter(session: Session, *, actor: User | None, now: datetime, item: AssistanceRequest,
                 kind: LetterKind, language: str, home_iso2: str, second_language: str | None = None,
                 bilingual_layout: str = "columns") -> tuple[GeneratedDocument, ...]:
    """The three steps in one session, for callers with no concurrent writers (the CLI, the demo)."""
    job = gather_letter(session, actor=actor, now=now, item=item, kind=kind, language=language,
                        home_iso2=home_iso2, second_language=second_language,
                        bilingual_layout=bilingual_layout)
    return store_letter(session, actor=actor, now=now, prepared=render_job(job))


class LetterRow(NamedTuple):
    document: GeneratedDocument
    creator_name: str | None
    size: int


def list_letters(session: Session, item: AssistanceRequest) -> list[LetterRow]:
    """Every letter generated for `request`, newest first, with who made it and its size."""
    rows = session.execute(
        select(GeneratedDocument, User.full_name, Blob.size)
        .join(Blob, Blob.sha256 == GeneratedDocument.blob_sha256)
        .outerjoin(User, User.id == GeneratedDocument.created_by_id)
        .where(GeneratedDocument.request_id == item.id)
        .order_by(GeneratedDocument.created_at.desc(), GeneratedDocument.id.desc()))
    return [LetterRow(*row) for row in rows]


def get_letter(session: Session, request_id: int, document_id: int) -> tuple[GeneratedDocument, Blob] | None:
    row = session.execute(
        select(GeneratedDocument, Blob).join(Blob, Blob.sha256 == GeneratedDocument.blob_sha256)
        .where(GeneratedDocument.id == document_id, GeneratedDocument.request_id == request_id)).first()
    return (row[0], row[1]) if row is not None else None


def letter_filename(document: GeneratedDocument, reference: str, extension: str = "docx") -> str:
    languages = "-".join(filter(None, (document.language, document.second_language)))
    return f"{reference}_{document.letter_kind.value}_{languages}_v{document.version_no}.{extension}"
