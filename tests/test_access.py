"""Every route, every role: who may use it and who is refused. A new route must be added here."""
from collections.abc import Callable
from io import BytesIO

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from mla.domain.enums import LetterKind, MeasureStatus, PersonRole, Role, Stage
from mla.models import AssistanceRequest, GeneratedDocument, Measure, Office, OutboxMessage, Person, User
from mla.services.requests.attachments import add_attachment

ALL = set(Role)
EDITORS = {Role.DRAFTER, Role.DESK, Role.MANAGER}
CASE_ROLES = EDITORS | {Role.TRANSLATOR}

# endpoint -> (method, path, roles allowed). {draft} is an outgoing draft of the user's office
# with a person {person}, a measure {measure} and an attachment {attachment}; {sent} is one that
# was sent; {user} is the user's own account.
ROUTES = {
    "home.index": ("GET", "/", ALL - {Role.ADMIN}),
    "home.admin_home": ("GET", "/administration", {Role.ADMIN}),
    "requests.index": ("GET", "/requests/", CASE_ROLES),
    "oversight.dashboard.index": ("GET", "/dashboard", EDITORS),
    "requests.show": ("GET", "/requests/{draft}", EDITORS),
    "requests.export.export_csv": ("GET", "/requests/export.csv", EDITORS),
    "requests.export.export_xlsx": ("GET", "/requests/export.xlsx", EDITORS),
    "requests.drafting.new": ("GET", "/requests/new?direction=outgoing&kind=mla", EDITORS),
    "requests.drafting.edit": ("GET", "/requests/{draft}/edit", EDITORS),
    "requests.drafting.profile": ("GET", "/requests/profile?direction=outgoing&kind=mla&country=KZ", EDITORS),
    "requests.moves.move": ("GET", "/requests/{draft}/moves/submit", {Role.DRAFTER}),
    "requests.moves.add_link": ("POST", "/requests/{draft}/links", EDITORS),
    "requests.moves.supplementary": ("POST", "/requests/{sent}/supplementary", EDITORS),
    "requests.moves.replace_names": ("POST", "/requests/{draft}/protected-names", EDITORS),
    "requests.moves.status_enquiry": ("GET", "/requests/{sent}/status-enquiry", {Role.DESK, Role.MANAGER}),
    "persons.new": ("GET", "/requests/{draft}/persons/new", EDITORS),
    "persons.edit": ("GET", "/requests/{draft}/persons/{person}", EDITORS),
    "persons.remove": ("POST", "/requests/{draft}/persons/{person}/remove", EDITORS),
    "requests.measures.new": ("GET", "/requests/{draft}/measures/new", EDITORS),
    "requests.measures.edit": ("GET", "/requests/{draft}/measures/{measure}", EDITORS),
    "requests.measures.remove": ("POST", "/requests/{draft}/measures/{measure}/remove", EDITORS),
    "requests.measures.result": ("GET", "/requests/{sent}/measures/{sent_measure}/result",
                        {Role.DESK, Role.MANAGER}),
    "requests.attachments.upload": ("POST", "/requests/{draft}/attachments", EDITORS),
    "requests.attachments.download": ("GET", "/requests/{draft}/attachments/{attachment}", EDITORS),
    "accounts.admin.users": ("GET", "/admin/users", {Role.ADMIN}),
    "oversight.audit.index": ("GET", "/audit/", {Role.MANAGER, Role.ADMIN}),
    "oversight.audit.export": ("GET", "/audit/export.csv", {Role.MANAGER, Role.ADMIN}),
    "oversight.statistics.index": ("GET", "/statistics/", EDITORS),
    "oversight.statistics.annual_xlsx": ("GET", "/statistics/annual/2026.xlsx?language=en", EDITORS),
    "oversight.statistics.annual_docx": ("GET", "/statistics/annual/2026.docx?language=ru", EDITORS),
    "accounts.admin.new_user": ("GET", "/admin/users/new", {Role.ADMIN}),
    "accounts.admin.edit_user": ("GET", "/admin/users/{user}", {Role.ADMIN}),
    "accounts.admin.reset_password": ("POST", "/admin/users/{user}/password", {Role.ADMIN}),
    "accounts.admin.end_user_sessions": ("POST", "/admin/users/{user}/end-sessions", {Role.ADMIN}),
    "accounts.admin.reset_second_factor": ("POST", "/admin/users/{user}/second-factor", {Role.ADMIN}),
    "operations.outbox.index": ("GET", "/admin/outbox/", {Role.ADMIN}),
    "operations.outbox.show": ("GET", "/admin/outbox/{outbox_message}", {Role.ADMIN}),
    "operations.outbox.raw": ("GET", "/admin/outbox/{outbox_message}.eml", {Role.ADMIN}),
    "clocks.toggle_digest": ("POST", "/deadlines/digest", CASE_ROLES),
    "clocks.mine": ("GET", "/deadlines", CASE_ROLES),
    "clocks.rotate_feed": ("POST", "/deadlines/feed", CASE_ROLES),
    "clocks.revoke_feed": ("POST", "/deadlines/feed/revoke", CASE_ROLES),
    "clocks.calendars.calendars": ("GET", "/admin/calendars?country=AF", {Role.ADMIN}),
    "clocks.calendars.remove_day": ("POST", "/admin/calendars/days/999999/remove", {Role.ADMIN}),
    "search.index": ("GET", "/search/?q=Rahimov", EDITORS),
    "search.person": ("GET", "/search/persons/{person}", EDITORS),
    "search.link": ("POST", "/search/persons/{person}/link", EDITORS),
    "search.unlink": ("POST", "/search/persons/{person}/unlink", EDITORS),
    "search.ask_access": ("POST", "/search/persons/{person}/access", {Role.DRAFTER}),
    "search.access_handled": ("POST", "/search/access-requests/999999/handled", {Role.DESK, Role.MANAGER}),
    "letters.index": ("GET", "/requests/{draft}/letters", EDITORS),
    "letters.generate": ("POST", "/requests/{draft}/letters", EDITORS),
    "letters.download": ("GET", "/requests/{draft}/letters/{letter}", EDITORS),
    "letters.pdf": ("GET", "/requests/{draft}/letters/{letter}.pdf", EDITORS),
    "letters.translations.translations": ("GET", "/requests/{draft}/translations", {Role.DESK, Role.MANAGER}),
    "letters.translations.ask": ("POST", "/requests/{draft}/translations/ask", {Role.DESK, Role.MANAGER}),
    "letters.admin.templates": ("GET", "/admin/letter-templates", {Role.ADMIN}),
    "letters.admin.upload": ("POST", "/admin/letter-templates", {Role.ADMIN}),
    "letters.admin.activate": ("POST", "/admin/letter-templates/activate", {Role.ADMIN}),
    "letters.admin.download_template": ("GET", "/admin/letter-templates/mla_request/ru.docx", {Role.ADMIN}),
    "accounts.save_language": ("POST", "/language", ALL),
    "accounts.sessions.sessions": ("GET", "/account/sessions", ALL),
    "accounts.sessions.end_session": ("POST", "/account/sessions/999999/end", ALL),
    "accounts.sessions.end_others": ("POST", "/account/sessions/end-others", ALL),
    "accounts.two_factor.recovery_codes": ("GET", "/two-factor/recovery-codes", ALL),
}
PUBLIC = {"accounts.sign_in", "accounts.second_factor", "accounts.two_factor.enrol", "operations.healthz",
          "static", "accounts.sign_out", "clocks.feed"}
REFUSED = {403, 404}


def test_every_route_is_in_the_table(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES) | PUBLIC


@pytest.fixture
def objects(client: FlaskClient, make_request: Callable[..., AssistanceRequest], db_session: Session,
            login_as: Callable[..., User]) -> Callable[[Role], dict[str, int]]:
    def make(role: Role) -> dict[str, int]:
        user = login_as(role)
        draft = make_request(office=user.office, stage=Stage.DRAFT)
        sent = make_request(office=user.office, stage=Stage.SENT)
        person = Person(request_id=draft.id, role=PersonRole.SUSPECT, name_original="Рахимов")
        measure = Measure(request_id=draft.id, assistance_type_code="statement")
        sent_measure = Measure(request_id=sent.id, assistance_type_code="statement",
                               status=MeasureStatus.PENDING)
        db_session.add_all([person, measure, sent_measure])
        db_session.commit()
        attachment = add_attachment(db_session, actor=user, now=draft.created_at, item=draft,
                                    filename="note.txt", data="Справка".encode(), description="",
                                    max_bytes=10_000, allowed_types=("txt",))
        outbox_message = OutboxMessage(recipient="x@example.org", subject="Сроки", raw=b"Subject: x")
        letter = GeneratedDocument(request_id=draft.id, letter_kind=LetterKind.MLA_REQUEST, language="ru",
                                   version_no=1, template_version="test", blob_sha256=attachment.blob_sha256)
        db_session.add_all([outbox_message, letter])
        db_session.commit()
        return {"draft": draft.id, "sent": sent.id, "person": person.id, "measure": measure.id,
                "sent_measure": sent_measure.id, "attachment": attachment.id, "user": user.id,
                "outbox_message": outbox_message.id, "letter": letter.id}

    return make


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_access_by_role(client: FlaskClient, objects: Callable[[Role], dict[str, int]],
                              role: Role, endpoint: str) -> None:
    ids = objects(role)
    method, path, allowed = ROUTES[endpoint]
    url = path.format(**ids)
    empty_upload = {"file": (BytesIO(b""), "")}
    response = client.get(url) if method == "GET" else client.post(url, data=empty_upload)
    assert response.status_code < 500, (endpoint, role)
    if endpoint == "home.index" and role == Role.ADMIN:
        assert response.headers["Location"] == "/administration"
    elif role in allowed:
        assert response.status_code not in REFUSED | {303}, (endpoint, role, response.status_code)
    else:
        assert response.status_code in REFUSED | {303}, (endpoint, role, response.status_code)


@pytest.mark.parametrize(
    ("role", "stage", "same_office", "visible"),
    [
        (Role.DRAFTER, Stage.DRAFT, True, True),
        (Role.DRAFTER, Stage.DRAFT, False, False),
        (Role.DESK, Stage.DRAFT, False, True),
        (Role.MANAGER, Stage.SENT, False, True),
        (Role.TRANSLATOR, Stage.TRANSLATION, False, True),
        (Role.TRANSLATOR, Stage.SENT, False, False),
        (Role.ADMIN, Stage.DRAFT, True, False),
    ],
)
def test_request_page_and_list_respect_office_and_role(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    db_session: Session, role: Role, stage: Stage, same_office: bool, visible: bool,
) -> None:
    user = login_as(role)
    other = Office(code="OTH", name="Other office")
    db_session.add(other)
    db_session.commit()
    item = make_request(office=user.office if same_office else other, stage=stage)
    page = client.get(f"/requests/{item.id}")
    assert (page.status_code == 200) is visible
    listing = client.get("/requests/")
    if role != Role.ADMIN:
        assert (item.reference in listing.get_data(as_text=True)) is visible


def test_another_offices_request_cannot_be_edited_or_moved_by_a_drafter(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DRAFTER)
    other = Office(code="OTH", name="Other office")
    db_session.add(other)
    db_session.commit()
    item = make_request(office=other, stage=Stage.DRAFT)
    assert client.post(f"/requests/{item.id}/edit", data={"country_iso2": "KZ"}).status_code == 404
    assert client.post(f"/requests/{item.id}/moves/submit", data={"version": "1"}).status_code == 404
    db_session.refresh(item)
    assert item.stage == Stage.DRAFT


def test_protected_identity_hidden_from_translator(
    client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.TRANSLATOR)
    item = make_request(stage=Stage.TRANSLATION)
    db_session.add(Person(request_id=item.id, role=PersonRole.VICTIM, name_original="Қодирова Нилуфар",
                          is_protected=True, pseudonym="Лицо А"))
    db_session.commit()
    body = client.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "Лицо А" in body
    assert "Қодирова" not in body
