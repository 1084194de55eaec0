"""An uploaded letter template is measured from its zip's central directory before anything unpacks
it: a zip bomb gets a message on the upload page, is not stored, and costs no memory to refuse."""
from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest
from docx import Document
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.domain.enums import Role
from mla.domain.filetypes import unpacks_too_far
from mla.models import LetterTemplateVersion, User

EN = {"Accept-Language": "en"}
MB = 1024 * 1024


def word_file() -> bytes:
    document = Document()
    document.add_paragraph("Ref {{ our_reference }}")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def with_extra_entries(entries: dict[str, int]) -> bytes:
    """A real Word file plus entries of zeros of the given sizes, deflated: a zip bomb in a .docx."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(word_file())) as source, \
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        for name, size in entries.items():
            with bomb.open(name, "w") as entry:
                for _ in range(size // MB):
                    entry.write(bytes(MB))
    return output.getvalue()


BOMBS = {
    "one entry packed a thousand times": lambda: with_extra_entries({"word/media/blank.xml": 120 * MB}),
    "many entries adding up": lambda: with_extra_entries({f"word/media/p{n}.xml": MB for n in range(110)}),
    "too many entries": lambda: with_extra_entries({f"customXml/extra{n}.xml": 0 for n in range(1_001)}),
}


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {name: make() for name, make in BOMBS.items()}


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_a_zip_bomb_template_is_refused_before_it_is_opened(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session, bombs: dict[str, bytes],
    case: str,
) -> None:
    login_as(Role.ADMIN)
    data = bombs[case]
    assert len(data) < 1 * MB
    tracemalloc.start()
    try:
        response = client.post("/admin/letter-templates", headers=EN, content_type="multipart/form-data",
                               data={"kind": "status_enquiry", "language": "en", "note": "Kept note",
                                     "file": (io.BytesIO(data), "bomb.docx")})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "would unpack to more than 100 MB" in page and "Kept note" in page
    assert peak < 20 * MB
    assert db_session.scalar(select(func.count()).select_from(LetterTemplateVersion)) == 0


def test_an_ordinary_word_file_is_within_the_limits() -> None:
    assert not unpacks_too_far(word_file())
    assert not unpacks_too_far(b"not a zip at all")
