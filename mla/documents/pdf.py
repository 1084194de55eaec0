"""Owns converting a letter to PDF with LibreOffice, when it is installed (TECH-NOTES §1).

Two soffice processes sharing a profile make one of them exit with no PDF and no message, so
conversions in this process take turns (a lock) and each runs with a profile directory of its own
(which also keeps apart conversions from other processes). A PDF without a page is a failure."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

_LOCK = threading.Lock()
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
TIMEOUT_SECONDS = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed on this server."""


class PdfFailed(RuntimeError):
    """LibreOffice ran but gave no usable PDF."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def page_count(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def convert_to_pdf(docx: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a .docx; PdfUnavailable without LibreOffice, PdfFailed when it gives no pages."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    with _LOCK, tempfile.TemporaryDirectory(prefix="mla-pdf-") as work:
        folder = Path(work)
        source = folder / "letter.docx"
        source.write_bytes(docx)
        command = [soffice, "--headless", "--norestore", "--nologo", "--nolockcheck",
                   f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfFailed(f"LibreOffice took more than {timeout} s") from None
        target = folder / "letter.pdf"
        pdf = target.read_bytes() if target.exists() else b""
    if not pdf.startswith(b"%PDF") or page_count(pdf) < 1:
        raise PdfFailed("LibreOffice produced no PDF with a page")
    return pdf
