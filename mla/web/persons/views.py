"""Views that add, change and remove the persons of a request."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.editing import content_closed_message, may_edit_content, may_ever_edit_content
from mla.domain.enums import Role
from mla.domain.errors import N_
from mla.models import AssistanceRequest, Person
from mla.services.persons.editing import record_identity_shown, remove_person, update_person
from mla.services.persons.identities import Duplicate, add_person_as
from mla.web.helpers import (
    commit_or_show,
    not_now,
    now_utc,
    part_of,
    posted_version,
    remote_addr,
    role_required,
    save_form,
    transaction,
    visible_request,
)
from mla.web.persons.forms import PersonForm, person_input
from mla.web.shared.duplicates import DuplicateChoiceForm, offered_duplicates

bp = Blueprint("persons", __name__, url_prefix="/requests/<int:request_id>/persons")

EDITORS = (Role.DRAFTER, Role.DESK, Role.MANAGER)
ViewResult = Response | tuple[str, int]


def _require_edit(item: AssistanceRequest) -> Response | None:
    """403 for a role that never changes this request's persons; for a GET at a stage that closes
    them, the request's page saying so. A POST goes on: the service refuses it on the form."""
    if not may_ever_edit_content(current_user.role, item.direction):
        abort(403)
    if request.method == "GET" and not may_edit_content(current_user.role, item.direction, item.stage):
        return not_now(item, _(content_closed_message(
            current_user.role, item.direction, item.stage,
            N_("The persons of this request cannot be changed at its current stage."))), "#persons")
    return None


def _page(form: PersonForm, item: AssistanceRequest, person: Person | None, *, status: int | None = None,
          duplicates: list[Duplicate] | None = None) -> tuple[str, int]:
    status = status or (400 if form.is_submitted() else 200)
    return render_template("persons/form.html", form=form, item=item, person=person,
                           duplicates=duplicates or []), status


def _back(item: AssistanceRequest) -> Response:
    return redirect(url_for("requests.show", request_id=item.id) + "#persons")


def _save(form: PersonForm, item: AssistanceRequest, person: Person | None,
          write: Callable[[], object], message: str) -> ViewResult:
    """Run the service; commit and go back to the request, or show the form again with the
    message, what was typed, and nothing stored."""
    status = save_form(form, write, person)
    if status is not None:
        return _page(form, item, person, status=status)
    flash(message, "success")
    return _back(item)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new(request_id: int) -> ViewResult:
    item = visible_request(request_id)
    closed = _require_edit(item)
    if closed is not None:
        return closed
    form = PersonForm()
    choice = DuplicateChoiceForm()
    if not form.validate_on_submit():
        return _page(form, item, None)
    duplicates = offered_duplicates(choice, item, person_input(form))
    if duplicates:
        return _page(form, item, None, status=200, duplicates=duplicates)
    write = partial(add_person_as, db_session(), actor=current_user, now=now_utc(), item=item,
                    data=person_input(form), same_as=choice.chosen)
    return _save(form, item, None, write, _("The person was added."))


@bp.route("/<int:person_id>", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(request_id: int, person_id: int) -> ViewResult:
    item = visible_request(request_id)
    person = part_of(Person, item, person_id)
    closed = _require_edit(item)
    if closed is not None:
        return closed
    form = PersonForm(obj=person)
    if not form.validate_on_submit():
        if not form.is_submitted() and person.is_protected:
            with transaction():
                record_identity_shown(db_session(), actor=current_user, now=now_utc(), request_id=item.id,
                                      persons=[person], remote_addr=remote_addr())
        return _page(form, item, person)
    write = partial(update_person, db_session(), actor=current_user, now=now_utc(), item=item,
                    person=person, expected_version=posted_version(), data=person_input(form))
    return _save(form, item, person, write, _("The person was saved."))


@bp.route("/<int:person_id>/remove", methods=["POST"])
@role_required(*EDITORS)
def remove(request_id: int, person_id: int) -> Response:
    item = visible_request(request_id)
    person = part_of(Person, item, person_id)
    _require_edit(item)
    commit_or_show(partial(remove_person, db_session(), actor=current_user, now=now_utc(), item=item,
                           person=person, expected_version=posted_version()), _("The person was removed."))
    return _back(item)
