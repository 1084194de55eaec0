"""Owns the bilingual letter in two columns: two rendered letters side by side in one document.

The first letter gives the page, styles, header and footer. Its body and the second letter's body become
the two columns of a borderless table, a row per paragraph or table: the two sequences are aligned by
their shape (paragraph or table, alignment, bold), so a heading sits beside its translation even when one
letter has a paragraph the other lacks (the certificate of translation, or a staff edit). A right-to-left
first language puts its column on the right (w:bidiVisual). The second letter's paragraphs and runs are
given their direction and fonts explicitly, because the first letter's Normal style, which they now
inherit, may be of the other direction."""
from __future__ import annotations

import difflib
import io
import zipfile
from functools import lru_cache

from lxml import etree

from mla.documents.render import DOCUMENT_PART, RenderError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES_PART = "word/styles.xml"
# Elements that follow w:bidi in pPr, and w:rtl in rPr, in the schema's sequence.
_BIDI_FOLLOWERS = ("adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
                   "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
                   "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_RTL_FOLLOWERS = ("cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _body(root: etree._Element) -> etree._Element:
    body = root.find(w("body"))
    if body is None:
        raise RenderError("the letter has no body: word/document.xml holds no w:body")
    return body


def _blocks(body: etree._Element) -> list[etree._Element]:
    return [child for child in body if child.tag in (w("p"), w("tbl"))]


@lru_cache(maxsize=64)
def _normal_fonts(styles_xml: bytes) -> bytes | None:
    """The fonts of a template's Normal style (cached: the same styles come with every letter of it)."""
    normal = etree.fromstring(styles_xml).find(f"{w('style')}[@{w('default')}='1'][@{w('type')}='paragraph']")
    fonts = None if normal is None else normal.find(f"{w('rPr')}/{w('rFonts')}")
    return None if fonts is None else etree.tostring(fonts)


def _insert(parent: etree._Element, element: etree._Element, followers: tuple[str, ...]) -> None:
    """Put `element` where the schema's sequence wants it: before the first of its `followers`."""
    tags = {w(name) for name in followers}
    for index, child in enumerate(parent):
        if child.tag in tags:
            parent.insert(index, element)
            return
    parent.append(element)


def _set_direction(block: etree._Element, is_rtl: bool, fonts: bytes | None) -> None:
    """Give every paragraph and run of `block` its own direction (and fonts), whatever the base style says."""
    paragraphs = [block] if block.tag == w("p") else list(block.iter(w("p")))
    for paragraph in paragraphs:
        ppr = paragraph.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            paragraph.insert(0, ppr)
        for old in ppr.findall(w("bidi")):
            ppr.remove(old)
        bidi = etree.Element(w("bidi"))
        if not is_rtl:
            bidi.set(w("val"), "0")
        _insert(ppr, bidi, _BIDI_FOLLOWERS)
    for run in block.iter(w("r")):
        rpr = run.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            run.insert(0, rpr)
        if fonts is not None and rpr.find(w("rFonts")) is None:
            rpr.insert(0, etree.fromstring(fonts))
        if rpr.find(w("rtl")) is None:
            rtl = etree.Element(w("rtl"))
            if not is_rtl:
                rtl.set(w("val"), "0")
            _insert(rpr, rtl, _RTL_FOLLOWERS)


def _shape(block: etree._Element) -> tuple[str, str, bool]:
    jc = block.find(f"{w('pPr')}/{w('jc')}")
    alignment = jc.get(w("val"), "") if jc is not None else ""
    return (str(block.tag), alignment, block.find(f".//{w('b')}") is not None)


def _aligned(first: list[etree._Element], second: list[etree._Element]) -> list[tuple[list, list]]:
    """Rows pairing the blocks of the two letters; a block with no counterpart gets an empty cell."""
    rows: list[tuple[list, list]] = []
    matcher = difflib.SequenceMatcher(None, [_shape(b) for b in first], [_shape(b) for b in second],
                                      autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1):
            rows += [([a], [b]) for a, b in zip(first[a1:a2], second[b1:b2], strict=True)]
        else:
            rows += [([a], []) for a in first[a1:a2]] + [([], [b]) for b in second[b1:b2]]
    return rows


def _text_width(body: etree._Element) -> int:
    section = body.find(w("sectPr"))
    size = section.find(w("pgSz")) if section is not None else None
    margins = section.find(w("pgMar")) if section is not None else None
    page, left, right = ((size.get(w("w")), margins.get(w("left")), margins.get(w("right")))
                         if size is not None and margins is not None else (None, None, None))
    if page is None or left is None or right is None:
        return 9355
    return int(page) - int(left) - int(right)


def _cell(contents: list[etree._Element], width: int) -> etree._Element:
    cell = etree.Element(w("tc"))
    tc_pr = etree.SubElement(cell, w("tcPr"))
    etree.SubElement(tc_pr, w("tcW"), {w("w"): str(width), w("type"): "dxa"})
    for element in contents:
        cell.append(element)
    if not len(contents) or contents[-1].tag != w("p"):
        etree.SubElement(cell, w("p"))  # a cell must end with a paragraph
    return cell


def _table(rows: list[tuple[list, list]], width: int, first_is_rtl: bool) -> etree._Element:
    table = etree.Element(w("tbl"))
    tbl_pr = etree.SubElement(table, w("tblPr"))
    if first_is_rtl:
        etree.SubElement(tbl_pr, w("bidiVisual"))
    etree.SubElement(tbl_pr, w("tblW"), {w("w"): str(width), w("type"): "dxa"})
    etree.SubElement(tbl_pr, w("tblLayout"), {w("type"): "fixed"})
    grid = etree.SubElement(table, w("tblGrid"))
    half = width // 2
    for _ in range(2):
        etree.SubElement(grid, w("gridCol"), {w("w"): str(half)})
    for first, second in rows:
        row = etree.SubElement(table, w("tr"))
        row.append(_cell(first, half))
        row.append(_cell(second, half))
    return table


def compose_columns(first: bytes, second: bytes, *, first_is_rtl: bool, second_is_rtl: bool) -> bytes:
    """One .docx with `first` and `second` side by side (see the module docstring)."""
    parts_a = _parts(first)
    parts_b = _parts(second)
    root_a = etree.fromstring(parts_a[DOCUMENT_PART])
    root_b = etree.fromstring(parts_b[DOCUMENT_PART])
    body_a = _body(root_a)
    body_b = _body(root_b)
    blocks_a = _blocks(body_a)
    blocks_b = _blocks(body_b)
    if any(block.xpath(".//@r:id | .//@r:embed | .//@r:link", namespaces={"r": R}) for block in blocks_b):
        raise RenderError("the second letter holds pictures or links, which cannot be moved into columns")
    fonts_b = _normal_fonts(parts_b[_STYLES_PART]) if _STYLES_PART in parts_b else None
    for block in blocks_b:
        _set_direction(block, second_is_rtl, fonts_b)
    table = _table(_aligned(blocks_a, blocks_b), _text_width(body_a), first_is_rtl)
    section = body_a.find(w("sectPr"))
    for child in list(body_a):
        body_a.remove(child)
    body_a.append(table)
    if section is not None:
        body_a.append(section)
    parts_a[DOCUMENT_PART] = etree.tostring(root_a, xml_declaration=True, encoding="UTF-8", standalone=True)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, raw in parts_a.items():
            archive.writestr(name, raw)
    return output.getvalue()
