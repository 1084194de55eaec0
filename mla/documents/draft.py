"""Owns how a draft letter looks: the mark at the top of every page (a paragraph in each page header, in
the letter's languages) and no signature line. Works on the rendered .docx, so a template an
administrator uploaded gets the mark as the shipped ones do."""
from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

_MARK_COLOUR = RGBColor(0xC0, 0x00, 0x00)
_MARK_SIZE = 14
# pPr children that come after w:bidi in the schema's sequence.
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
               "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
               "w:pPrChange")


def _save(document: object) -> bytes:
    output = io.BytesIO()
    document.save(output)  # type: ignore[attr-defined]
    return output.getvalue()


def without_signature_line(data: bytes, signature_line: str) -> bytes:
    """The letter with every paragraph that reads `signature_line` (the line to sign and seal) removed."""
    wanted = signature_line.strip()
    if not wanted:
        return data
    document = Document(io.BytesIO(data))
    for paragraph in list(document.paragraphs):
        if paragraph.text.strip() == wanted:
            parent = paragraph._p.getparent()
            if parent is not None:
                parent.remove(paragraph._p)
    return _save(document)


def _mark(paragraph: Paragraph, text: str, is_rtl: bool) -> None:
    if is_rtl:
        bidi = parse_xml(f"<w:bidi {nsdecls('w')}/>")
        paragraph._p.get_or_add_pPr().insert_element_before(bidi, *_AFTER_BIDI)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(_MARK_SIZE)
    run.font.color.rgb = _MARK_COLOUR
    run.font.cs_bold = True
    if is_rtl:
        run.font.rtl = True


def marked_as_draft(data: bytes, marks: Sequence[str], *, is_rtl: bool) -> bytes:
    """The letter with the draft mark (`marks` joined, one per language) heading every page it has."""
    text = " / ".join(dict.fromkeys(mark for mark in marks if mark))
    document = Document(io.BytesIO(data))
    odd_and_even = document.settings.odd_and_even_pages_header_footer
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if odd_and_even:
            headers.append(section.even_page_header)
        for header in headers:
            header.is_linked_to_previous = False
            first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            paragraph = first.insert_paragraph_before() if first.text.strip() else first
            _mark(paragraph, text, is_rtl)
    return _save(document)
