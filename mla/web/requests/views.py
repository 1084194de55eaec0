"""Views of the request register: the filtered list and a request's page."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from mla.db import db_session
from mla.domain.access import may_see_protected_identity
from mla.domain.checks import PROTECTED_NAME_IN_TEXT, Finding
from mla.domain.editing import (
    UNDER_REVIEW,
    is_completeness_checked,
    is_held_for_review,
    may_create_request,
    may_edit_content,
    may_ever_edit_content,
    may_link_requests,
    may_record_results,
    may_replace_protected_names,
)
from mla.domain.enums import Direction, RequestKind, Role, Stage
from mla.domain.results import is_all_executed
from mla.domain.workflow import is_side_exit, is_standing_note, may_start_supplementary
from mla.i18n import enum_choices, message_text
from mla.models import (
    AssistanceRequest,
    Person,
    StageChange,
)
from mla.reference.loader import load_reference
from mla.services.clocks.enquiries import CHASERS
from mla.services.clocks.lifecycle import clocks_of
from mla.services.persons.editing import record_identity_shown
from mla.services.persons.protected_names import leaked_names
from mla.services.requests.completeness import completeness
from mla.services.requests.listing import list_page, read_list_filters
from mla.services.requests.page import linked_requests, read_request_content
from mla.web.helpers import now_utc, page_number, remote_addr, role_required, transaction, visible_request
from mla.web.requests import choices
from mla.web.requests.moves import moves_for
from mla.web.shared.panels import attachment_panel, letter_panel

bp = Blueprint("requests", __name__, url_prefix="/requests")

CASE_ROLES = (Role.DRAFTER, Role.DESK, Role.TRANSLATOR, Role.MANAGER)

@bp.route("/")
@role_required(*CASE_ROLES)
def index() -> str:
    filters = read_list_filters(request.args)
    page = list_page(db_session(), user=current_user, filters=filters, today=now_utc().date(),
                     home_iso2=load_reference().home_iso2,
                     number=page_number())
    return render_template("requests/index.html", rows=page.rows, filters=filters, page=page.number,
                           pages=page.pages, total=page.total,
                           countries=choices.partner_countries(), offices=choices.offices(),
                           people=choices.executors()[1:], stages=enum_choices(Stage),
                           directions=enum_choices(Direction), kinds=enum_choices(RequestKind),
                           may_create={d: may_create_request(current_user.role, d) for d in Direction},
                           today=now_utc().date())


def _findings(item: AssistanceRequest) -> tuple[Finding, ...]:
    """The completeness check, but for protected names in the text: the page shows them on their own,
    at every stage, with the replacement."""
    if not is_completeness_checked(item.direction, item.stage):
        return ()
    return tuple(finding for finding in completeness(db_session(), item, load_reference().home_iso2)
                 if finding.code != PROTECTED_NAME_IN_TEXT)


def _log_identity_shown(item: AssistanceRequest, persons: list[Person]) -> None:
    """Every display of a protected person's identity goes into the audit trail (DOMAIN.md §8.7)."""
    if may_see_protected_identity(current_user) and any(p.is_protected for p in persons):
        with transaction():
            record_identity_shown(db_session(), actor=current_user, now=now_utc(), request_id=item.id,
                                  persons=persons, remote_addr=remote_addr())


def _standing_note(item: AssistanceRequest, history: list[StageChange]) -> StageChange | None:
    """The return comment or the question for more information that put the request where it is."""
    standing = (change for change in reversed(history) if change.to_stage == item.stage
                and change.note and is_standing_note(item.stage, change.move))
    return next(standing, None)


def _review_hold(item: AssistanceRequest) -> str | None:
    """Why the drafter (or the desk) finds no form to change the request while it is in review."""
    role = current_user.role
    if may_ever_edit_content(role, item.direction) and is_held_for_review(role, item.direction, item.stage):
        return message_text(UNDER_REVIEW)
    return None


@bp.route("/<int:request_id>")
@role_required(*CASE_ROLES)
def show(request_id: int) -> str:
    item = visible_request(request_id)
    role = current_user.role
    moves = moves_for(item)
    content = read_request_content(db_session(), item)
    _log_identity_shown(item, content.persons)
    name_leaks, name_versions = leaked_names(db_session(), item)
    may_record_execution = any(move.name == "record_execution" for move in moves)
    return render_template(
        "requests/show.html", item=item, moves=moves, findings=_findings(item),
        standing_note=_standing_note(item, content.history), review_hold=_review_hold(item),
        name_leaks=name_leaks, name_versions=name_versions,
        may_replace_names=may_replace_protected_names(role, item.direction, item.stage),
        offer_execution=may_record_execution and is_all_executed(m.status for m in content.measures),
        may_chase=role in CHASERS,
        links=linked_requests(db_session(), user=current_user, item=item), link_kinds=choices.link_kinds(),
        show_identity=may_see_protected_identity(current_user),
        may_edit=may_edit_content(role, item.direction, item.stage),
        may_record=may_record_results(role, item.direction, item.stage),
        may_supplement=may_start_supplementary(role, item.direction, item.stage), is_side_exit=is_side_exit,
        may_link=may_link_requests(role),
        clocks=clocks_of(db_session(), item, now=now_utc()), persons=content.persons,
        measures=content.measures, history=content.history, assistance_types=content.assistance_types,
        treaties=content.treaties, reference=load_reference(), **attachment_panel(item),
        **letter_panel(item),
    )
