"""What an uploaded file really is, told from its bytes, and the names and media types of each kind."""
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
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            RuntimeError, NotImplementedError):
        return None
    return None


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
