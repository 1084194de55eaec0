"""The demo set: realistic, across countries, kinds and stages, and kept when run again."""
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.demo.seed import HOME_AUTHORITY, seed_demo
from mla.domain.enums import ClockKind, Direction, RequestKind, Role, Stage
from mla.domain.parties import party_problems
from mla.domain.workflow import machine_for
from mla.models import AssistanceRequest, Clock, Office, Person, StageChange, User
from mla.reference.loader import load_reference

ARABIC = re.compile("[\u0600-\u06ff]")
CYRILLIC = re.compile("[\u0400-\u04ff]")


def test_demo_has_offices_roles_and_about_forty_requests(db_session: Session, now) -> None:
    result = seed_demo(db_session, now=now)
    assert result.is_new
    codes = set(db_session.scalars(select(Office.code)))
    assert {"DUS", "KHU", "BOK", "KUL"} <= codes
    roles = set(db_session.scalars(select(User.role).where(User.is_demo.is_(True))))
    assert roles == set(Role)
    requests = list(db_session.scalars(select(AssistanceRequest)))
    assert len(requests) == 40
    assert {(r.direction, r.kind) for r in requests} == {
        (d, k) for d in Direction for k in RequestKind}
    assert len({r.country_iso2 for r in requests}) >= 10
    assert sum(1 for r in requests if r.deadline_on and r.deadline_on < now.date()
               and r.stage.value not in ("closed", "withdrawn", "refused")) >= 5
    names = list(db_session.scalars(select(Person.name_original)))
    assert any(ARABIC.search(n) for n in names)
    assert any(CYRILLIC.search(n) for n in names)
    assert any(n.isascii() for n in names)


def test_demo_history_follows_the_stage_machines(db_session: Session, now) -> None:
    seed_demo(db_session, now=now)
    for item in db_session.scalars(select(AssistanceRequest)):
        machine = machine_for(item.direction, item.kind)
        changes = list(db_session.scalars(select(StageChange).where(
            StageChange.request_id == item.id).order_by(StageChange.at, StageChange.id)))
        assert changes[-1].to_stage == item.stage
        for change in changes[1:]:
            move = next(m for m in machine.moves_from(change.from_stage) if m.name == change.move)
            assert move.target == change.to_stage
            assert change.actor.role in move.roles


def test_running_the_demo_again_keeps_what_was_entered(db_session: Session, now) -> None:
    seed_demo(db_session, now=now)
    db_session.add(Office(code="NEW", name="Entered in between"))
    db_session.flush()
    again = seed_demo(db_session, now=now)
    assert not again.is_new
    assert db_session.scalar(select(func.count()).select_from(AssistanceRequest)) == 40
    assert db_session.scalar(select(Office).where(Office.code == "NEW")) is not None


def test_demo_requests_have_their_parties_the_right_way_round(db_session: Session, now) -> None:
    seed_demo(db_session, now=now)
    reference = load_reference()

    def names(iso2: str) -> list[str]:
        return [name for authority in reference.countries[iso2].central_authorities
                for name in authority.name.values()]

    ours = names(reference.home_iso2) + list(db_session.scalars(select(Office.name)))
    requests = list(db_session.scalars(select(AssistanceRequest)))
    for item in (r for r in requests if r.requesting_authority and r.addressee):  # some profiles name none
        assert party_problems(item.direction, item.requesting_authority, item.addressee, our_names=ours,
                              partner_names=names(item.country_iso2)) == (), item.reference
    incoming = [item for item in requests if item.direction == Direction.INCOMING]
    assert incoming and all(item.addressee == HOME_AUTHORITY for item in incoming)
    assigned = [item.id for item in incoming if item.stage == Stage.ASSIGNED]
    clocks = set(db_session.scalars(select(Clock.request_id).where(Clock.kind == ClockKind.EXECUTE_BY)))
    assert assigned and set(assigned) <= clocks
    dispatches = db_session.scalars(select(StageChange).where(StageChange.sent_on.is_not(None))).all()
    assert dispatches and all(change.move in {"transmit", "send_additional_info", "return_evidence"}
                              for change in dispatches)
