"""Builds the first version of every letter template (<kind>/<language>.docx) from texts/<language>.toml.

Run it with `python letter_templates/build_templates.py` after changing a text; staff then edit the .docx
files in Word, and `mla check-templates` validates them. Every paragraph is an ordinary Word paragraph with
direct formatting only where a clerk would put it (bold headings, centred title), so the files stay easy
to edit. Right-to-left languages get what TECH-NOTES §1 showed is needed for the text order to be right:
w:bidi on the Normal style, on every paragraph and on the section, w:bidiVisual on tables, w:rtl runs and
a complex-script font that has every letter of the language.
"""
from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
LATIN_FONT = "Times New Roman"
# Complex-script font per language: one that has every letter of it (TECH-NOTES §1, checked with fontTools).
CS_FONTS = {"fa_AF": "Noto Naskh Arabic", "ps": "Noto Naskh Arabic", "fa": "Noto Naskh Arabic",
            "ar": "Noto Naskh Arabic", "ur": "Noto Nastaliq Urdu"}
LANGUAGE_TAGS = {"en": "en-GB", "ru": "ru-RU", "tg": "tg-Cyrl-TJ", "uz_Latn": "uz-Latn-UZ", "kk": "kk-KZ",
                 "ky": "ky-KG", "fa_AF": "fa-AF", "ps": "ps-AF", "ur": "ur-PK", "ar": "ar-SA", "fa": "fa-IR"}
# pPr children that come after w:bidi in the schema's sequence, so w:bidi goes before the first of them.
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
               "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
               "w:pPrChange")

# A layout is a list of items: ("title"|"h"|"p"|"mark", text key), ("ctl", jinja statement) for a
# control paragraph docxtpl removes, or ("letterhead",), ("persons",), ("signature",).
LETTERHEAD: list[tuple[str, ...]] = [("letterhead",)]
MARKS = [("ctl", "if urgent"), ("mark", "urgent"), ("ctl", "endif"),
         ("ctl", "if confidential"), ("mark", "confidential"), ("ctl", "endif")]
CASE = [("ctl", "if case_number"), ("p", "case_line"), ("ctl", "endif")]
BASIS = [("h", "h_legal_basis"), ("p", "basis_line")]
DEADLINE = [("ctl", "if deadline_date"), ("h", "h_time_limit"), ("p", "deadline_line"), ("ctl", "endif")]
CONFIDENTIALITY = [("ctl", "if confidential"), ("h", "h_confidentiality"), ("p", "confidentiality_clause"),
                   ("ctl", "endif")]
USE = [("ctl", "if use_restrictions"), ("h", "h_use"), ("p", "use_clause"), ("v", "use_restrictions"),
       ("ctl", "endif")]
CONTACT = [("ctl", "if contact_person"), ("h", "h_contact"), ("v", "contact_person"), ("ctl", "endif")]
MEASURES = [("ctl", "for m in measures"), ("p", "measure_line"), ("ctl", "if m.procedure"),
            ("p", "procedure_line"), ("ctl", "endif"), ("ctl", "endfor")]
CLOSING = [("p", "closing"), ("signature",)]
LAYOUTS: dict[str, list[tuple[str, ...]]] = {
    "mla_request": [
        *LETTERHEAD, *MARKS, ("title", "title"), ("p", "intro"),
        ("h", "h_requesting"), ("v", "sender"),
        ("h", "h_conducting"), ("v", "conducting_authority"), *CASE, *BASIS,
        ("h", "h_subject"), ("v", "subject_matter"), ("h", "h_facts"), ("v", "facts"),
        ("ctl", "if offences"), ("h", "h_offences"), ("v", "offences"), ("ctl", "endif"),
        ("ctl", "if dual_criminality"), ("p", "dual_line"), ("ctl", "endif"),
        ("h", "h_persons"), ("persons",), ("h", "h_assistance"), *MEASURES,
        ("h", "h_purpose"), ("v", "purpose"), ("ctl", "if evidence_location"), ("p", "evidence_line"),
        ("ctl", "endif"), *DEADLINE,
        ("ctl", "if victim_protection"), ("h", "h_protection"), ("v", "victim_protection"), ("ctl", "endif"),
        *CONFIDENTIALITY, *USE, *CONTACT, *CLOSING,
    ],
    "police_request": [
        *LETTERHEAD, *MARKS, ("title", "title"), ("p", "intro"),
        ("h", "h_requesting"), ("v", "sender"), *CASE,
        ("h", "h_legal_basis"), ("ctl", "if legal_bases"), ("p", "basis_line"), ("ctl", "else"),
        ("p", "police_basis_default"), ("ctl", "endif"),
        ("h", "h_facts"), ("v", "facts"), ("h", "h_persons"), ("persons",),
        ("h", "h_information"), ("ctl", "for m in measures"), ("p", "measure_line"), ("ctl", "endfor"),
        ("h", "h_purpose"), ("v", "purpose"), *DEADLINE,
        ("h", "h_handling"), ("p", "intelligence_clause"),
        ("ctl", "if handling_code"), ("p", "handling_line"), ("ctl", "endif"),
        ("ctl", "if use_restrictions"), ("v", "use_restrictions"), ("ctl", "endif"),
        *CONFIDENTIALITY, *CONTACT, *CLOSING,
    ],
    "supplementary_request": [
        *LETTERHEAD, *MARKS, ("title", "title"),
        ("ctl", "if original_reference"), ("p", "original_line"), ("ctl", "endif"), ("p", "intro"), *CASE,
        *BASIS, ("h", "h_subject"), ("v", "subject_matter"), ("h", "h_additional"), ("v", "facts"),
        ("ctl", "if measures"), ("h", "h_further"), *MEASURES, ("ctl", "endif"),
        ("ctl", "if purpose"), ("h", "h_purpose"), ("v", "purpose"), ("ctl", "endif"),
        *DEADLINE, *CONFIDENTIALITY, *CONTACT, *CLOSING,
    ],
    "status_enquiry": [
        *LETTERHEAD, ("ctl", "if urgent"), ("mark", "urgent"), ("ctl", "endif"), ("title", "title"),
        ("p", "enquiry_ref"), ("ctl", "if case_number"), ("p", "enquiry_case"), ("ctl", "endif"),
        ("p", "subject_line"), ("p", "enquiry_sent"),
        ("ctl", "if acknowledged_on"), ("p", "enquiry_acknowledged"), ("ctl", "endif"), ("p", "enquiry_ask"),
        ("ctl", "if deadline_date"), ("ctl", "if deadline_passed"), ("p", "enquiry_deadline_passed"),
        ("ctl", "else"), ("p", "enquiry_deadline"), ("ctl", "endif"), ("ctl", "endif"),
        ("p", "enquiry_quote"), ("p", "closing_short"), ("signature",),
    ],
    "acknowledgement": [
        *LETTERHEAD, ("title", "title"), ("p", "ack_body"),
        ("ctl", "if partner_reference"), ("p", "ack_your_ref"), ("ctl", "endif"),
        ("ctl", "if received_on"), ("p", "ack_received"), ("ctl", "endif"), ("p", "ack_registered"),
        ("p", "subject_line"), ("p", "ack_next"), ("p", "quote_ref"), ("p", "closing_short"), ("signature",),
    ],
    "execution_cover": [
        *LETTERHEAD, *MARKS, ("title", "title"), ("p", "cover_ref"), ("p", "cover_body"),
        ("h", "h_results"), ("ctl", "for m in measures"), ("p", "result_line"), ("ctl", "if m.result"),
        ("v", "m.result"), ("ctl", "endif"), ("ctl", "endfor"), ("p", "enclosures"),
        ("ctl", "if use_restrictions"), ("h", "h_use"), ("p", "cover_use_clause"), ("v", "use_restrictions"),
        ("ctl", "endif"), *CONFIDENTIALITY, ("p", "closing_short"), ("signature",),
    ],
}


class Writer:
    """Writes one template: the paragraphs of a layout in one language, with its direction and fonts."""

    def __init__(self, language: str, texts: dict[str, Any], kind: str) -> None:
        self.language, self.kind = language, kind
        self.texts = {**texts["common"], **texts.get(kind, {})}
        self.is_rtl = language in CS_FONTS
        self.document: DocumentObject = Document()
        self._set_up_document()

    def text(self, key: str) -> str:
        return self.texts[key]

    def _set_up_document(self) -> None:
        section = self.document.sections[0]
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        normal = self.document.styles["Normal"]
        normal.font.size = Pt(12)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.15
        _set_fonts(normal.element.get_or_add_rPr(), self.language, self.is_rtl)
        if self.is_rtl:
            _add_bidi(normal.element.get_or_add_pPr())
            _section_bidi(section._sectPr)
        properties = self.document.core_properties
        properties.title, properties.author = "{{ our_reference }}", "MLA tracker"
        properties.language = LANGUAGE_TAGS[self.language]
        self._footer()

    def _footer(self) -> None:
        paragraph = self.document.sections[0].footer.paragraphs[0]
        self._direction(paragraph)
        paragraph.add_run(self.text("footer") + " · ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)

    def _direction(self, paragraph: Paragraph) -> None:
        if self.is_rtl:
            _add_bidi(paragraph._p.get_or_add_pPr())

    def paragraph(self, text: str, *, bold: bool = False, center: bool = False, size: int | None = None,
                  keep: bool = False, justify: bool = False) -> Paragraph:
        paragraph = self.document.add_paragraph()
        self._direction(paragraph)
        run = paragraph.add_run(text)
        _emphasis(run, bold, size)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif justify:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if keep:
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_before = Pt(8)
        return paragraph

    def control(self, statement: str) -> None:
        self.document.add_paragraph(f"{{%p {statement} %}}")

    def letterhead(self) -> None:
        self.paragraph("{{ sender }}", bold=True, center=True)
        self.paragraph(self.text("number_line"))
        self.paragraph(f"{self.text('our_ref')} {{{{ our_reference }}}}")
        self.paragraph(f"{self.text('date')} {{{{ letter_date }}}}")
        self.control("if partner_reference")
        self.paragraph(f"{self.text('your_ref')} {{{{ partner_reference }}}}")
        self.control("endif")
        self.paragraph("{{ recipient }}", bold=True)
        self.paragraph("{{ partner_state }}")

    def persons(self) -> None:
        self.control("if persons")
        table = self.document.add_table(rows=3, cols=4)
        table.style = "Table Grid"
        if self.is_rtl:
            _table_bidi(table._tbl)
        headings = ("col_role", "col_name", "col_other", "col_details")
        cells = ("{{ p.role }}", "{{ p.name }}", "{{ p.transliteration }}", "{{ p.details }}")
        for column, (heading, cell) in enumerate(zip(headings, cells, strict=True)):
            self._cell(table.cell(0, column), self.text(heading), bold=True)
            self._cell(table.cell(2, column), cell)
        self._cell(table.cell(1, 0), "{%tr for p in persons %}")
        table.add_row()
        self._cell(table.cell(3, 0), "{%tr endfor %}")
        self.control("else")
        self.paragraph(self.text("persons_none"))
        self.control("endif")

    def _cell(self, cell: Any, text: str, *, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        self._direction(paragraph)
        run = paragraph.add_run(text)
        run.bold = bold or None

    def signature(self) -> None:
        self.paragraph("")
        self.paragraph("{{ signatory_position }}", bold=True)
        self.paragraph("{{ signatory_name }}", bold=True)
        self.paragraph(self.text("sign_seal"))
        self.control("if is_translation")
        self.paragraph(self.text("translation_cert"))
        self.control("endif")


def _emphasis(run: Any, bold: bool, size: int | None) -> None:
    """Bold and size for both Latin and complex-script text (w:bCs, w:szCs), or Arabic stays plain."""
    if bold:
        run.bold = True
        run._r.get_or_add_rPr().get_or_add_bCs()
    if size:
        run.font.size = Pt(size)
        size_cs = OxmlElement("w:szCs")
        size_cs.set(qn("w:val"), str(size * 2))
        run._r.rPr.sz.addnext(size_cs)


def _set_fonts(rpr: Any, language: str, is_rtl: bool) -> None:
    """Fonts, complex-script size, direction and language of the Normal style, in the schema's order."""
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:cs"), CS_FONTS.get(language, LATIN_FONT))
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rpr.insert(0, fonts)
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), "24")
    rpr.append(size_cs)
    if is_rtl:
        rpr.append(OxmlElement("w:rtl"))
    lang = OxmlElement("w:lang")
    tag = LANGUAGE_TAGS[language]
    lang.set(qn("w:val"), "en-GB" if language in CS_FONTS else tag)
    if language in CS_FONTS:
        lang.set(qn("w:bidi"), tag)
    rpr.append(lang)


def _add_bidi(ppr: Any) -> None:
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


def _section_bidi(sect_pr: Any) -> None:
    sect_pr.insert_element_before(OxmlElement("w:bidi"), "w:rtlGutter", "w:docGrid", "w:printerSettings",
                                  "w:sectPrChange")


def _table_bidi(tbl: Any) -> None:
    tbl_pr = tbl.tblPr
    tbl_pr.insert_element_before(OxmlElement("w:bidiVisual"), "w:tblStyleRowBandSize",
                                 "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                                 "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def build(kind: str, language: str, texts: dict[str, Any]) -> DocumentObject:
    """The template of `kind` in `language`, laid out from LAYOUTS[kind]."""
    writer = Writer(language, texts, kind)
    actions: dict[str, Callable[..., object]] = {
        "letterhead": writer.letterhead, "persons": writer.persons, "signature": writer.signature,
        "ctl": writer.control,
        "title": lambda key: writer.paragraph(writer.text(key), bold=True, center=True, size=13),
        "h": lambda key: writer.paragraph(writer.text(key), bold=True, keep=True),
        "p": lambda key: writer.paragraph(writer.text(key), justify=True),
        "mark": lambda key: writer.paragraph(writer.text(key), bold=True),
        "v": lambda name: writer.paragraph(f"{{{{ {name} }}}}", justify=True),
    }
    body = writer.document.paragraphs[0]._p if writer.document.paragraphs else None
    for item in LAYOUTS[kind]:
        actions[item[0]](*item[1:])
    if body is not None and not body.xpath("string(.)"):
        body.getparent().remove(body)
    return writer.document


def manifest_languages(manifest: dict[str, Any]) -> Iterable[tuple[str, str]]:
    for kind, entry in manifest["kinds"].items():
        for language in entry["languages"]:
            yield kind, language


def main() -> None:
    manifest = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))
    texts: dict[str, dict[str, Any]] = {}
    for kind, language in manifest_languages(manifest):
        if language not in texts:
            texts[language] = tomllib.loads((HERE / "texts" / f"{language}.toml").read_text(encoding="utf-8"))
        target = HERE / kind / f"{language}.docx"
        target.parent.mkdir(exist_ok=True)
        build(kind, language, texts[language]).save(str(target))
        print(f"wrote {target.relative_to(HERE)}")


if __name__ == "__main__":
    main()
