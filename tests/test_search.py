"""The search box, a person's page, duplicates on entry and requests for access, against the database:
what each role finds and sees, what bad input gets, and that a query reads a bounded set of rows."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from mla.demo.seed import seed_demo
from mla.domain.enums import Direction, PersonRole, Role, Stage
from mla.domain.errors import DomainError
from mla.domain.search_query import parse_query
from mla.models import AssistanceRequest, AuditEvent, NationalCase, Office, Person, User
from mla.reference.loader import load_reference
from mla.services.persons.access_requests import count_open_access_requests, open_access_requests
from mla.services.persons.editing import PersonInput, add_person, update_person
from mla.services.persons.identities import link_persons
from mla.services.persons.search import BLOCK_LIMIT, HiddenMatch, PersonMatch, name_candidates, search
from tests.conftest import FIXED_NOW

HOME = load_reference().home_iso2

EN = {"Accept-Language": "en"}
RequestMaker = Callable[..., AssistanceRequest]
Login = Callable[..., User]


@pytest.fixture
def other_office(db_session: Session) -> Office:
    office = Office(code="KHU", name="Khujand regional office", city="Khujand")
    db_session.add(office)
    db_session.commit()
    return office


def put_person(db: Session, actor: User, item: AssistanceRequest, name: str, **fields: object) -> Person:
    values = {"role": PersonRole.SUSPECT, "name_original": name, **fields}
    person = add_person(db, actor=actor, now=FIXED_NOW, item=item, data=PersonInput(**values))
    db.commit()
    return person


def events(db: Session, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def person_count(db: Session, item: AssistanceRequest) -> int:
    return db.scalar(select(func.count()).select_from(Person).where(Person.request_id == item.id))


def test_names_are_found_across_scripts_ranked_by_similarity(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker
) -> None:
    desk = make_user(Role.DESK)
    item = make_request()
    meant = put_person(db_session, desk, item, "Раҳимов Фарҳод Каримович", name_cyrillic="Рахимов Фарход")
    for name in ("Rahimova Nilufar", "Rahmonov Farhod", "Karimov Farhod", "Nazarov Umed"):
        put_person(db_session, desk, item, name)
    for typed in ("Rakhimov Farkhod", "Raximov Farhod", "Рахимов Фарход", "Farkhod Rakhimov"):
        found = search(db_session, actor=desk, query=parse_query(typed)).persons
        assert found[0].person.id == meant.id, typed
        assert found[0].score == 100
        assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
        assert "Nazarov Umed" not in {m.person.name_original for m in found}


def test_a_date_of_birth_narrows_the_names_and_alone_lists_who_was_born_that_day(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker
) -> None:
    desk = make_user(Role.DESK)
    item = make_request()
    born_1990 = put_person(db_session, desk, item, "Рахимов Фарход", birth_date=date(1990, 5, 12))
    put_person(db_session, desk, item, "Рахимов Фарход", birth_date=date(1985, 1, 3))
    put_person(db_session, desk, item, "Назаров Умед", birth_date=date(1990, 5, 12))
    narrowed = search(db_session, actor=desk, query=parse_query("Rakhimov Farkhod 12.05.1990")).persons
    assert [m.person.id for m in narrowed] == [born_1990.id]
    alone = search(db_session, actor=desk, query=parse_query("1990-05-12")).persons
    assert {m.person.name_original for m in alone} == {"Рахимов Фарход", "Назаров Умед"}


def test_numbers_find_requests_by_reference_partner_reference_and_case_number_as_the_user_may_see_them(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker, other_office: Office
) -> None:
    case = NationalCase(office_id=other_office.id, case_number="2026/1100", stage="pre_trial")
    db_session.add(case)
    db_session.commit()
    own = make_request(partner_reference="KZ-GP-77/2026")
    theirs = make_request(office=other_office, national_case_id=case.id)
    drafter = make_user(Role.DRAFTER)
    desk = make_user(Role.DESK)
    for typed, expected in ((own.reference.lower(), own), ("KZ-GP-77/2026", own), ("2026/1100", theirs)):
        found = search(db_session, actor=desk, query=parse_query(typed)).requests
        assert [r.id for r in found] == [expected.id]
    assert search(db_session, actor=drafter, query=parse_query("2026/1100")).requests == []
    assert search(db_session, actor=drafter, query=parse_query(theirs.reference)).requests == []


def test_an_identity_document_number_finds_the_person(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker
) -> None:
    desk = make_user(Role.DESK)
    person = put_person(
        db_session,
        desk,
        make_request(),
        "Каримов Алишер",
        id_documents="Паспорт A1234567, выдан ОВД Сино 2015",
    )
    found = search(db_session, actor=desk, query=parse_query("a1234567")).persons
    assert [m.person.id for m in found] == [person.id]
    assert search(db_session, actor=desk, query=parse_query("A7654321")).persons == []


def test_a_drafter_learns_only_that_a_match_exists_in_another_office_and_can_ask_the_desk(
    client: FlaskClient,
    login_as: Login,
    db_session: Session,
    make_request: RequestMaker,
    make_user: Callable[..., User],
    other_office: Office,
) -> None:
    drafter = login_as(Role.DRAFTER)
    theirs = make_request(
        office=other_office, country="AF", direction=Direction.INCOMING, stage=Stage.REGISTERED
    )
    person = put_person(
        db_session,
        make_user(Role.DESK),
        theirs,
        "Рахимов Фарход",
        birth_date=date(1987, 3, 21),
        name_latin="Rakhimov Farkhod",
    )
    body = client.get("/search/?q=Rahimov", headers=EN).get_data(as_text=True)
    assert 'data-testid="hidden-match"' in body
    assert "Afghanistan" in body and "Khujand regional office" in body and "Incoming" in body
    for secret in ("Фарход", "Rakhimov Farkhod", theirs.reference, "1987", f'/search/persons/{person.id}"'):
        assert secret not in body
    asked = client.post(f"/search/persons/{person.id}/access", data={"next": "/search/?q=Rahimov"})
    assert asked.status_code == 302 and asked.headers["Location"] == "/search/?q=Rahimov"
    [event] = events(db_session, "access.requested")
    assert (event.actor_id, event.request_id, event.changes["office"]) == (drafter.id, theirs.id, "TST")
    again = client.post(f"/search/persons/{person.id}/access", headers=EN, follow_redirects=True)
    assert "already asked" in again.get_data(as_text=True)
    assert len(events(db_session, "access.requested")) == 1
    assert client.get(f"/search/persons/{person.id}").status_code == 404


def test_the_desk_sees_requests_for_access_and_marks_them_dealt_with(
    client: FlaskClient,
    login_as: Login,
    db_session: Session,
    make_request: RequestMaker,
    make_user: Callable[..., User],
    other_office: Office,
) -> None:
    from mla.services.persons.access_requests import request_access

    drafter = make_user(Role.DRAFTER)
    theirs = make_request(office=other_office)
    person = put_person(db_session, make_user(Role.DESK), theirs, "Рахимов Фарход")
    event = request_access(db_session, actor=drafter, now=FIXED_NOW, person=person)
    db_session.commit()
    desk = login_as(Role.DESK)
    assert count_open_access_requests(db_session, actor=desk, now=FIXED_NOW) == 1
    assert count_open_access_requests(db_session, actor=desk, now=FIXED_NOW + timedelta(days=31)) == 0
    page = client.get("/search/", headers=EN).get_data(as_text=True)
    assert "Requests for access from drafters" in page and theirs.reference in page
    assert "Access requests" in client.get("/", headers=EN).get_data(as_text=True)
    done = client.post(f"/search/access-requests/{event.id}/handled", headers=EN)
    assert done.status_code == 302
    desk = db_session.scalar(
        select(User).where(User.role == Role.DESK, User.id != drafter.id).order_by(User.id.desc())
    )
    assert open_access_requests(db_session, actor=desk, now=FIXED_NOW) == []
    assert count_open_access_requests(db_session, actor=desk, now=FIXED_NOW) == 0
    assert [e.object_id for e in events(db_session, "access.handled")] == [str(event.id)]
    assert theirs.reference not in client.get("/search/", headers=EN).get_data(as_text=True)


def test_a_protected_person_is_never_matched_by_name_nor_revealed_to_another_office(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker, other_office: Office
) -> None:
    desk = make_user(Role.DESK)
    theirs = make_request(office=other_office)
    victim = put_person(
        db_session,
        desk,
        theirs,
        "Қодирова Нилуфар",
        role=PersonRole.VICTIM,
        is_protected=True,
        name_latin="Qodirova Nilufar",
        id_documents="Паспорт A7777777",
    )
    assert victim.name_key == ""
    drafter = make_user(Role.DRAFTER)
    for actor in (drafter, desk):
        assert search(db_session, actor=actor, query=parse_query("Qodirova Nilufar")).persons == []
    assert search(db_session, actor=drafter, query=parse_query("A7777777")).persons == []
    [shown] = search(db_session, actor=desk, query=parse_query("A7777777")).persons
    assert shown.person.id == victim.id and shown.show_identity


@pytest.mark.parametrize("role", [Role.TRANSLATOR, Role.ADMIN])
def test_translators_and_admins_do_not_search(client: FlaskClient, login_as: Login, role: Role) -> None:
    login_as(role)
    assert client.get("/search/?q=Rahimov").status_code == 403


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type a name, a date of birth"),
        ("R", "Type at least 2 letters"),
        ("x" * 5000, "Type at most 200 characters"),
        ("!!! ... ???", "letters or digits"),
        ("😀🙈🎉", "letters or digits"),
        ("30.02.1990", "is not a date"),
    ],
)
def test_bad_input_gets_a_clear_answer_on_the_search_page_keeping_what_was_typed(
    client: FlaskClient, login_as: Login, typed: str, message: str
) -> None:
    login_as(Role.DESK)
    response = client.get("/search/", query_string={"q": typed}, headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body and 'data-testid="search-error"' in body
    assert f'value="{typed[:1000]}"' in body


def test_mixed_scripts_in_one_word_are_searched(
    client: FlaskClient, login_as: Login, db_session: Session, make_request: RequestMaker
) -> None:
    desk = login_as(Role.DESK)
    put_person(db_session, desk, make_request(), "Рахимов Фарход")
    response = client.get("/search/", query_string={"q": "Rахимов"}, headers=EN)  # Latin R, Cyrillic rest
    assert response.status_code == 200 and "Рахимов Фарход" in response.get_data(as_text=True)


def test_the_person_page_lists_every_request_of_linked_records_across_countries_and_directions(
    client: FlaskClient,
    login_as: Login,
    db_session: Session,
    make_request: RequestMaker,
    make_user: Callable[..., User],
    other_office: Office,
) -> None:
    desk = make_user(Role.DESK)
    own = make_request(country="KZ")
    incoming = make_request(
        office=other_office, country="AF", direction=Direction.INCOMING, stage=Stage.REGISTERED
    )
    outgoing = make_request(office=other_office, country="RU")
    mine = put_person(db_session, desk, own, "Рахимов Фарход", birth_date=date(1990, 5, 12))
    for item, name in ((incoming, "Rakhimov Farkhod"), (outgoing, "Raximov Farhod")):
        other = put_person(db_session, desk, item, name, birth_date=date(1990, 5, 12))
        link_persons(db_session, actor=desk, now=FIXED_NOW, person=mine, other=other)
        db_session.commit()
    login_as(Role.DESK)
    page = client.get(f"/search/persons/{mine.id}", headers=EN).get_data(as_text=True)
    for item in (own, incoming, outgoing):
        assert item.reference in page
    assert "Afghanistan" in page and "Russia" in page and "Incoming" in page and "Outgoing" in page
    login_as(Role.DRAFTER)
    drafter_page = client.get(f"/search/persons/{mine.id}", headers=EN).get_data(as_text=True)
    assert own.reference in drafter_page
    assert incoming.reference not in drafter_page and outgoing.reference not in drafter_page
    assert drafter_page.count('data-testid="hidden-match"') == 2
    assert "Rakhimov Farkhod" not in drafter_page and "Raximov Farhod" not in drafter_page


def test_linking_and_unlinking_from_the_person_page(
    client: FlaskClient,
    login_as: Login,
    db_session: Session,
    make_request: RequestMaker,
    other_office: Office,
) -> None:
    desk = login_as(Role.DESK)
    first = put_person(db_session, desk, make_request(), "Рахимов Фарход", birth_date=date(1990, 5, 12))
    second = put_person(
        db_session, desk, make_request(office=other_office), "Rakhimov Farkhod", birth_date=date(1990, 12, 5)
    )
    page = client.get(f"/search/persons/{first.id}", headers=EN).get_data(as_text=True)
    assert "Possibly the same person" in page and "close date of birth" in page and "Rakhimov Farkhod" in page
    linked = client.post(f"/search/persons/{first.id}/link", data={"other_id": str(second.id)})
    assert linked.status_code == 302
    db_session.refresh(first)
    db_session.refresh(second)
    assert first.identity_group and first.identity_group == second.identity_group
    assert len(events(db_session, "person.link")) == 2
    refused = client.post(
        f"/search/persons/{first.id}/link",
        data={"other_id": str(second.id)},
        headers=EN,
        follow_redirects=True,
    )
    assert "already linked" in refused.get_data(as_text=True)
    assert client.post(f"/search/persons/{first.id}/link", data={"other_id": "abc"}).status_code == 302
    assert client.post(f"/search/persons/{second.id}/unlink").status_code == 302
    db_session.refresh(first)
    db_session.refresh(second)
    assert first.identity_group is None and second.identity_group is None


def test_a_drafter_cannot_link_a_record_of_another_office_by_posting_its_id(
    client: FlaskClient,
    login_as: Login,
    db_session: Session,
    make_request: RequestMaker,
    make_user: Callable[..., User],
    other_office: Office,
) -> None:
    drafter = login_as(Role.DRAFTER)
    desk = make_user(Role.DESK)
    mine = put_person(db_session, desk, make_request(office=drafter.office), "Рахимов Фарход",
                      birth_date=date(1990, 5, 12))
    theirs = put_person(db_session, desk, make_request(office=other_office), "Rakhimov Farkhod",
                        birth_date=date(1990, 5, 12))
    page = client.get(f"/search/persons/{mine.id}", headers=EN).get_data(as_text=True)
    assert 'data-testid="hidden-match"' in page and f'name="other_id" value="{theirs.id}"' not in page
    refused = client.post(f"/search/persons/{mine.id}/link", data={"other_id": str(theirs.id)}, headers=EN,
                          follow_redirects=True)
    assert refused.status_code == 200
    assert "in a request you may not open" in refused.get_data(as_text=True)
    db_session.refresh(mine)
    db_session.refresh(theirs)
    assert mine.identity_group is None and theirs.identity_group is None
    assert events(db_session, "person.link") == []


def person_form(**overrides: str) -> dict[str, str]:
    form = {"role": "suspect", "name_original": "Rakhimov Farkhod", "birth_date": "1990-05-12"}
    form.update(overrides)
    return form


def test_adding_a_person_offers_likely_duplicates_and_links_only_one_the_user_may_open(
    client: FlaskClient,
    login_as: Login,
    db_session: Session,
    make_request: RequestMaker,
    make_user: Callable[..., User],
    other_office: Office,
) -> None:
    login_as(Role.DRAFTER)
    theirs = make_request(office=other_office, country="UZ")
    desk = make_user(Role.DESK)
    hidden = put_person(db_session, desk, theirs, "Рахимов Фарход", birth_date=date(1990, 5, 12))
    put_person(db_session, desk, theirs, "Рахимов Фарход", birth_date=date(1970, 1, 1))
    ours = put_person(db_session, desk, make_request(country="RU"), "Рахимов Фарход",
                      birth_date=date(1990, 5, 12))
    item = make_request()
    offered = client.post(f"/requests/{item.id}/persons/new", data=person_form(), headers=EN)
    body = offered.get_data(as_text=True)
    assert offered.status_code == 200 and 'data-testid="duplicate-choice"' in body
    assert "Uzbekistan" in body and "same date of birth" in body
    assert f'id="same-as-{ours.id}"' in body and f'id="same-as-{hidden.id}"' not in body
    assert body.count('name="same_as"') == 2  # "none of these" and the record of the own office
    assert theirs.reference not in body
    assert 'value="Rakhimov Farkhod"' in body
    assert person_count(db_session, item) == 0
    refused = client.post(f"/requests/{item.id}/persons/new", headers=EN,
                          data=person_form(duplicates_checked="1", same_as=str(hidden.id)))
    assert refused.status_code == 403 and "in a request you may not open" in refused.get_data(as_text=True)
    assert 'value="Rakhimov Farkhod"' in refused.get_data(as_text=True)
    assert person_count(db_session, item) == 0
    db_session.refresh(hidden)
    assert hidden.identity_group is None
    saved = client.post(
        f"/requests/{item.id}/persons/new", data=person_form(duplicates_checked="1", same_as=str(ours.id))
    )
    assert saved.status_code == 302
    added = db_session.scalar(select(Person).where(Person.request_id == item.id))
    db_session.refresh(ours)
    assert added.identity_group and added.identity_group == ours.identity_group
    assert added.name_key.startswith("rhmb0brhd0")


def test_choosing_none_of_the_duplicates_saves_the_person_unlinked(
    client: FlaskClient,
    login_as: Login,
    db_session: Session,
    make_request: RequestMaker,
    make_user: Callable[..., User],
) -> None:
    login_as(Role.DRAFTER)
    desk = make_user(Role.DESK)
    put_person(db_session, desk, make_request(), "Рахимов Фарход", birth_date=date(1990, 5, 12))
    item = make_request()
    choice = person_form(duplicates_checked="1", same_as="")
    saved = client.post(f"/requests/{item.id}/persons/new", data=choice)
    assert saved.status_code == 302
    added = db_session.scalar(select(Person).where(Person.request_id == item.id))
    assert added.identity_group is None
    assert events(db_session, "person.link") == []


def test_a_bad_form_after_the_duplicates_keeps_everything_and_stores_nothing(
    client: FlaskClient,
    login_as: Login,
    db_session: Session,
    make_request: RequestMaker,
    make_user: Callable[..., User],
) -> None:
    login_as(Role.DRAFTER)
    existing = put_person(db_session, make_user(Role.DESK), make_request(), "Рахимов Фарход")
    item = make_request()
    response = client.post(
        f"/requests/{item.id}/persons/new",
        headers=EN,
        data=person_form(duplicates_checked="1", same_as=str(existing.id), birth_date="2999-01-01"),
    )
    assert response.status_code == 400 and "Enter a date from" in response.get_data(as_text=True)
    assert person_count(db_session, item) == 0
    db_session.refresh(existing)
    assert existing.identity_group is None


def test_the_key_follows_every_change_of_names_and_protection(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker
) -> None:
    desk = make_user(Role.DESK)
    item = make_request()
    person = put_person(db_session, desk, item, "Каримов Алишер", role=PersonRole.VICTIM)
    assert person.name_key.startswith("krmb0lsr0")
    update_person(
        db_session,
        actor=desk,
        now=FIXED_NOW,
        item=item,
        person=person,
        expected_version=person.version,
        data=PersonInput(
            role=PersonRole.VICTIM, name_original="Каримов Алишер", aliases="Karimov Alisher\nKarimov A."
        ),
    )
    assert "karimov a" in person.name_key
    update_person(
        db_session,
        actor=desk,
        now=FIXED_NOW,
        item=item,
        person=person,
        expected_version=person.version,
        data=PersonInput(role=PersonRole.VICTIM, name_original="Каримов Алишер", is_protected=True),
    )
    assert person.name_key == ""


def test_a_query_reads_a_bounded_number_of_candidates(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker
) -> None:
    from mla.domain.names import person_key

    item = make_request()
    db_session.execute(
        insert(Person),
        [
            {
                "request_id": item.id,
                "role": PersonRole.SUSPECT,
                "name_original": f"Рахимов Фарход {n}",
                "name_key": person_key(name_original=f"Рахимов Фарход{'а' * (n % 7)}"),
                "created_at": FIXED_NOW,
            }
            for n in range(3 * BLOCK_LIMIT)
        ],
    )
    db_session.commit()
    candidates = name_candidates(db_session, ("rahimov", "farhod"))
    assert BLOCK_LIMIT <= len(candidates) <= 4 * BLOCK_LIMIT
    result = search(db_session, actor=make_user(Role.DESK), query=parse_query("Rakhimov Farkhod"))
    assert result.more_persons and len(result.persons) == 30


def test_the_demo_persons_are_findable(db_session: Session, make_user: Callable[..., User]) -> None:
    seed_demo(db_session, now=FIXED_NOW)
    desk = make_user(Role.DESK, office=None)
    found = search(db_session, actor=desk, query=parse_query("Rakhimov")).persons
    assert any(isinstance(m, PersonMatch) and "Рахимов" in m.person.name_original for m in found)
    assert not any(isinstance(m, HiddenMatch) for m in found)
    protected = db_session.scalars(select(Person.name_key).where(Person.is_protected.is_(True)))
    assert set(protected) <= {""}


def test_a_date_alone_tells_a_drafter_nothing_of_other_offices(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker, other_office: Office
) -> None:
    desk = make_user(Role.DESK)
    mine = put_person(db_session, desk, make_request(), "Назаров Умед", birth_date=date(1990, 5, 12))
    theirs = make_request(office=other_office)
    put_person(db_session, desk, theirs, "Рахимов Фарход", birth_date=date(1990, 5, 12))
    found = search(db_session, actor=make_user(Role.DRAFTER), query=parse_query("12.05.1990")).persons
    assert [(type(m), m.person_id) for m in found] == [(PersonMatch, mine.id)]


def test_keys_of_records_written_before_the_search_are_rebuilt(
    db_session: Session, make_request: RequestMaker
) -> None:
    from mla.services.persons.identities import rebuild_name_keys

    item = make_request()
    db_session.add_all(
        [
            Person(request_id=item.id, role=PersonRole.SUSPECT, name_original="Рахимов Фарход"),
            Person(
                request_id=item.id,
                role=PersonRole.VICTIM,
                name_original="Қодирова Нилуфар",
                is_protected=True,
            ),
        ]
    )
    db_session.commit()
    assert rebuild_name_keys(db_session, batch=1) == 1
    keys = {name: key for name, key in db_session.execute(select(Person.name_original, Person.name_key))}
    assert keys == {"Рахимов Фарход": "rhmb0brhd0rahimov farhod", "Қодирова Нилуфар": ""}
    assert rebuild_name_keys(db_session) == 0


@pytest.mark.parametrize(
    "payload",
    [
        '<script>alert("xss-7")</script>',
        "' OR '1'='1' --",
        '{{ "ssti-" ~ 7*191 }}',
        "\u202e\u0000%00",
        "A\u0000123456",
        "Rakhimov\u0000",
        "OUT-MLA-2026-0001\u0000",
    ],
)
def test_hostile_queries_are_answered_and_never_echoed_unescaped(
    client: FlaskClient, login_as: Login, db_session: Session, make_request: RequestMaker, payload: str
) -> None:
    login_as(Role.DESK)
    response = client.get("/search/", query_string={"q": payload}, headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    assert '<script>alert("xss-7")' not in body and "ssti-1337" not in body


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "/x\r\nSet-Cookie: a=b"]
)
def test_buttons_return_only_to_pages_of_this_site(
    client: FlaskClient, login_as: Login, db_session: Session, make_request: RequestMaker, target: str
) -> None:
    desk = login_as(Role.DESK)
    person = put_person(db_session, desk, make_request(), "Рахимов Фарход")
    response = client.post(f"/search/persons/{person.id}/unlink", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/search/persons/{person.id}"


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Паспорт A1234567, выдан ОВД Сино 2015", "A1234567"),
        ("Passport AB 1234567 (2019)", "AB1234567"),
        ("Passport AB 1234567 (2019)", "1234567"),
        ("ID-card 770012345; passport TJ-4455667", "770012345"),
        ("паспорт ab1234567", "AB1234567"),
    ],
)
def test_a_document_number_is_found_however_it_was_written(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker, stored: str, typed: str
) -> None:
    desk = make_user(Role.DESK)
    person = put_person(db_session, desk, make_request(), "Каримов Алишер", id_documents=stored)
    assert [m.person.id for m in search(db_session, actor=desk, query=parse_query(typed)).persons] == [
        person.id
    ]


def test_copies_made_by_conversion_are_linked_as_the_same_person(
    client: FlaskClient,
    login_as: Login,
    db_session: Session,
    make_request: RequestMaker,
    make_user: Callable[..., User],
) -> None:
    from mla.domain.enums import RequestKind
    from mla.services.requests.stages import convert_to_mla

    drafter = login_as(Role.DRAFTER)
    police = make_request(office=drafter.office, kind=RequestKind.POLICE, stage=Stage.DRAFT)
    person = put_person(
        db_session, make_user(Role.DESK), police, "Abdullaev Sardor", id_documents="Passport FA1234567"
    )
    police.stage = Stage.ANSWERED
    db_session.commit()
    draft = convert_to_mla(
        db_session, home_iso2=HOME,
        actor=drafter,
        now=police.created_at,
        item=police,
        note="суд",
        expected_version=police.version,
    )
    db_session.commit()
    copy = db_session.scalar(select(Person).where(Person.request_id == draft.id))
    assert copy.identity_group == person.identity_group and copy.identity_group
    found = search(db_session, actor=make_user(Role.DESK), query=parse_query("FA1234567")).persons
    assert {m.person.id for m in found} == {person.id, copy.id}


@pytest.mark.parametrize("write", ["link", "unlink", "ask"])
def test_a_record_whose_request_was_deleted_meanwhile_is_refused_with_a_message(
    db_session: Session, make_user: Callable[..., User], make_request: RequestMaker, other_office: Office,
    write: str,
) -> None:
    from mla.services.persons.access_requests import request_access
    from mla.services.persons.identities import unlink_person

    desk = make_user(Role.DESK)
    drafter = make_user(Role.DRAFTER)
    kept = put_person(db_session, desk, make_request(), "Рахимов Фарход")
    gone = make_request(office=other_office)
    person = put_person(db_session, desk, gone, "Rakhimov Farkhod")
    # Another user deletes the request (and with it the record) after this one read the record.
    db_session.execute(delete(AssistanceRequest).where(AssistanceRequest.id == gone.id))
    calls = {
        "link": lambda: link_persons(db_session, actor=desk, now=FIXED_NOW, person=kept, other=person),
        "unlink": lambda: unlink_person(db_session, actor=desk, now=FIXED_NOW, person=person),
        "ask": lambda: request_access(db_session, actor=drafter, now=FIXED_NOW, person=person),
    }
    with pytest.raises(DomainError) as refused:
        calls[write]()
    assert refused.value.message == "This record no longer exists."
