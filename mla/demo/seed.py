"""Filling an empty database with the demo: offices, a user of each role, about 40 requests."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.demo.data import (
    CHILD_PROTECTION,
    CONDUCTING,
    DEMO_PASSWORD,
    EXECUTED_NOTE,
    FACTS,
    OFFICES,
    PARTNERS,
    PERSONS,
    POLICE_CHANNEL,
    SCENARIOS,
    USERS,
)
from mla.demo.letters import prepare_demo_letters
from mla.demo.partners import partner_authority
from mla.domain.enums import CaseStage, Direction, MeasureStatus, PersonRole, RequestKind, Role, Stage
from mla.domain.names import person_key
from mla.domain.parties import OUR_FIELD, PARTNER_FIELD
from mla.domain.workflow import REQUEST_FACTS, Move, is_dispatch, machine_for, path_to
from mla.models import (
    AssistanceRequest,
    AssistanceType,
    CountryProfile,
    Measure,
    NationalCase,
    Office,
    Person,
    RequestLegalBasis,
    StageChange,
    User,
)
from mla.reference.loader import load_reference
from mla.services.accounts.users import create_user
from mla.services.audit import record_event
from mla.services.clocks.lifecycle import mark_missed_clocks, start_execute_by, sync_clocks
from mla.services.requests.editing import next_reference
from mla.services.requests.stages import REQUEST_COLUMNS

__all__ = ["DEMO_PASSWORD", "DemoResult", "seed_demo"]
HOME_AUTHORITY = "Генеральная прокуратура Республики Таджикистан"
LEGAL_QUALIFICATION = "ч. 2 ст. 130¹ Уголовного кодекса Республики Таджикистан"
DEMO_TEXT_LANGUAGE = "ru"  # every demo request's free text below is Russian
EXECUTE_WITHIN_DAYS = 30  # the date the desk gives the assignee of an incoming request


@dataclass(frozen=True)
class DemoResult:
    is_new: bool
    accounts: list[tuple[str, str]]


def seed_demo(session: Session, *, now: datetime) -> DemoResult:
    """Create the demo once; a second call keeps everything entered since (needs reference data)."""
    accounts = [(email, role.value) for email, _name, role, _office in USERS]
    if session.scalar(select(Office.id).where(Office.code == OFFICES[0][0])) is not None:
        return DemoResult(is_new=False, accounts=accounts)
    # the demo's offices draft in Russian, as its requests' text is written
    offices = {code: Office(code=code, name=name, city=city, drafting_language=DEMO_TEXT_LANGUAGE)
               for code, name, city in OFFICES}
    session.add_all(offices.values())
    session.flush()
    users: dict[Role, list[User]] = {role: [] for role in Role}
    for email, name, role, office_code in USERS:
        office = offices.get(office_code) if office_code else None
        user = create_user(session, actor=None, now=now, email=email, full_name=name, role=role,
                           password=DEMO_PASSWORD, office=office, is_demo=True)
        users[role].append(user)
    rng = random.Random(2026)
    for number, scenario in enumerate(SCENARIOS):
        _demo_request(session, rng, now, number, scenario, offices, users)
    mark_missed_clocks(session, now=now, home_iso2=load_reference().home_iso2)
    prepare_demo_letters(session, now=now)
    return DemoResult(is_new=True, accounts=accounts)


def _demo_request(session: Session, rng: random.Random, now: datetime, number: int,
                  scenario: tuple, offices: dict[str, Office], users: dict[Role, list[User]]) -> None:
    direction, kind, country, target, deadline_days = scenario
    drafters = users[Role.DRAFTER]
    drafter = drafters[number % len(drafters)]
    office = drafter.office if direction == Direction.OUTGOING else offices["DUS"]
    if office is None:
        raise ValueError(f"demo drafter {drafter.email} has no office: every one in demo_data.USERS has")
    created = now - timedelta(days=rng.randint(40, 200))
    case = NationalCase(office_id=office.id, case_number=f"{created.year}/{1100 + number}",
                        title="Торговля людьми (ст. 130¹ УК РТ)", stage=CaseStage.PRE_TRIAL,
                        offence_category_code="trafficking_in_persons")
    session.add(case)
    # get_one: the demo command loads the reference data first, which has every scenario's country
    profile = session.get_one(CountryProfile, country)
    partner = PARTNERS[country]
    is_mla = kind == RequestKind.MLA
    # ours makes an outgoing request and receives an incoming one (domain.parties)
    parties = {OUR_FIELD[direction]: HOME_AUTHORITY,
               PARTNER_FIELD[direction]: partner_authority(profile)["ru"]}
    outgoing = direction == Direction.OUTGOING
    language = (partner.language if is_mla else partner.police_language) if outgoing else (
        profile.request_languages[0])
    item = AssistanceRequest(
        reference=next_reference(session, direction, kind, created.year),
        direction=direction, kind=kind, stage=machine_for(direction, kind).initial, office=office,
        national_case=case, country_iso2=country, **parties, request_language=language,
        drafting_language=DEMO_TEXT_LANGUAGE,
        conducting_authority=CONDUCTING[office.code]["ru"] if outgoing else "",
        channel_code=partner.channel if is_mla else POLICE_CHANNEL,
        subject_matter="Уголовное дело о торговле людьми и незаконной миграции",
        facts_summary=FACTS[number % len(FACTS)], offences=LEGAL_QUALIFICATION,
        purpose="Установление обстоятельств вербовки и перемещения потерпевших, сбор доказательств.",
        deadline_on=(now + timedelta(days=deadline_days)).date() if deadline_days is not None else None,
        deadline_reason="Истечение срока содержания обвиняемого под стражей" if deadline_days else "",
        created_by=drafter, assignee=drafter, created_at=created,
    )
    session.add(item)
    session.flush()
    _add_people_and_measures(session, rng, item, kind)
    for code in partner.bases if is_mla else partner.police_bases:
        session.add(RequestLegalBasis(request_id=item.id, treaty_code=code))
    if session.scalar(select(Person.id).where(Person.request_id == item.id, Person.role == PersonRole.VICTIM,
                                              Person.is_child.is_(True))):
        item.victim_protection = CHILD_PROTECTION["ru"]
    _play_history(session, rng, item, created, now, users, path_to(direction, kind, target))


def _add_people_and_measures(session: Session, rng: random.Random, item: AssistanceRequest,
                             kind: RequestKind) -> None:
    for index in rng.sample(range(len(PERSONS)), k=rng.randint(1, 3)):
        original, latin, cyrillic, role, protected, child = PERSONS[index]
        session.add(Person(request_id=item.id, role=role, name_original=original, name_latin=latin,
                           name_cyrillic=cyrillic, is_protected=protected, is_child=child,
                           pseudonym=f"Лицо {chr(65 + index)}" if protected else "",
                           name_key=person_key(name_original=original, name_cyrillic=cyrillic,
                                               name_latin=latin, is_protected=protected)))
    types = session.scalars(select(AssistanceType).order_by(AssistanceType.position))
    allowed = [t.code for t in types if kind == RequestKind.MLA or t.police_channel_ok]
    for position, code in enumerate(rng.sample(allowed, k=min(2, len(allowed)))):
        session.add(Measure(request_id=item.id, assistance_type_code=code, position=position,
                            details="Сведения и документы за период с 01.03.2026 по 30.06.2026."))


def _play_history(session: Session, rng: random.Random, item: AssistanceRequest, created: datetime,
                  now: datetime, users: dict[Role, list[User]], moves: tuple[Move, ...]) -> None:
    at = created
    step = (now - created) / (len(moves) + 1)
    record_event(session, actor=item.created_by, now=created, action="request.create",
                 object_type="request", object_id=item.id, request_id=item.id)
    session.add(StageChange(request_id=item.id, move="create", from_stage=None, to_stage=item.stage,
                            actor=item.created_by, at=created))
    session.flush()
    sync_clocks(session, actor=item.created_by, now=created, item=item, home_iso2=load_reference().home_iso2)
    for move in moves:
        at += step * rng.uniform(0.6, 1.0)
        actor = _actor_for(move, item, users)
        change = StageChange(request_id=item.id, move=move.name, from_stage=item.stage,
                             to_stage=move.target, actor=actor, at=at, note=_note_for(move))
        _apply_move_data(item, move, change, at)
        _record_results(session, item, move, at)
        session.add(change)
        record_event(session, actor=actor, now=at, action=f"request.move.{move.name}",
                     object_type="request", object_id=item.id, request_id=item.id,
                     changes={"stage": [item.stage.value, move.target.value]})
        item.stage = move.target
        session.flush()
        sync_clocks(session, actor=actor, now=at, item=item, home_iso2=load_reference().home_iso2,
                    change=change)
        if "execute_by" in move.requires:
            start_execute_by(session, actor=actor, now=at, item=item, home_iso2=load_reference().home_iso2,
                             due_on=(at + timedelta(days=EXECUTE_WITHIN_DAYS)).date())


def _actor_for(move: Move, item: AssistanceRequest, users: dict[Role, list[User]]) -> User:
    if Role.DRAFTER in move.roles and item.created_by is not None:
        return item.created_by
    for role in (Role.DESK, Role.MANAGER, Role.TRANSLATOR):
        if role in move.roles:
            return users[role][0]
    return users[Role.DESK][0]


def _apply_move_data(item: AssistanceRequest, move: Move, change: StageChange, at: datetime) -> None:
    """What the move records, as stages.advance_stage keeps it: the first events' facts on the request,
    a dispatch's date, channel and number on its stage change, everything in the change's details."""
    day = at.date()
    data: dict[str, Any] = {
        "transmitted_on": day, "acknowledged_on": day, "received_on": day, "returned_on": day,
        "channel": item.channel_code,
        "outgoing_number": f"12-3/{item.id:04d}" if move.name == "transmit" else f"12-3/{item.id:04d}-2",
        "partner_reference": f"{item.country_iso2}-{at.year}/{item.id * 37 % 1000:03d}",
    }
    recorded = {name: data[name] for name in move.requires if name in data}
    for name in REQUEST_FACTS.get(move.name, ()):
        setattr(item, REQUEST_COLUMNS[name], recorded[name])
    if is_dispatch(move):
        change.sent_on = day
        change.channel_code = recorded.get("channel")
        change.number = recorded.get("outgoing_number", "")
    change.details = {name: value.isoformat() if isinstance(value, date) else value
                      for name, value in recorded.items()}
    if "refusal_ground" in move.requires:
        item.refusal_ground_code = "essential_interests" if item.id % 2 else "non_conformity"
    if move.target == Stage.CLOSED:
        item.closed_on = at.date()


def _record_results(session: Session, item: AssistanceRequest, move: Move, at: datetime) -> None:
    """The measures' results agree with the stage (domain.results): executed when the request is, the
    first one when it is partly executed; evidence certified for an incoming request is executed."""
    if move.name not in {"record_execution", "record_partial_execution", "certify_evidence"}:
        return
    measures = list(session.scalars(select(Measure).where(Measure.request_id == item.id)
                                    .order_by(Measure.position)))
    done = measures[:1] if move.name == "record_partial_execution" else measures
    for measure in done:
        measure.status, measure.result_note = MeasureStatus.EXECUTED, EXECUTED_NOTE
        if item.direction == Direction.OUTGOING:
            measure.evidence_received_on = at.date()


def _note_for(move: Move) -> str:
    notes = {
        "note": "Отметка в журнале международного сотрудничества.",
        "reason": "Основание указано в ответе запрашиваемой стороны.",
        "info_requested": "Запрошены копии постановления о возбуждении дела и данные о потерпевших.",
    }
    return next((notes[key] for key in notes if key in move.requires), "")
