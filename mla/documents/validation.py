"""Owns the checks a letter template must pass before it is used (`mla check-templates` and uploads):
it unpacks to a sane size (checked before anything opens it); it is a Word file; no tag is split across
paragraphs or shares its paragraph with text docxtpl would drop; it compiles under the sandbox; it uses
only the variables the manifest allows and no internal attribute; it renders hostile values (& < > ",
Jinja syntax, very long text, every script) without losing a paragraph and exactly as docxtpl's own
engine does; right-to-left templates carry their bidi settings and a complex-script font that has
every letter of the language."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from jinja2 import TemplateError, meta, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from lxml import etree

from mla.documents.catalog import Catalog, load_catalog
from mla.documents.context import LetterFacts, MeasureEntry, PersonEntry, build_context
from mla.documents.render import (
    ENV,
    RenderError,
    read_entries,
    render_docx,
    render_docx_stock,
    template_sources,
)
from mla.domain.errors import N_
from mla.domain.filetypes import MAX_UNPACKED_BYTES, unpacks_too_far
from mla.reference.loader import load_reference

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_PAIRS = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))
_OWN_PARAGRAPH_TAG = re.compile(r"\{%-?\s*(p|tr|tc)\s")
# Complex-script fonts that have every letter of the language (TECH-NOTES §1, checked with fontTools;
# Windows' Times New Roman and Arial also carry Arabic and Persian).
CS_FONTS = {
    "fa_AF": {"Noto Naskh Arabic", "Noto Sans Arabic", "Times New Roman", "Arial"},
    "fa": {"Noto Naskh Arabic", "Noto Sans Arabic", "Times New Roman", "Arial"},
    "ar": {"Noto Naskh Arabic", "Noto Sans Arabic", "Times New Roman", "Arial"},
    "ps": {"Noto Naskh Arabic", "Noto Sans Arabic"},
    "ur": {"Noto Nastaliq Urdu", "Noto Naskh Arabic"},
}
HOSTILE = 'Smith & Sons <Ltd> "quoted" \'single\' {{ 7*7 }} {% if true %}x{% endif %} </w:t></w:r>'
PLAIN = "\u27e6value\u27e7"  # a value the template prints shows as this in the plain sample
SCRIPTS = ("Рахимов Ҷамшед Қодирович ғӣқӯҳҷ · Oʻzbekiston · Қазақстан әғқңөұүһі · Кыргызстан өңү · "
           "دری: درخواست شماره ۱۲ · پښتو: ځښټډړږڼۍې · اردو: ٹڈڑںےھ · العربية · فارسی")


@dataclass(frozen=True)
class TemplateProblem:
    """One reason a template is refused: `message` is an N_ msgid, its placeholders in `params`."""

    message: str
    params: Mapping[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return self.message % dict(self.params) if self.params else self.message


def sample_facts(*, hostile: bool) -> LetterFacts:
    """A letter with every field filled: plain values, or values built to break a careless template."""
    text = f"{HOSTILE}\n{SCRIPTS}\n" + "long text " * 400 if hostile else PLAIN
    name = HOSTILE if hostile else PLAIN
    person = PersonEntry(role="suspect", name_original=name, name_latin=name, name_cyrillic=name,
                         birth_date=date(1990, 1, 2), nationality="TJ", address=text, id_documents=name)
    protected = PersonEntry(role="victim", name_original=name, is_protected=True, pseudonym="P-1")
    measure = MeasureEntry(assistance_type="statement", details=text, procedure=text, status="executed",
                           result_note=text)
    day = date(2026, 11, 23)
    return LetterFacts(
        direction="outgoing", reference="OUT-MLA-2026-0001", country_iso2="KZ", home_iso2="TJ", letter_on=day,
        drafting_language="ru", sender=name, recipient=name, partner_reference=name, outgoing_number=name,
        case_number=name, case_stage="pre_trial", conducting_authority=text, legal_bases=("untoc",),
        subject_matter=text, facts_summary=text, offences=text, dual_criminality_note=text, purpose=text,
        evidence_location_reason=text, is_urgent=True, deadline_on=day, deadline_reason=text,
        is_confidential=True, confidentiality_reason=text, use_restrictions=text, victim_protection=text,
        contact_person=text, handling_code="H2", transmitted_on=day, received_on=day, acknowledged_on=day,
        original_reference=name, original_outgoing_number=name, original_sent_on=day, signatory_name=name,
        signatory_position=text, persons=(person, protected), measures=(measure, measure))


def _paragraph_texts(xml: bytes) -> Iterator[str]:
    root = etree.fromstring(xml)
    for paragraph in root.iter(f"{{{W}}}p"):
        yield "".join(paragraph.itertext())


def _layout_problems(entries: tuple[tuple[zipfile.ZipInfo, bytes], ...]) -> list[TemplateProblem]:
    problems = []
    for info, raw in entries:
        if not _TEXT_PARTS.match(info.filename):
            continue
        for text in _paragraph_texts(raw):
            snippet = text.strip()[:80]
            if any(text.count(opener) != text.count(closer) for opener, closer in _PAIRS):
                problems.append(TemplateProblem(N_(
                    "A tag starts in one paragraph and ends in another, near \u201c%(text)s\u201d: retype it "
                    "on one line, without pressing Enter inside it."), {"text": snippet}))
            elif (match := _OWN_PARAGRAPH_TAG.search(text)) and len(
                    re.sub(r"\{%.*?%\}", "", text).strip()) > 0:
                problems.append(TemplateProblem(N_(
                    "The paragraph with the tag {%%%(tag)s ...%%} also holds other text, which would be "
                    "lost: \u201c%(text)s\u201d. Put the tag in a paragraph of its own."),
                    {"tag": match.group(1), "text": snippet}))
    return problems


def _code_problems(sources: Mapping[str, str], allowed: frozenset[str]) -> list[TemplateProblem]:
    problems = []
    for source in sources.values():
        try:
            tree = ENV.parse(source)
        except TemplateSyntaxError as exc:
            near = re.sub(r"<[^>]+>", "", "".join(source.splitlines()[max(exc.lineno - 2, 0):exc.lineno + 1]))
            problems.append(TemplateProblem(N_("The template has a syntax error (%(error)s) near "
                                               "\u201c%(text)s\u201d."),
                                            {"error": exc.message or "", "text": near.strip()[:120]}))
            continue
        unknown = sorted(meta.find_undeclared_variables(tree) - allowed)
        if unknown:
            problems.append(TemplateProblem(N_("The template uses variables that letters do not have: "
                                               "%(names)s."), {"names": ", ".join(unknown)}))
        private = sorted({node.attr for node in tree.find_all(nodes.Getattr) if node.attr.startswith("_")}
                         | {str(node.arg.value) for node in tree.find_all(nodes.Getitem)
                            if isinstance(node.arg, nodes.Const) and str(node.arg.value).startswith("_")})
        if private:
            problems.append(TemplateProblem(N_("The template reaches into internal attributes (%(names)s), "
                                               "which is forbidden."), {"names": ", ".join(private)}))
    return problems


def _paragraph_count(docx: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return len(etree.fromstring(archive.read("word/document.xml")).findall(f".//{{{W}}}p"))


def _visible_text(docx: bytes) -> list[str]:
    document = Document(io.BytesIO(docx))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return texts


def _render_problems(data: bytes, language: str, catalog: Catalog) -> list[TemplateProblem]:
    spec = load_reference().languages[language]
    wording = catalog.wordings[language]
    plain = build_context(sample_facts(hostile=False), spec, wording)
    hostile = build_context(sample_facts(hostile=True), spec, wording)
    try:
        rendered = render_docx(data, plain)
        attacked = render_docx(data, hostile)
        stock = render_docx_stock(data, plain)
    except SecurityError as exc:
        return [TemplateProblem(N_("The template tries something the sandbox forbids: %(error)s."),
                                {"error": str(exc)})]
    except UndefinedError as exc:
        return [TemplateProblem(N_("The template uses something letters do not have: %(error)s."),
                                {"error": str(exc)})]
    except (TemplateError, RenderError) as exc:
        return [TemplateProblem(N_("The template cannot be rendered: %(error)s."), {"error": str(exc)})]
    problems = []
    printed = sum(text.count(PLAIN) for text in _visible_text(rendered))
    if _paragraph_count(attacked) != _paragraph_count(rendered) or printed > sum(
            text.count(HOSTILE) for text in _visible_text(attacked)):
        problems.append(TemplateProblem(N_("Values containing & < > \" or template code change the letter "
                                           "(paragraphs lost or text altered).")))
    if _visible_text(stock) != _visible_text(rendered):
        problems.append(TemplateProblem(N_("The template renders differently with docxtpl's own engine; "
                                           "simplify the tags (one tag per run, no tags inside fields).")))
    return problems


def _rtl_problems(entries: Mapping[str, bytes], language: str) -> list[TemplateProblem]:
    ns = {"w": W}
    document = etree.fromstring(entries["word/document.xml"])
    styles = etree.fromstring(entries["word/styles.xml"])
    normal = styles.find("w:style[@w:default='1'][@w:type='paragraph']", ns)
    normal_bidi = normal is not None and normal.find("w:pPr/w:bidi", ns) is not None
    text_paragraphs = [p for p in document.iter(f"{{{W}}}p")
                       if "".join(p.itertext()).strip() and "{%" not in "".join(p.itertext())]
    problems = []
    if not normal_bidi and any(p.find("w:pPr/w:bidi", ns) is None for p in text_paragraphs):
        problems.append(TemplateProblem(N_("Paragraphs are not set right-to-left (w:bidi): use Word's "
                                           "right-to-left paragraph button on the Normal style.")))
    if document.find("w:body/w:sectPr/w:bidi", ns) is None:
        problems.append(TemplateProblem(N_("The section is not set right-to-left (w:bidi in the page "
                                           "setup).")))
    if any(table.find("w:tblPr/w:bidiVisual", ns) is None for table in document.iter(f"{{{W}}}tbl")):
        problems.append(TemplateProblem(N_("A table is not set right-to-left (w:bidiVisual).")))
    fonts = normal.find("w:rPr/w:rFonts", ns) if normal is not None else None
    font = fonts.get(f"{{{W}}}cs", "") if fonts is not None else ""
    if font not in CS_FONTS.get(language, {font}):
        problems.append(TemplateProblem(N_("The complex-script font \u201c%(font)s\u201d lacks letters of "
                                           "this language; use one of: %(fonts)s."),
                                        {"font": font, "fonts": ", ".join(sorted(CS_FONTS[language]))}))
    return problems


def check_template(data: bytes, *, language: str, catalog: Catalog | None = None) -> list[TemplateProblem]:
    """Every reason this .docx cannot serve as a letter template in `language`; empty when it can."""
    catalog = catalog or load_catalog()
    if unpacks_too_far(data):
        return [TemplateProblem(N_("The file would unpack to more than %(limit)s MB, or is packed far more "
                                   "tightly than a document is: it is not opened."),
                                {"limit": str(MAX_UNPACKED_BYTES // (1024 * 1024))})]
    try:
        entries = read_entries(data)
        named = {info.filename: raw for info, raw in entries}
        sources = template_sources(entries)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, UnicodeDecodeError, ValueError):
        return [TemplateProblem(N_("The file is not a Word document (.docx)."))]
    if "word/document.xml" not in named or "word/styles.xml" not in named:
        return [TemplateProblem(N_("The file is not a Word document (.docx)."))]
    problems = _layout_problems(entries) + _code_problems(sources, catalog.variables)
    if not problems:
        problems = _render_problems(data, language, catalog)
    if load_reference().languages[language].is_rtl:
        problems += _rtl_problems(named, language)
    return problems

