"""Views that move a request through its stages, link it to others, and start a supplementary one."""
from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.access import may_see
from mla.domain.enums import LinkKind, Role
from mla.domain.errors import N_, DomainError, ForbiddenMove, StaleEdit
from mla.domain.results import PENDING_ACCEPTED, declares_execution
from mla.domain.workflow import Move, machine_for, open_moves
from mla.i18n import label
from mla.models import AssistanceRequest
from mla.reference.loader import load_reference
from mla.services.clocks.enquiries import CHASERS, record_status_enquiry
from mla.services.persons.protected_names import replace_protected_names
from mla.services.requests.measures import count_pending_measures
from mla.services.requests.stages import (
    IncompleteRequest,
    advance_stage,
    convert_to_mla,
    create_supplementary,
    link_requests,
)
from mla.web.forms import required_text
from mla.web.helpers import (
    commit_or_show,
    now_utc,
    posted_version,
    role_required,
    save_form,
    show_error,
    transaction,
    visible_request,
)
from mla.web.requests import choices
from mla.web.requests.forms import LinkForm, MoveForm, StatusEnquiryForm

# Nested in the list's blueprint (url prefix /requests): endpoints requests.moves.*.
bp = Blueprint("moves", __name__)
CASE_ROLES = (Role.DRAFTER, Role.DESK, Role.MANAGER, Role.TRANSLATOR)
NOT_OPEN = N_("This step is not open to you at the stage the request is in now.")
MOVE_FIELDS = ("transmitted_on", "channel", "outgoing_number", "acknowledged_on", "partner_reference",
               "received_on", "info_requested", "refusal_ground", "reason", "assignee", "execute_by",
               "returned_on", "answered_on")




def _move(item: AssistanceRequest, move_name: str) -> Move:
    machine = machine_for(item.direction, item.kind)
    if all(move.name != move_name for move in machine.moves):
        abort(404)
    return next((m for m in machine.moves_from(item.stage) if m.name == move_name),
                next(m for m in machine.moves if m.name == move_name))


def _form(item: AssistanceRequest) -> MoveForm:
    form = MoveForm()
    form.channel.choices = choices.channels(choices.profile_for(item.country_iso2, item.kind),
                                            item.country_iso2)
    form.refusal_ground.choices = choices.refusal_grounds()
    form.assignee.choices = choices.executors()
    return form


def _prefill(form: MoveForm, item: AssistanceRequest) -> None:
    """What the request already records (the partner's reference and date of receipt entered at
    registration, the channel chosen when drafting) need not be typed again."""
    form.version.data = str(item.version)
    form.partner_reference.data = item.partner_reference
    form.received_on.data = item.received_on
    form.channel.data = item.channel_code or ""


def _data(form: MoveForm, move: Move) -> dict[str, Any]:
    data: dict[str, Any] = {name: form[name].data for name in move.requires if name in MOVE_FIELDS}
    data["note"] = form.note.data or ""
    if declares_execution(move.name, move.source) and form.pending_accepted.data:
        data[PENDING_ACCEPTED] = True
    return data


def _pending(item: AssistanceRequest, move: Move) -> int:
    """How many measures are still pending, when the move declares the request executed (else 0)."""
    if not declares_execution(move.name, move.source):
        return 0
    return count_pending_measures(db_session(), item)


def _perform(item: AssistanceRequest, move: Move, form: MoveForm) -> AssistanceRequest:
    version = posted_version()
    db = db_session()
    now = now_utc()
    if move.name == "convert_to_mla":
        return convert_to_mla(db, actor=current_user, now=now, item=item, note=form.note.data or "",
                              expected_version=version, home_iso2=load_reference().home_iso2)
    advance_stage(db, actor=current_user, now=now, item=item, move_name=move.name,
                  data=_data(form, move), expected_version=version, home_iso2=load_reference().home_iso2)
    return item


def _attempt(item: AssistanceRequest, step: Move, form: MoveForm) -> tuple[Response | int, tuple]:
    """Make the move; a redirect when done, else the status of the form and the findings to show beside
    it. A move the stage no longer allows (someone moved the request meanwhile) or a stale version is
    a conflict, said on the form with what was typed."""
    with transaction(form, quiet=IncompleteRequest) as work:
        target = _perform(item, step, form)
    if isinstance(work.error, IncompleteRequest):
        show_error(work.error)
        return 400, work.error.findings
    if work.error is not None:
        return 409 if isinstance(work.error, ForbiddenMove | StaleEdit) else 400, ()
    flash(_("Done: %(stage)s.", stage=label(target.stage)), "success")
    if not may_see(current_user, target):  # the translator's finished translation leaves their hands
        return redirect(url_for("home.index")), ()
    return redirect(url_for("requests.show", request_id=target.id)), ()


@bp.route("/<int:request_id>/moves/<move_name>", methods=["GET", "POST"])
@role_required(*CASE_ROLES)
def move(request_id: int, move_name: str) -> str | Response | tuple[str, int]:
    item = visible_request(request_id)
    step = _move(item, move_name)
    form = _form(item)
    findings = ()
    status = 200
    if step not in moves_for(item):
        flash(_(NOT_OPEN), "danger")
        if not form.is_submitted():
            return redirect(url_for("requests.show", request_id=item.id), 303)
        status = 409  # the stage moved under the user: the form stays, with what they typed
    elif not form.is_submitted():
        _prefill(form, item)
    elif form.validate():
        done, findings = _attempt(item, step, form)
        if isinstance(done, Response):
            return done
        status = done
    else:
        status = 400
    fields = [name for name in MOVE_FIELDS if name in step.requires]
    return render_template("requests/move.html", item=item, move=step, form=form,
                           findings=findings, fields=fields, pending=_pending(item, step)), status


@bp.route("/<int:request_id>/status-enquiry", methods=["GET", "POST"])
@role_required(*CHASERS)
def status_enquiry(request_id: int) -> str | Response | tuple[str, int]:
    """Record that the status enquiry due was sent (date, number); the next one counts from it."""
    item = visible_request(request_id)
    form = StatusEnquiryForm()
    status = 200
    if not form.is_submitted():
        form.version.data = str(item.version)
        form.sent_on.data = now_utc().date()
    elif form.validate():
        refused = save_form(form, partial(
            record_status_enquiry, db_session(), actor=current_user, now=now_utc(), item=item,
            home_iso2=load_reference().home_iso2,
            sent_on=form.sent_on.data, outgoing_number=form.outgoing_number.data or "",
            expected_version=posted_version()), item)
        if refused is None:
            flash(_("The status enquiry was recorded."), "success")
            return redirect(url_for("requests.show", request_id=item.id, _anchor="clocks"))
        status = refused
    else:
        status = 400
    return render_template("requests/status_enquiry.html", item=item, form=form), status


@bp.route("/<int:request_id>/links", methods=["POST"])
@role_required(Role.DRAFTER, Role.DESK, Role.MANAGER)
def add_link(request_id: int) -> Response:
    item = visible_request(request_id)
    form = LinkForm()
    form.kind.choices = choices.link_kinds()
    def link() -> None:
        if not form.validate():
            raise DomainError(N_("Enter the reference of a request and choose the kind of link."))
        link_requests(db_session(), actor=current_user, now=now_utc(), item=item,
                      other_reference=required_text(form.reference), kind=LinkKind(form.kind.data))

    commit_or_show(link, _("The requests are linked."))
    return redirect(url_for("requests.show", request_id=item.id) + "#links")


SEEN = "seen-"  # the versions of the records holding a protected name, as the request page showed them


@bp.route("/<int:request_id>/protected-names", methods=["POST"])
@role_required(Role.DRAFTER, Role.DESK, Role.MANAGER)
def replace_names(request_id: int) -> Response:
    item = visible_request(request_id)
    seen = {name.removeprefix(SEEN): posted_version(name) for name in request.form if name.startswith(SEEN)}
    replace = partial(replace_protected_names, db_session(), actor=current_user, now=now_utc(), item=item,
                      seen=seen)
    commit_or_show(replace, _("The pseudonyms were written in place of the names."))
    return redirect(url_for("requests.show", request_id=item.id) + "#protected-names")


@bp.route("/<int:request_id>/supplementary", methods=["POST"])
@role_required(Role.DRAFTER, Role.DESK, Role.MANAGER)
def supplementary(request_id: int) -> Response:
    item = visible_request(request_id)
    with transaction() as work:
        draft = create_supplementary(db_session(), actor=current_user, now=now_utc(), item=item,
                                     home_iso2=load_reference().home_iso2)
    if work.failed:
        return redirect(url_for("requests.show", request_id=item.id))
    flash(_("Supplementary request %(reference)s was created as a draft.", reference=draft.reference),
          "success")
    return redirect(url_for("requests.show", request_id=draft.id))


def moves_for(item: AssistanceRequest) -> tuple[Move, ...]:
    """The moves this user may make now, for the request page's buttons."""
    return open_moves(item.direction, item.kind, item.stage, current_user.role)
