"""Attachments of a request: what is accepted, what is refused and why, who may upload and download."""
from __future__ import annotations

import html
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote

import docx
import pytest
from flask import Flask, render_template, session
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from mla.domain.enums import Role, Stage
from mla.domain.errors import DomainError
from mla.domain.filetypes import sniff
from mla.models import AssistanceRequest, Attachment, AuditEvent, Blob, Office, User
from mla.services.accounts.sessions import SessionPolicy, start_session
from mla.services.requests.attachments import add_attachment, clean_filename
from mla.web.shared.panels import attachment_panel

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_png() -> bytes:
    """A 1×1 white PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Запрос о правовой помощи")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a document")
    return buffer.getvalue()


TEXT = "Протокол допроса свидетеля.\nВторая строка.\n".encode()


@pytest.fixture
def drafter(client: FlaskClient, login_as: Callable[..., User]) -> User:
    user = login_as(Role.DRAFTER)
    with client.session_transaction() as flask_session:
        flask_session["lang"] = "en"
    return user


@pytest.fixture
def item(drafter: User, make_request: Callable[..., AssistanceRequest]) -> AssistanceRequest:
    return make_request(office=drafter.office, stage=Stage.DRAFT)


@pytest.fixture
def other_office(db_session: Session) -> Office:
    office = Office(code="OTH", name="Other office")
    db_session.add(office)
    db_session.commit()
    return office


def upload(client: FlaskClient, request_id: int, name: str, data: bytes, description: str = "",
           follow: bool = True) -> TestResponse:
    return client.post(f"/requests/{request_id}/attachments",
                       data={"file": (io.BytesIO(data), name), "description": description},
                       content_type="multipart/form-data", follow_redirects=follow)


def rows(db_session: Session, model: type) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def page_text(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def only_attachment(db_session: Session, request_id: int) -> Attachment:
    return db_session.scalars(select(Attachment).where(Attachment.request_id == request_id)).one()


@pytest.mark.parametrize(
    ("name", "make", "media_type"),
    [
        ("scan.pdf", make_pdf, "application/pdf"),
        ("photo.PNG", make_png, "image/png"),
        ("letter.docx", make_docx, DOCX_TYPE),
        ("Протокол допроса.txt", lambda: TEXT, "text/plain; charset=utf-8"),
    ],
)
def test_upload_and_download_return_the_same_file(
    client: FlaskClient, db_session: Session, item: AssistanceRequest,
    name: str, make: Callable[[], bytes], media_type: str,
) -> None:
    data = make()
    response = upload(client, item.id, name, data, description="From the partner")
    assert response.status_code == 200
    assert response.request.path == f"/requests/{item.id}"
    assert f"The file {name} was attached." in page_text(response)
    attachment = only_attachment(db_session, item.id)
    assert (attachment.filename, attachment.description) == (name, "From the partner")

    download = client.get(f"/requests/{item.id}/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.data == data
    assert download.headers["Content-Type"] == media_type
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (f"filename*=UTF-8''{quote(name)}" if not name.isascii() else f"filename={name}") in disposition


def test_upload_redirects_to_the_attachments_section(client: FlaskClient, item: AssistanceRequest) -> None:
    response = upload(client, item.id, "scan.pdf", make_pdf(), follow=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/requests/{item.id}#attachments")


def test_same_content_twice_is_one_blob_and_two_attachments(
    client: FlaskClient, db_session: Session, item: AssistanceRequest,
    make_request: Callable[..., AssistanceRequest], drafter: User,
) -> None:
    second = make_request(office=drafter.office)
    blobs = rows(db_session, Blob)
    upload(client, item.id, "scan.pdf", make_pdf())
    upload(client, second.id, "copy.pdf", make_pdf())
    assert rows(db_session, Blob) == blobs + 1
    names = db_session.scalars(select(Attachment.filename).order_by(Attachment.id)).all()
    assert names == ["scan.pdf", "copy.pdf"]


def test_upload_writes_an_audit_record(
    client: FlaskClient, db_session: Session, item: AssistanceRequest, drafter: User,
) -> None:
    data = make_png()
    upload(client, item.id, "photo.png", data)
    attachment = only_attachment(db_session, item.id)
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "attachment.add")).one()
    assert (event.actor_id, event.request_id, event.object_id) == (drafter.id, item.id, str(attachment.id))
    assert event.changes == {"filename": "photo.png", "sha256": attachment.blob_sha256, "size": len(data)}


def test_path_in_filename_is_stripped(
    client: FlaskClient, db_session: Session, item: AssistanceRequest,
) -> None:
    response = upload(client, item.id, "../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n")
    assert response.status_code == 200
    attachment = only_attachment(db_session, item.id)
    assert attachment.filename == "passwd.txt"
    download = client.get(f"/requests/{item.id}/attachments/{attachment.id}")
    assert "filename=passwd.txt" in download.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "The file is empty."),
        ("png-inside.pdf", make_png(), "The file's content is not what its name says: it is a PNG file."),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "This kind of file cannot be attached."),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "This kind of file cannot be attached."),
        ("archive.docx", make_zip(), "This kind of file cannot be attached."),
        ("notes.pdf", TEXT, "The file's content is not what its name says: it is a TXT file."),
    ],
)
def test_refused_upload_leaves_nothing_and_says_why(
    client: FlaskClient, db_session: Session, item: AssistanceRequest, name: str, data: bytes, message: str,
) -> None:
    blobs = rows(db_session, Blob)
    events = rows(db_session, AuditEvent)
    response = upload(client, item.id, name, data)
    assert response.status_code == 200
    assert response.request.path == f"/requests/{item.id}"
    assert message in page_text(response)
    assert rows(db_session, Attachment) == 0
    assert (rows(db_session, Blob), rows(db_session, AuditEvent)) == (blobs, events)


def test_file_over_the_limit_is_refused(
    client: FlaskClient, db_session: Session, item: AssistanceRequest, app: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024 * 1024)
    blobs = rows(db_session, Blob)
    response = upload(client, item.id, "big.txt", b"a" * (1024 * 1024 + 1))
    assert "The file is larger than 1 MB." in page_text(response)
    assert (rows(db_session, Attachment), rows(db_session, Blob)) == (0, blobs)
    upload(client, item.id, "fits.txt", b"a" * (1024 * 1024))
    assert rows(db_session, Attachment) == 1


def test_missing_file_and_long_description_are_refused(
    client: FlaskClient, db_session: Session, item: AssistanceRequest,
) -> None:
    response = client.post(f"/requests/{item.id}/attachments", data={"description": "x"},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "Choose a file to upload." in page_text(response)
    response = upload(client, item.id, "scan.pdf", make_pdf(), description="x" * 501)
    assert "Field cannot be longer than 500 characters." in page_text(response)
    assert rows(db_session, Attachment) == 0


def test_drafter_of_another_office_gets_404(
    client: FlaskClient, db_session: Session, drafter: User, other_office: Office,
    make_request: Callable[..., AssistanceRequest], now,
) -> None:
    foreign = make_request(office=other_office)
    desk = db_session.scalars(select(User).where(User.id == drafter.id)).one()
    attachment = add_attachment(db_session, actor=desk, now=now, item=foreign, filename="scan.pdf",
                                data=make_pdf(), description="", max_bytes=10**6, allowed_types=("pdf",))
    db_session.commit()
    assert upload(client, foreign.id, "scan.pdf", make_pdf(), follow=False).status_code == 404
    assert client.get(f"/requests/{foreign.id}/attachments/{attachment.id}").status_code == 404
    assert rows(db_session, Attachment) == 1


def test_attachment_of_another_request_is_not_served_through_a_visible_one(
    client: FlaskClient, db_session: Session, item: AssistanceRequest, drafter: User, other_office: Office,
    make_request: Callable[..., AssistanceRequest], now,
) -> None:
    foreign = make_request(office=other_office)
    attachment = add_attachment(db_session, actor=drafter, now=now, item=foreign, filename="scan.pdf",
                                data=make_pdf(), description="", max_bytes=10**6, allowed_types=("pdf",))
    db_session.commit()
    assert client.get(f"/requests/{item.id}/attachments/{attachment.id}").status_code == 404
    assert client.get(f"/requests/{item.id}/attachments/999999").status_code == 404
    assert upload(client, 999999, "scan.pdf", make_pdf(), follow=False).status_code == 404


@pytest.mark.parametrize("role", [Role.TRANSLATOR, Role.ADMIN])
def test_translator_and_admin_may_not_upload(
    client: FlaskClient, db_session: Session, login_as: Callable[..., User],
    make_request: Callable[..., AssistanceRequest], role: Role,
) -> None:
    user = login_as(role)
    item = make_request(office=user.office, stage=Stage.TRANSLATION)
    assert upload(client, item.id, "scan.pdf", make_pdf(), follow=False).status_code in (403, 404)
    assert rows(db_session, Attachment) == 0


def test_translator_downloads_what_waits_for_translation(
    client: FlaskClient, db_session: Session, login_as: Callable[..., User], make_user: Callable[..., User],
    make_request: Callable[..., AssistanceRequest], now,
) -> None:
    login_as(Role.TRANSLATOR)
    item = make_request(stage=Stage.TRANSLATION)
    attachment = add_attachment(db_session, actor=make_user(Role.DRAFTER), now=now, item=item,
                                filename="a.txt", data=TEXT, description="", max_bytes=10**6,
                                allowed_types=("txt",))
    db_session.commit()
    assert client.get(f"/requests/{item.id}/attachments/{attachment.id}").data == TEXT


def test_service_refuses_a_long_description(
    db_session: Session, make_user: Callable[..., User], make_request: Callable[..., AssistanceRequest], now,
) -> None:
    with pytest.raises(DomainError) as refused:
        add_attachment(db_session, actor=make_user(Role.DRAFTER), now=now, item=make_request(),
                       filename="a.txt", data=TEXT, description="x" * 501, max_bytes=10**6,
                       allowed_types=("txt",))
    assert (refused.value.field, refused.value.params) == ("description", {"count": 500})


def test_type_not_in_allowed_types_is_refused(
    db_session: Session, make_user: Callable[..., User], make_request: Callable[..., AssistanceRequest], now,
) -> None:
    with pytest.raises(DomainError) as refused:
        add_attachment(db_session, actor=make_user(Role.DRAFTER), now=now, item=make_request(),
                       filename="photo.png", data=make_png(), description="", max_bytes=10**6,
                       allowed_types=("pdf", "txt"))
    assert refused.value.field == "file"
    assert refused.value.params == {"types": "PDF, TXT"}


def test_partial_lists_attachments_and_offers_the_form(
    app: Flask, client: FlaskClient, db_session: Session, item: AssistanceRequest, drafter: User,
) -> None:
    upload(client, item.id, "Протокол.pdf", make_pdf(), description="Копия")
    session_id = start_session(db_session, user=drafter, now=datetime.now(UTC), policy=SessionPolicy())
    db_session.commit()
    with app.test_request_context("/?lang=en"):
        session["_user_id"] = session_id  # what Flask-Login reads: the drafter is signed in
        body = html.unescape(render_template("requests/_attachments.html", item=item,
                                             **attachment_panel(item)))
    attachment = only_attachment(db_session, item.id)
    assert 'id="attachments"' in body
    assert f'href="/requests/{item.id}/attachments/{attachment.id}"' in body
    assert "Протокол.pdf" in body and "Копия" in body and "Test drafter" in body
    assert 'enctype="multipart/form-data"' in body and 'name="file"' in body
    assert 'name="description"' in body and "accept=" in body and "style=" not in body


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (make_pdf(), "pdf"), (make_png(), "png"), (b"\xff\xd8\xff\xe0rest", "jpeg"),
        (b"II*\x00rest", "tiff"), (b"MM\x00*rest", "tiff"), (make_docx(), "docx"), (TEXT, "txt"),
        (make_zip(), None), (b"PK\x03\x04broken", None), (b"MZ\x90\x00", None), (b"", None),
        ("текст".encode("cp1251"), None), (b"text\x00with nul", None), (bytes(range(1, 32)) * 4, None),
    ],
)
def test_sniff(data: bytes, expected: str | None) -> None:
    assert sniff(data) == expected


def test_sniff_xlsx_and_odt() -> None:
    def archive(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zipped:
            for name, body in members.items():
                zipped.writestr(name, body)
        return buffer.getvalue()

    assert sniff(archive({"xl/workbook.xml": b"<workbook/>"})) == "xlsx"
    assert sniff(archive({"mimetype": b"application/vnd.oasis.opendocument.text"})) == "odt"
    assert sniff(archive({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})) is None
    assert sniff(archive({"word/document.xml": b"<w/>", "word/vbaProject.bin": b"\x00"})) is None


@pytest.mark.parametrize(
    ("raw", "code", "expected"),
    [
        ("../../etc/passwd", "txt", "passwd.txt"),
        ("C:\\Users\\me\\Отчёт.docx", "docx", "Отчёт.docx"),
        ("bad\x00na\nme\u202e.pdf", "pdf", "badname.pdf"),
        ("", "pdf", "attachment.pdf"),
        ("...", "png", "attachment.png"),
        ("Протокол от 12.05", "pdf", "Протокол от 12.05.pdf"),
        ("a" * 300 + ".pdf", "pdf", "a" * 196 + ".pdf"),
    ],
)
def test_clean_filename(raw: str, code: str, expected: str) -> None:
    assert clean_filename(raw, code) == expected
    assert len(clean_filename(raw, code)) <= 200
