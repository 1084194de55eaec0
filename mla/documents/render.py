"""Owns rendering a .docx template with a context: the one sandboxed, strict, autoescaping Jinja environment
(TECH-NOTES §1), templates compiled once and cached by content hash, and docxtpl's stock path for
comparison.

docxtpl's render() recompiles the whole document XML as a Jinja template every time (about 70% of its
cost). Here each template is prepared once the way docxtpl prepares it (its own patch_xml), compiled
under the sandbox, and kept; a render then only runs the compiled templates, applies docxtpl's own
post-processing (resolve_listing, fix_tables) and writes the zip. Rendered XML is parsed strictly, so
broken markup raises instead of being silently truncated as docxtpl's recover=True parser would.
No DocxTemplate object is shared between renders."""
from __future__ import annotations

import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

# The environment of every render: sandboxed (no attribute access to internals), strict (an unknown
# variable is an error, not an empty string), autoescaping (an "&" in a name cannot break the XML).
ENV = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
DOCUMENT_PART = "word/document.xml"
_BODY_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_PROPERTIES_PART = "docProps/core.xml"
_JINJA_MARK = re.compile(r"\{[{%#]")
_CACHE_SIZE = 64
_WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


class RenderError(ValueError):
    """The template did not render into a well-formed document."""


# docxtpl's preparation and post-processing steps are pure functions on strings that happen to be
# defined as methods; they use no state, so they are called without an instance.
def patch_xml(xml: str) -> str:
    return DocxTemplate.patch_xml(None, xml)


def _resolve_listing(xml: str) -> str:
    return DocxTemplate.resolve_listing(None, xml)


def prepare_part(raw: bytes) -> str:
    """A part's XML as docxtpl feeds it to Jinja: re-serialised by lxml, patched, one paragraph a line."""
    serialised = etree.tostring(etree.fromstring(raw), encoding="unicode")
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", patch_xml(serialised))


@dataclass(frozen=True)
class CompiledTemplate:
    """A template ready to render: its compiled parts, and a zip of every other entry, compressed once."""

    sha256: str
    parts: Mapping[str, Template]
    static_zip: bytes
    variables: frozenset[str]


def read_entries(data: bytes) -> tuple[tuple[zipfile.ZipInfo, bytes], ...]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return tuple((info, archive.read(info)) for info in archive.infolist())


def template_sources(entries: tuple[tuple[zipfile.ZipInfo, bytes], ...]) -> dict[str, str]:
    """The Jinja source of each part that holds template code, prepared as docxtpl would."""
    sources: dict[str, str] = {}
    for info, raw in entries:
        if _BODY_PARTS.match(info.filename):
            sources[info.filename] = prepare_part(raw)
        elif info.filename == _PROPERTIES_PART and _JINJA_MARK.search(raw.decode("utf-8")):
            sources[info.filename] = raw.decode("utf-8")
    return sources


def compile_template(data: bytes) -> CompiledTemplate:
    """Compile every part of a .docx under the sandbox (raises jinja2 and zip/XML errors as they come)."""
    entries = read_entries(data)
    if DOCUMENT_PART not in {info.filename for info, _ in entries}:
        raise RenderError("the file has no word/document.xml: it is not a Word document")
    sources = template_sources(entries)
    parts = {name: ENV.from_string(source) for name, source in sources.items()}
    variables = frozenset().union(*(meta.find_undeclared_variables(ENV.parse(s)) for s in sources.values()))
    static = io.BytesIO()
    with zipfile.ZipFile(static, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, raw in entries:
            if info.filename not in parts:
                archive.writestr(info.filename, raw)
    return CompiledTemplate(hashlib.sha256(data).hexdigest(), parts, static.getvalue(), variables)


_cache: OrderedDict[str, CompiledTemplate] = OrderedDict()
_cache_lock = threading.Lock()


def compiled(data: bytes) -> CompiledTemplate:
    """The compiled template for these bytes, from the cache when the same content was compiled before."""
    key = hashlib.sha256(data).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    template = compile_template(data)
    with _cache_lock:
        _cache[key] = template
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return template


def _strict_tree(xml: str, part: str) -> etree._Element:
    try:
        return etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise RenderError(f"{part} did not render into well-formed XML: {exc}") from None


def _finish_body(xml: str, part: str) -> bytes:
    """docxtpl's post-processing of a rendered part, with a strict parse instead of a forgiving one."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(mark in xml for mark in "\n\t\a\f"):  # only text with these characters changes
        xml = _resolve_listing(xml)
    _strict_tree(xml, part)
    if part != DOCUMENT_PART:
        return xml.encode("utf-8")
    tree = DocxTemplate.fix_tables(None, xml)
    for number, element in enumerate(tree.iter(f"{{{_WP_NS}}}docPr"), start=1001):
        element.set("id", str(number))
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def render_compiled(template: CompiledTemplate, context: Mapping[str, Any]) -> bytes:
    """The rendered .docx: the entries compressed at compile time, then each compiled part run with
    `context` and appended (recompressing the unchanged entries was most of the cost of a render)."""
    rendered: dict[str, bytes] = {}
    for name, part in template.parts.items():
        xml = part.render(context)
        rendered[name] = xml.encode("utf-8") if name == _PROPERTIES_PART else _finish_body(xml, name)
    output = io.BytesIO(template.static_zip)
    output.seek(0, io.SEEK_END)
    with zipfile.ZipFile(output, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, content in rendered.items():
            archive.writestr(name, content)
    return output.getvalue()


def render_docx(data: bytes, context: Mapping[str, Any]) -> bytes:
    """Render template bytes with `context` on the compiled-once path."""
    return render_compiled(compiled(data), context)


def render_docx_stock(data: bytes, context: Mapping[str, Any]) -> bytes:
    """docxtpl's own path, with a fresh DocxTemplate and the sandboxed environment: the reference the
    compiled path is checked against, and the baseline of the benchmark."""
    template = DocxTemplate(io.BytesIO(data))
    template.render(dict(context), jinja_env=ENV)
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()
