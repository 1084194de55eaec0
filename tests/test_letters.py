"""Drafting letters from requests: what is refused and why (nothing stored), translations, versions,
bilingual output, protected persons, the pages of the desk, the translator and the administrator, the CLI."""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.cli.letters import render_letter
from mla.domain.enums import Direction, LetterKind, PersonRole, RequestKind, Role, Stage
from mla.domain.errors import AccessDenied, DomainError
from mla.models import (
    AssistanceRequest,
    AuditEvent,
    Blob,
    GeneratedDocument,
    LetterTemplateVersion,
    Measure,
    Person,
    RequestLegalBasis,
    TextTranslation,
    User,
)
from mla.reference.loader import load_reference
from mla.services.letters.drafting import LetterRefused, draft_letter, gather_letter
from mla.services.letters.translations import save_translation
from tests.conftest import FIXED_NOW
from tests.test_letter_templates import make_template, text_of

HOME = load_reference().home_iso2

EN = {"Accept-Language": "en"}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RequestMaker = Callable[..., AssistanceRequest]
Login = Callable[..., User]
ENGLISH = {"requesting_authority": "General Prosecutor's Office of the Republic of Tajikistan",
           "conducting_authority": "Investigation department, Sughd regional prosecutor's office",
           "addressee": "General Prosecutor's Office of the Republic of Kazakhstan",
           "subject_matter": "Criminal case of trafficking in persons",
           "facts_summary": "Between March and June 2026 a group recruited citizens by deception.",
           "purpose": "To establish how the victims were recruited and moved."}


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model))


def complete_request(make_request: RequestMaker, db: Session, approver: User | None = None,
                     **fields: object) -> AssistanceRequest:
    """An outgoing MLA request to Kazakhstan with no blocking finding, drafted in Russian."""
    values = {"request_language": "ru", "channel_code": "central_authority", "drafting_language": "ru",
              "requesting_authority": "Генеральная прокуратура Республики Таджикистан",
              "conducting_authority": "Следственное управление прокуратуры Согдийской области",
              "addressee": "Генеральная прокуратура Республики Казахстан",
              "subject_matter": "Уголовное дело о торговле людьми",
              "facts_summary": "В марте–июне 2026 года группа лиц вербовала граждан & Co <обманом>.",
              "purpose": "Установить обстоятельства вербовки.", "stage": Stage.APPROVED,
              "approved_by_id": approver.id if approver else None, **fields}
    item = make_request(**values)
    db.add(RequestLegalBasis(request_id=item.id, treaty_code="untoc"))
    db.add(Measure(request_id=item.id, assistance_type_code="statement", details="Допросить свидетеля"))
    db.commit()
    db.refresh(item)
    return item


def draft(db: Session, actor: User | None, item: AssistanceRequest, kind: LetterKind = LetterKind.MLA_REQUEST,
          language: str = "ru", **options: object) -> tuple[GeneratedDocument, ...]:
    documents = draft_letter(db, home_iso2=HOME,
                             actor=actor, now=FIXED_NOW, item=item, kind=kind, language=language,
                             **options)
    db.commit()
    return documents


def content(db: Session, document: GeneratedDocument) -> bytes:
    return db.get(Blob, document.blob_sha256).content


def refused(db: Session, actor: User, item: AssistanceRequest, **options: object) -> list[str]:
    before = (count(db, GeneratedDocument), count(db, Blob), count(db, AuditEvent))
    with pytest.raises(LetterRefused) as caught:
        gather_letter(db, home_iso2=HOME, actor=actor, now=FIXED_NOW, item=item, **options)
    db.rollback()
    assert (count(db, GeneratedDocument), count(db, Blob), count(db, AuditEvent)) == before
    return [f"{problem.message % problem.params}|{problem.link}" for problem in caught.value.problems]


def test_russian_request_is_stored_with_its_template_version_and_warnings(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    manager = make_user(Role.MANAGER)
    manager.position = "Начальник управления"
    item = complete_request(make_request, db_session, manager)
    [letter] = draft(db_session, desk, item)
    assert (letter.letter_kind, letter.language, letter.version_no, letter.created_by_id) == (
        LetterKind.MLA_REQUEST, "ru", 1, desk.id)
    assert letter.template_version.startswith("2026.11.1+")
    assert {w["code"] for w in letter.warnings} >= {"missing_dual_criminality_note"}
    text = text_of(content(db_session, letter))
    assert "группа лиц вербовала граждан & Co <обманом>." in text  # & and < survive, nothing truncated
    assert "Начальник управления" in text and manager.full_name in text
    [event] = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.generate"))
    assert event.changes["sha256"] == letter.blob_sha256 and event.request_id == item.id


def test_generating_again_makes_version_two_and_keeps_version_one(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = complete_request(make_request, db_session)
    [first] = draft(db_session, desk, item)
    item.facts_summary = "Изменённые обстоятельства."
    db_session.commit()
    [second] = draft(db_session, desk, item)
    assert (first.version_no, second.version_no) == (1, 2)
    assert "Изменённые обстоятельства." in text_of(content(db_session, second))
    assert "Изменённые" not in text_of(content(db_session, first))
    assert {w["code"] for w in second.warnings} >= {"no_signatory"}


def test_a_language_the_kind_lacks_lists_what_exists_and_stores_nothing(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = complete_request(make_request, db_session, kind=RequestKind.POLICE)
    problems = refused(db_session, desk, item, kind=LetterKind.POLICE_REQUEST, language="fa_AF")
    assert problems == ["There is no template of this letter in fa_AF. Available: en, ru, tg.|None"]
    problems = refused(db_session, desk, item, kind=LetterKind.ACKNOWLEDGEMENT, language="ru")
    assert problems == ["This kind of letter is not written for this request.|None"]


def test_missing_translations_are_listed_with_links_then_the_english_letter_is_made(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    translator = make_user(Role.TRANSLATOR)
    item = complete_request(make_request, db_session)
    measure = db_session.scalar(select(Measure).where(Measure.request_id == item.id))
    problems = refused(db_session, desk, item, kind=LetterKind.MLA_REQUEST, language="en")
    wanted = [*ENGLISH, f"measure:{measure.id}:details"]
    assert [p.split("|")[1] for p in problems] == [f"translate:en#{key}" for key in wanted]
    item.stage = Stage.TRANSLATION
    db_session.commit()
    for key, text in {**ENGLISH, f"measure:{measure.id}:details": "Interview the witness"}.items():
        save_translation(db_session, actor=translator, now=FIXED_NOW, item=item, field_key=key,
                         language="en", text=text, expected_version=0)
    db_session.commit()
    [letter] = draft(db_session, desk, item, language="en")
    text = text_of(content(db_session, letter))
    assert ENGLISH["facts_summary"] in text and "1. Taking of evidence" in text
    assert "Interview the witness" in text
    assert "вербовала" not in text and "Translation from Russian" in text


def test_blocking_findings_stop_the_letter_with_links_to_the_fields(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = complete_request(make_request, db_session, purpose="", channel_code=None)
    problems = refused(db_session, desk, item, kind=LetterKind.MLA_REQUEST, language="ru")
    assert "edit#purpose" in {p.split("|")[1] for p in problems}
    assert "edit#channel_code" in {p.split("|")[1] for p in problems}


def test_status_enquiry_needs_the_transmission_then_reads_in_russian(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = complete_request(make_request, db_session, stage=Stage.SENT)
    problems = refused(db_session, desk, item, kind=LetterKind.STATUS_ENQUIRY, language="ru")
    assert problems[0].endswith("|request")
    item.transmitted_on = date(2026, 10, 1)
    item.outgoing_number = "12-3/0042"
    db_session.commit()
    [letter] = draft(db_session, desk, item, LetterKind.STATUS_ENQUIRY)
    text = text_of(content(db_session, letter))
    assert "ЗАПРОС О ХОДЕ ИСПОЛНЕНИЯ" in text and "исх. № 12-3/0042 от 1 октября 2026\u00a0г." in text
    assert desk.full_name in text  # the desk officer signs a chaser


def test_protected_victim_is_pseudonymised_unless_disclosure_is_recorded(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = complete_request(make_request, db_session)
    victim = Person(request_id=item.id, role=PersonRole.VICTIM, name_original="Қодирова Нилуфар",
                    is_protected=True, pseudonym="P-1", victim_language="tg")
    db_session.add(victim)
    db_session.commit()
    [hidden] = draft(db_session, desk, item)
    hidden_text = text_of(content(db_session, hidden))
    assert "Қодирова" not in hidden_text and "P-1" in hidden_text
    victim.disclose_identity = True
    victim.disclosure_reason = "Needed for the video-link hearing"
    db_session.commit()
    [shown] = draft(db_session, desk, item)
    assert "Қодирова Нилуфар" in text_of(content(db_session, shown))
    events = list(db_session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.generate")
                                     .order_by(AuditEvent.id)))
    assert [e.changes["disclosed_persons"] for e in events] == [[], [victim.id]]


def test_bilingual_russian_english_request_in_two_columns(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    translator = make_user(Role.TRANSLATOR)
    item = complete_request(make_request, db_session, stage=Stage.TRANSLATION)
    measure = db_session.scalar(select(Measure).where(Measure.request_id == item.id))
    for key, text in {**ENGLISH, f"measure:{measure.id}:details": "Interview the witness"}.items():
        save_translation(db_session, actor=translator, now=FIXED_NOW, item=item, field_key=key,
                         language="en", text=text, expected_version=0)
    db_session.commit()
    [letter] = draft(db_session, desk, item, language="ru", second_language="en")
    assert (letter.language, letter.second_language) == ("ru", "en")
    document = Document(io.BytesIO(content(db_session, letter)))
    [table] = [t for t in document.tables if len(t.columns) == 2]
    first_row = [cell.text for cell in table.rows[0].cells]
    assert first_row == ["Генеральная прокуратура Республики Таджикистан", ENGLISH["requesting_authority"]]
    pairs = {(row.cells[0].text, row.cells[1].text) for row in table.rows}
    assert ("ЗАПРОС О ПРАВОВОЙ ПОМОЩИ ПО УГОЛОВНОМУ ДЕЛУ",
            "REQUEST FOR MUTUAL LEGAL ASSISTANCE IN A CRIMINAL MATTER") in pairs
    separate = draft(db_session, desk, item, language="ru", second_language="en",
                     bilingual_layout="separate")
    assert [(d.language, d.second_language, d.version_no) for d in separate] == [
        ("ru", None, 2), ("en", None, 1)]


def test_dari_acknowledgement_with_english_is_right_to_left(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    desk = make_user(Role.DESK)
    item = make_request(direction=Direction.INCOMING, stage=Stage.REGISTERED, country="AF",
                        drafting_language="en", request_language="fa_AF", channel_code="diplomatic",
                        requesting_authority="Attorney General's Office of Afghanistan",
                        addressee="General Prosecutor's Office of the Republic of Tajikistan",
                        subject_matter="Trafficking of two minors", partner_reference="AGO-1403/77",
                        received_on=date(2026, 11, 20))
    for key, text in {"requesting_authority": "لوی څارنوالی افغانستان",
                      "addressee": "دادستانی کل جمهوری تاجیکستان",
                      "subject_matter": "قاچاق دو طفل"}.items():
        save_translation(db_session, actor=desk, now=FIXED_NOW, item=item, field_key=key, language="fa_AF",
                         text=text, expected_version=0)
    db_session.commit()
    [letter] = draft(db_session, desk, item, LetterKind.ACKNOWLEDGEMENT, "fa_AF", second_language="en")
    xml = zipfile.ZipFile(io.BytesIO(content(db_session, letter))).read("word/document.xml").decode()
    assert "<w:bidiVisual/>" in xml and '<w:bidi w:val="0"/>' in xml and "<w:bidi/>" in xml
    text = text_of(content(db_session, letter))
    assert "تأیید وصول" in text and "ACKNOWLEDGEMENT OF RECEIPT" in text
    assert "۲۹ عقرب ۱۴۰۵ هـ.ش. (۲۰ نومبر ۲۰۲۶ م.)" in text
    assert "AGO-1403/77" in text and "Received" not in text


def test_access_rules_of_letters_and_translations(
    db_session: Session, make_request: RequestMaker, make_user: Callable[..., User]
) -> None:
    item = complete_request(make_request, db_session)
    for role in (Role.TRANSLATOR, Role.ADMIN):
        with pytest.raises(AccessDenied):
            gather_letter(db_session, home_iso2=HOME, actor=make_user(role), now=FIXED_NOW, item=item,
                          kind=LetterKind.MLA_REQUEST, language="ru")
    with pytest.raises(AccessDenied):  # a translator sees only requests waiting for translation
        save_translation(db_session, actor=make_user(Role.TRANSLATOR), now=FIXED_NOW, item=item,
                         field_key="purpose", language="en", text="x", expected_version=0)
    desk = make_user(Role.DESK)
    for key, language, text in (("purpose", "ru", "x"), ("purpose", "xx", "x"), ("secret", "en", "x"),
                                ("measure:999999:details", "en", "x"), ("purpose", "en", "x" * 20_001)):
        with pytest.raises(DomainError):
            save_translation(db_session, actor=desk, now=FIXED_NOW, item=item, field_key=key,
                             language=language, text=text, expected_version=0)
    db_session.rollback()
    assert count(db_session, TextTranslation) == 0


def test_desk_generates_from_the_page_and_downloads(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    login_as(Role.DESK)
    item = complete_request(make_request, db_session)
    page = client.get(f"/requests/{item.id}/letters", headers=EN)
    assert page.status_code == 200 and "Generate the letter" in page.get_data(as_text=True)
    form = {"kind": "mla_request", "language": "ru", "second_language": "", "layout": "columns"}
    response = client.post(f"/requests/{item.id}/letters", data=form, headers=EN)
    assert response.status_code == 302
    [letter] = db_session.scalars(select(GeneratedDocument).where(GeneratedDocument.request_id == item.id))
    listing = client.get(f"/requests/{item.id}/letters", headers=EN).get_data(as_text=True)
    assert "Request for mutual legal assistance" in listing and f"/letters/{letter.id}" in listing
    download = client.get(f"/requests/{item.id}/letters/{letter.id}")
    assert download.status_code == 200 and download.data == content(db_session, letter)
    assert f"{item.reference}_mla_request_ru_v1.docx" in download.headers["Content-Disposition"]
    assert client.get(f"/requests/{item.id}/letters/999999").status_code == 404


def test_refused_generation_shows_what_to_do_and_keeps_the_choice(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    login_as(Role.DESK)
    item = complete_request(make_request, db_session)
    form = {"kind": "mla_request", "language": "en", "second_language": "ru", "layout": "separate"}
    response = client.post(f"/requests/{item.id}/letters", data=form, headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "The letter cannot be generated yet" in body
    assert "Translate Summary of the facts into English." in body
    assert f"/requests/{item.id}/translations?language=en#t-facts_summary" in body
    assert '<option selected value="separate">' in body and '<option selected value="ru">' in body
    odd = client.post(f"/requests/{item.id}/letters", data={**form, "kind": "no_such_kind"}, headers=EN)
    assert odd.status_code == 400
    assert count(db_session, GeneratedDocument) == 0


def test_translator_enters_translations_and_bad_input_keeps_what_was_typed(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session
) -> None:
    login_as(Role.TRANSLATOR)
    item = complete_request(make_request, db_session, stage=Stage.TRANSLATION)
    page = client.get(f"/requests/{item.id}/translations?language=zz", headers=EN)
    assert page.status_code == 200 and "Генеральная прокуратура Республики Таджикистан" in page.get_data(True)
    too_long = {"t-purpose": "Kept text", "t-facts_summary": "x" * 20_001, "v-purpose": "0",
                "v-facts_summary": "0"}
    response = client.post(f"/requests/{item.id}/translations?language=en", data=too_long, headers=EN)
    assert response.status_code == 400 and "Enter at most 20000 characters." in response.get_data(True)
    assert "Kept text" in response.get_data(True) and count(db_session, TextTranslation) == 0
    saved = client.post(f"/requests/{item.id}/translations?language=en",
                        data={"t-purpose": "To establish the recruitment.", "v-purpose": "0"})
    assert saved.status_code == 302
    [row] = db_session.scalars(select(TextTranslation))
    assert (row.field_key, row.language, row.text) == ("purpose", "en", "To establish the recruitment.")


def test_admin_upload_is_checked_then_used_then_rolled_back(
    client: FlaskClient, login_as: Login, make_request: RequestMaker, db_session: Session,
    make_user: Callable[..., User],
) -> None:
    login_as(Role.ADMIN)
    bad = {"kind": "status_enquiry", "language": "en", "note": "broken",
           "file": (io.BytesIO(make_template("{{ our_reference.__class__ }}", "{{ secret }}")), "bad.docx")}
    response = client.post("/admin/letter-templates", data=bad, headers=EN,
                           content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "__class__" in body and "secret" in body
    assert count(db_session, LetterTemplateVersion) == 0
    good = {"kind": "status_enquiry", "language": "en", "note": "shorter",
            "file": (io.BytesIO(make_template("Ref {{ our_reference }}", "{{ subject_matter }}")), "ok.docx")}
    uploaded = client.post("/admin/letter-templates", data=good, content_type="multipart/form-data")
    assert uploaded.status_code == 302
    [version] = db_session.scalars(select(LetterTemplateVersion))
    assert (version.version_no, version.is_active) == (1, True)
    item = complete_request(make_request, db_session, stage=Stage.SENT, transmitted_on=date(2026, 10, 1),
                            outgoing_number="12-3/1")
    desk = make_user(Role.DESK)
    # the English chaser needs the English text of its fields
    for key in ("requesting_authority", "addressee", "subject_matter"):
        save_translation(db_session, actor=desk, now=FIXED_NOW, item=item, field_key=key, language="en",
                         text=ENGLISH[key], expected_version=0)
    db_session.commit()
    [letter] = draft(db_session, desk, item, LetterKind.STATUS_ENQUIRY, "en")
    assert letter.template_version.startswith("upload-1+")
    assert text_of(content(db_session, letter)).startswith(f"Ref {item.reference}")
    back = {"kind": "status_enquiry", "language": "en", "version": "shipped"}
    assert client.post("/admin/letter-templates/activate", data=back).status_code == 302
    db_session.expire_all()
    assert db_session.get(LetterTemplateVersion, version.id).is_active is None
    [again] = draft(db_session, desk, item, LetterKind.STATUS_ENQUIRY, "en")
    assert again.template_version.startswith("2026.11.1+") and again.version_no == 2
    assert client.get("/admin/letter-templates", headers=EN).status_code == 200
    odd = client.post("/admin/letter-templates/activate", data={**back, "version": "x'; --"})
    assert odd.status_code == 302 and db_session.get(LetterTemplateVersion, version.id).is_active is None


def test_render_letter_command_writes_and_stores(
    db_session: Session, make_request: RequestMaker, tmp_path: Path
) -> None:
    item = complete_request(make_request, db_session)
    target = tmp_path / "letter.docx"
    written = render_letter(db_session, now=FIXED_NOW, reference=item.reference, kind="mla_request",
                            language="ru", second_language=None, output=target)
    db_session.commit()
    assert written == [target] and "ЗАПРОС О ПРАВОВОЙ ПОМОЩИ" in text_of(target.read_bytes())
    [letter] = db_session.scalars(select(GeneratedDocument))
    assert letter.created_by_id is None
    with pytest.raises(LookupError):
        render_letter(db_session, now=FIXED_NOW, reference="NOPE", kind="mla_request", language="ru",
                      second_language=None, output=target)
    with pytest.raises(ValueError, match="unknown kind"):
        render_letter(db_session, now=FIXED_NOW, reference=item.reference, kind="poem", language="ru",
                      second_language=None, output=target)
    assert json.loads(json.dumps(letter.warnings))  # warnings are plain JSON


def test_the_demo_desk_makes_its_three_letters(db_session: Session) -> None:
    from mla.demo.seed import seed_demo

    seed_demo(db_session, now=FIXED_NOW)
    chased, bilingual, incoming = (db_session.scalars(select(AssistanceRequest).where(
        AssistanceRequest.direction == direction, AssistanceRequest.kind == RequestKind.MLA,
        AssistanceRequest.country_iso2 == country, AssistanceRequest.stage == stage)
        .order_by(AssistanceRequest.id)).first() for direction, country, stage in (
            (Direction.OUTGOING, "KZ", Stage.SENT), (Direction.OUTGOING, "RU", Stage.READY_TO_SEND),
            (Direction.INCOMING, "AF", Stage.RECEIVED)))
    db_session.commit()
    desk = db_session.scalar(select(User).where(User.role == Role.DESK))
    [enquiry] = draft(db_session, desk, chased, LetterKind.STATUS_ENQUIRY, "ru")
    assert "ЗАПРОС О ХОДЕ ИСПОЛНЕНИЯ" in text_of(content(db_session, enquiry))
    [request] = draft(db_session, desk, bilingual, LetterKind.MLA_REQUEST, "ru", second_language="en")
    text = text_of(content(db_session, request))
    assert "REQUEST FOR MUTUAL LEGAL ASSISTANCE" in text and "ЗАПРОС О ПРАВОВОЙ ПОМОЩИ" in text
    assert "General Prosecutor's Office of the Russian Federation" in text
    [acknowledgement] = draft(db_session, desk, incoming, LetterKind.ACKNOWLEDGEMENT, "fa_AF",
                              second_language="en")
    text = text_of(content(db_session, acknowledgement))
    assert "لوی څارنوالی افغانستان" in text and "Attorney General's Office of Afghanistan" in text
    assert "قضیه جزایی قاچاق انسان و مهاجرت غیرقانونی" in text


def test_a_letter_with_no_body_cannot_be_put_in_columns() -> None:
    from mla.documents.compose import compose_columns
    from mla.documents.render import DOCUMENT_PART, RenderError

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(DOCUMENT_PART, '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                                        'wordprocessingml/2006/main"/>')
    with pytest.raises(RenderError, match="no body"):
        compose_columns(buffer.getvalue(), buffer.getvalue(), first_is_rtl=False, second_is_rtl=False)


def test_a_page_size_without_its_width_puts_the_columns_in_the_default_width() -> None:
    from lxml import etree

    from mla.documents.compose import compose_columns
    from mla.documents.render import DOCUMENT_PART

    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(DOCUMENT_PART, f'<w:document xmlns:w="{main}"><w:body><w:p/><w:sectPr>'
                                        '<w:pgSz/><w:pgMar w:left="1000" w:right="1000"/></w:sectPr>'
                                        '</w:body></w:document>')
    composed = compose_columns(buffer.getvalue(), buffer.getvalue(), first_is_rtl=False, second_is_rtl=False)
    with zipfile.ZipFile(io.BytesIO(composed)) as archive:
        document = etree.fromstring(archive.read(DOCUMENT_PART))
    assert document.find(f".//{{{main}}}tblW").get(f"{{{main}}}w") == "9355"
