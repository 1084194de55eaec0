"""What an uploaded file really is, told from its bytes, the names and media types of each kind, and
whether an Office file (a zip) unpacks to a sane size."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from types import MappingProxyType

MEDIA_TYPES: Mapping[str, str] = MappingProxyType({
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
})

# Lower-case, without the dot; the first is the one added to a name that has none.
EXTENSIONS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "pdf": ("pdf",),
    "png": ("png",),
    "jpeg": ("jpg", "jpeg"),
    "tiff": ("tif", "tiff"),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
    "odt": ("odt",),
    "txt": ("txt",),
})

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# What opening a zip may unpack, read from its central directory before any entry is decompressed:
# an 831 KB upload once took 1.2 GB of memory. Python's zipfile stops each entry at its stated size.
MAX_ZIP_ENTRIES = 1_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Entries up to this size may compress as well as they do: a small run of blank XML is no threat.
RATIO_FREE_BYTES = 1024 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError,
               NotImplementedError)
# Share of characters that must be printable (or tab and line breaks) for a file to count as text.
_PRINTABLE_SHARE = 0.95
_TEXT_CONTROLS = frozenset("\t\n\r\f")


def sniff(data: bytes) -> str | None:
    """The type code of `data` (a key of MEDIA_TYPES), or None when it is none of them."""
    if not data:
        return None
    for magic, code in _MAGIC:
        if data.startswith(magic):
            return code
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return "txt" if _is_text(data) else None


def _sniff_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            # A macro-enabled document renamed to .docx or .xlsx is still macro-enabled.
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                return "odt" if archive.read("mimetype").strip() == _ODT_MIMETYPE else None
    except _ZIP_ERRORS:
        return None
    return None


def unpacks_too_far(data: bytes) -> bool:
    """Whether the zip `data` would unpack past the limits above (too many entries, too much in all,
    or an entry packed more tightly than documents are); False for anything that is no zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except _ZIP_ERRORS:
        return False
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        return True
    return any(e.file_size > RATIO_FREE_BYTES
               and e.file_size > MAX_COMPRESSION_RATIO * max(e.compress_size, 1) for e in entries)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return False
    if not text:
        return False
    printable = sum(1 for char in text if char.isprintable() or char in _TEXT_CONTROLS)
    return printable >= _PRINTABLE_SHARE * len(text)
