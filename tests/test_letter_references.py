"""Issue 18 item 6: references a partner can quote."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from mla.domain.enums import LetterKind, Role, Stage
from mla.models import User
from tests.test_letter_templates import text_of
from tests.test_letters import RequestMaker, complete_request, content, draft


def test_before_transmission_the_number_is_left_blank_and_the_tracker_id_is_only_our_reference(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = complete_request(make_request, db_session, make_user(Role.MANAGER))
    [letter] = draft(db_session, desk, item)
    lines = text_of(content(db_session, letter)).splitlines()
    assert "Исх. № ________ от ________" in lines
    assert f"Наш рег. №: {item.reference}" in lines
    assert not any(line.startswith("Исх. №") and item.reference in line for line in lines)


def test_once_transmitted_the_letter_carries_the_outgoing_number_sent(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = complete_request(make_request, db_session, make_user(Role.MANAGER), stage=Stage.SENT,
                            transmitted_on=date(2026, 10, 1), outgoing_number="12-3/0042")
    [russian] = draft(db_session, desk, item)
    assert "Исх. № 12-3/0042 от 1 октября 2026\xa0г." in text_of(content(db_session, russian)).splitlines()


def test_the_status_enquiry_quotes_the_number_sent_and_does_not_recall_a_passed_deadline(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = complete_request(make_request, db_session, stage=Stage.SENT, transmitted_on=date(2026, 10, 1),
                            outgoing_number="12-3/0042", deadline_on=date(2026, 11, 1),
                            deadline_reason="Срок содержания под стражей истекает 15 ноября 2026 года.")
    [letter] = draft(db_session, desk, item, LetterKind.STATUS_ENQUIRY)
    text = text_of(content(db_session, letter))
    assert "Исх. № ________ от ________" in text.splitlines()  # the enquiry's own number, at the registry
    assert ("При ответе просим ссылаться на номер нашего запроса: исх. № 12-3/0042 от "
            "1 октября 2026\xa0г.") in text
    assert f"ссылаться на наш исх. № {item.reference}" not in text
    assert "Напоминаем" not in text
    assert "указанный срок истёк" in text and "1 ноября 2026" in text
    item.deadline_on = date(2026, 12, 20)
    db_session.commit()
    [later] = draft(db_session, desk, item, LetterKind.STATUS_ENQUIRY)
    ahead = text_of(content(db_session, later))
    assert "Напоминаем, что запрос просим исполнить до 20 декабря 2026" in ahead
    assert "срок истёк" not in ahead
