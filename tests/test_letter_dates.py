"""How each letter language writes a date in an official letter (issue 18): the pure rule for every shipped
letter language, and the dates a generated Tajik and Dari letter print."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.documents.catalog import load_catalog
from mla.domain.enums import Direction, LetterKind, PersonRole, Role, Stage, Urgency
from mla.domain.letter_dates import LETTER_DATE_LANGUAGES, official_date
from mla.models import Measure, Person, User
from tests.test_letter_templates import text_of
from tests.test_letters import RequestMaker, complete_request, content, draft

DAY = date(2026, 12, 7)


@pytest.mark.parametrize(("language", "written"), [
    ("en", "7 December 2026"),
    ("ru", "7 декабря 2026\u00a0г."),
    ("tg", "7 декабри соли 2026"),
    ("uz_Latn", "2026-yil 7-dekabr"),
    ("kk", "2026 жылғы 7 желтоқсан"),
    ("ky", "2026-жылдын 7-декабры"),
    ("ur", "7 دسمبر 2026ء"),
    ("ar", "7 ديسمبر 2026م"),
    ("fa_AF", "۱۶ قوس ۱۴۰۵ هـ.ش. (۷ دسمبر ۲۰۲۶ م.)"),
    ("ps", "۱۶ لیندۍ ۱۴۰۵ ل. (۷ دسمبر ۲۰۲۶ ز.)"),
    ("fa", "۱۶ آذر ۱۴۰۵ هـ.ش. (۷ دسامبر ۲۰۲۶ م.)"),
])
def test_each_letter_language_writes_its_official_date(language: str, written: str) -> None:
    assert official_date(DAY, language) == written


def test_every_shipped_letter_language_has_a_date_rule() -> None:
    assert set(load_catalog().languages()) <= LETTER_DATE_LANGUAGES


@pytest.mark.parametrize(("day", "dari", "persian"), [
    (date(2026, 3, 21), "۱ حمل ۱۴۰۵", "۱ فروردین ۱۴۰۵"),  # Nowruz opens the solar year
    (date(2027, 3, 20), "۲۹ حوت ۱۴۰۵", "۲۹ اسفند ۱۴۰۵"),
    (date(1990, 1, 5), "۱۵ جدی ۱۳۶۸", "۱۵ دی ۱۳۶۸"),  # a birth date
])
def test_solar_hijri_months_are_the_afghan_ones_in_dari_and_the_iranian_ones_in_persian(
        day: date, dari: str, persian: str) -> None:
    assert official_date(day, "fa_AF").startswith(dari)
    assert official_date(day, "fa").startswith(persian)


def test_one_digit_system_within_a_date() -> None:
    for language in LETTER_DATE_LANGUAGES:
        written = official_date(DAY, language)
        latin = any(c in "0123456789" for c in written)
        eastern = any(c in "۰۱۲۳۴۵۶۷۸۹" for c in written)
        assert latin != eastern, language
        assert eastern is (language in {"fa_AF", "ps", "fa"}), language


def test_generated_tajik_and_dari_letters_print_their_official_dates(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    tajik = complete_request(make_request, db_session, drafting_language="tg",
                             requesting_authority="Прокуратураи генералии Ҷумҳурии Тоҷикистон",
                             conducting_authority="Раёсати тафтишотии прокуратураи вилояти Суғд",
                             addressee="Прокуратураи генералии Ҷумҳурии Қазоқистон",
                             subject_matter="Парвандаи ҷиноятӣ оид ба савдои одамон",
                             facts_summary="Дар моҳҳои март–июни соли 2026 гурӯҳе шаҳрвандонро фиреб дод.",
                             purpose="Муайян кардани ҳолатҳои ҷалбкунӣ.",
                             urgency=Urgency.URGENT, deadline_on=date(2027, 1, 15),
                             deadline_reason="Мӯҳлати тафтиш")
    for measure in db_session.scalars(select(Measure).where(Measure.request_id == tajik.id)):
        measure.details = "Пурсиши шоҳид"
    db_session.add(Person(request_id=tajik.id, role=PersonRole.SUSPECT, name_original="Раҳимов Фарҳод",
                          birth_date=date(1990, 1, 5)))
    db_session.commit()
    [letter] = draft(db_session, desk, tajik, language="tg")
    text = text_of(content(db_session, letter))
    assert "23 ноябри соли 2026" in text  # the letter's date (FIXED_NOW in Dushanbe)
    assert "15 январи соли 2027" in text and "5 январи соли 1990" in text  # deadline, birth date
    assert "Ноябр 2026" not in text

    dari = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED, country="AF",
                        drafting_language="fa_AF", request_language="fa_AF", channel_code="diplomatic",
                        requesting_authority="لوی څارنوالی افغانستان",
                        addressee="دادستانی کل جمهوری تاجیکستان",
                        subject_matter="قاچاق دو طفل", partner_reference="AGO-1403/77",
                        received_on=date(2026, 11, 20))
    [letter] = draft(db_session, desk, dari, LetterKind.ACKNOWLEDGEMENT, "fa_AF")
    text = text_of(content(db_session, letter))
    assert "۲ قوس ۱۴۰۵ هـ.ش. (۲۳ نومبر ۲۰۲۶ م.)" in text  # the letter's date
    assert "۲۹ عقرب ۱۴۰۵ هـ.ش. (۲۰ نومبر ۲۰۲۶ م.)" in text  # the date the request was received
