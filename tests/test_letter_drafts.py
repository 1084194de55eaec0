"""Issue 18 item 8: a letter made from a request that is not yet approved looks like a draft."""
from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.documents.catalog import load_catalog
from mla.documents.draft import marked_as_draft
from mla.documents.pdf import convert_to_pdf, soffice_path
from mla.domain.enums import Direction, LetterKind, Role, Stage
from mla.domain.workflow import letter_is_draft
from mla.models import Measure, User
from mla.services.letters.translations import save_translation
from tests.conftest import FIXED_NOW
from tests.test_letter_templates import render
from tests.test_letters import ENGLISH, RequestMaker, complete_request, content, draft

RU_MARK = "ПРОЕКТ — не утверждён, направлению не подлежит"
EN_MARK = "DRAFT — not approved, not for transmission"
RU_SIGNATURE = "Подпись: ____________________          М.П."
LONG_FACTS = " ".join(["В марте–июне 2026 года группа лиц вербовала граждан обманом и перевозила их за "
                       "границу, где у них отбирали паспорта и принуждали к труду."] * 60)


def headers(document: object) -> list[str]:
    return [section.header.paragraphs[0].text for section in document.sections]  # type: ignore[attr-defined]


def body(document: object) -> str:
    return "\n".join(p.text for p in document.paragraphs)  # type: ignore[attr-defined]


def test_only_an_outgoing_request_before_approval_gives_a_draft() -> None:
    assert [stage for stage in Stage if letter_is_draft(Direction.OUTGOING, stage)] == [
        Stage.DRAFT, Stage.INTERNAL_REVIEW, Stage.RETURNED_FOR_CORRECTION]
    assert not any(letter_is_draft(Direction.INCOMING, stage) for stage in Stage)


@pytest.mark.parametrize("stage", [Stage.DRAFT, Stage.INTERNAL_REVIEW, Stage.RETURNED_FOR_CORRECTION])
def test_a_request_not_yet_approved_gives_a_marked_unsigned_letter(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User], stage: Stage
) -> None:
    desk = make_user(Role.DESK)
    manager = make_user(Role.MANAGER)
    manager.position = "Начальник управления"
    item = complete_request(make_request, db_session, manager, stage=stage)
    [letter] = draft(db_session, desk, item)
    document = Document(io.BytesIO(content(db_session, letter)))
    assert headers(document) == [RU_MARK]
    text = body(document)
    assert "Подпись:" not in text and manager.full_name not in text and "Начальник управления" not in text
    assert "draft" in {w["code"] for w in letter.warnings}
    assert "no_signatory" not in {w["code"] for w in letter.warnings}


def test_the_approved_request_gives_the_clean_signed_copy(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    manager = make_user(Role.MANAGER)
    item = complete_request(make_request, db_session, manager)
    [letter] = draft(db_session, desk, item)
    document = Document(io.BytesIO(content(db_session, letter)))
    text = body(document) + "\n".join(headers(document))
    assert RU_SIGNATURE in text and manager.full_name in text and "ПРОЕКТ" not in text
    assert "draft" not in {w["code"] for w in letter.warnings}


def test_a_bilingual_draft_carries_the_mark_in_both_languages(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    translator = make_user(Role.TRANSLATOR)
    item = complete_request(make_request, db_session, stage=Stage.TRANSLATION)
    measure = db_session.scalar(select(Measure).where(Measure.request_id == item.id))
    for key, text in {**ENGLISH, f"measure:{measure.id}:details": "Interview the witness"}.items():
        save_translation(db_session, actor=translator, now=FIXED_NOW, item=item, field_key=key,
                         language="en", text=text, expected_version=0)
    item.stage = Stage.RETURNED_FOR_CORRECTION  # the translation was done, then the request sent back
    db_session.commit()
    [letter] = draft(db_session, desk, item, language="ru", second_language="en")
    document = Document(io.BytesIO(content(db_session, letter)))
    assert headers(document) == [f"{RU_MARK} / {EN_MARK}"]
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Подпись:" not in cells and "Signature:" not in cells


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed")
def test_the_draft_mark_is_on_every_page_of_the_pdf(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = complete_request(make_request, db_session, stage=Stage.INTERNAL_REVIEW, facts_summary=LONG_FACTS)
    [letter] = draft(db_session, desk, item)
    pdf = convert_to_pdf(content(db_session, letter))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    assert all(RU_MARK in " ".join(page.split()) for page in pages)
    assert not any("Подпись:" in page for page in pages)


def test_a_right_to_left_draft_mark_runs_right_to_left() -> None:
    wording = load_catalog().wordings["ar"]
    marked = marked_as_draft(render(LetterKind.MLA_REQUEST, "ar"), [wording.draft_mark], is_rtl=True)
    [paragraph] = Document(io.BytesIO(marked)).sections[0].header.paragraphs[:1]
    assert paragraph.text == "مسودة — غير معتمدة ولا يجوز إرسالها"
    properties = [child.tag.split("}")[1] for child in paragraph._p.pPr]
    assert properties.index("bidi") < properties.index("jc")
    assert paragraph.runs[0].font.rtl
