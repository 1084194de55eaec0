"""Views that add, change and remove the measures of a request, and record what came of each."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.editing import (
    content_closed_message,
    may_edit_content,
    may_ever_edit_content,
    may_ever_record_results,
    may_record_results,
)
from mla.domain.enums import Role
from mla.domain.errors import N_
from mla.models import AssistanceRequest, AssistanceType, Measure
from mla.services.reference_lists import list_assistance_types
from mla.services.requests.measures import add_measure, record_measure_result, remove_measure, update_measure
from mla.web.helpers import (
    commit_or_show,
    not_now,
    now_utc,
    part_of,
    posted_version,
    role_required,
    save_form,
    visible_request,
)
from mla.web.requests.measure_forms import (
    MeasureForm,
    MeasureResultForm,
    measure_input,
    type_choices,
    type_label,
)

# Nested in the list's blueprint (url prefix /requests): endpoints requests.measures.*.
bp = Blueprint("measures", __name__, url_prefix="/<int:request_id>/measures")

EDITORS = (Role.DRAFTER, Role.DESK, Role.MANAGER)
ViewResult = Response | tuple[str, int]
# (whether the role ever may, whether it may at the request's stage, why not at this stage)
CONTENT = (may_ever_edit_content, may_edit_content,
           N_("The measures of this request cannot be changed at its current stage."))
RESULTS = (may_ever_record_results, may_record_results,
           N_("Results cannot be recorded for this request at its current stage."))


def _require(rule: tuple[Callable[..., bool], Callable[..., bool], str], item: AssistanceRequest
             ) -> Response | None:
    """403 for a role that never may; for a GET at a stage that closes the form, the request's page
    saying so. A POST goes on: the service refuses it on the form, keeping what was typed."""
    ever, now, message = rule
    if not ever(current_user.role, item.direction):
        abort(403)
    role, direction, stage = current_user.role, item.direction, item.stage
    if request.method == "GET" and not now(role, direction, stage):
        return not_now(item, _(content_closed_message(role, direction, stage, message)), "#measures")
    return None


def _with_types(form: MeasureForm) -> MeasureForm:
    form.assistance_type_code.choices = type_choices(list_assistance_types(db_session()))
    return form


def _page(template: str, form: MeasureForm | MeasureResultForm, item: AssistanceRequest,
          measure: Measure | None, status: int | None = None) -> tuple[str, int]:
    status = status or (400 if form.is_submitted() else 200)
    assistance_type = db_session().get(AssistanceType, measure.assistance_type_code) if measure else None
    return render_template(template, form=form, item=item, measure=measure,
                           type_name=type_label(assistance_type) if assistance_type else ""), status


def _back(item: AssistanceRequest) -> Response:
    return redirect(url_for("requests.show", request_id=item.id) + "#measures")


def _save(template: str, form: MeasureForm | MeasureResultForm, item: AssistanceRequest,
          measure: Measure | None, write: Callable[[], object], message: str) -> ViewResult:
    """Run the service; commit and go back to the request, or show the form again with the
    message, what was typed, and nothing stored."""
    status = save_form(form, write, measure)
    if status is not None:
        return _page(template, form, item, measure, status)
    flash(message, "success")
    return _back(item)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new(request_id: int) -> ViewResult:
    item = visible_request(request_id)
    closed = _require(CONTENT, item)
    if closed is not None:
        return closed
    form = _with_types(MeasureForm())
    if not form.validate_on_submit():
        return _page("requests/measure_form.html", form, item, None)
    write = partial(add_measure, db_session(), actor=current_user, now=now_utc(), item=item,
                    data=measure_input(form))
    return _save("requests/measure_form.html", form, item, None, write, _("The measure was added."))


@bp.route("/<int:measure_id>", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(request_id: int, measure_id: int) -> ViewResult:
    item = visible_request(request_id)
    measure = part_of(Measure, item, measure_id)
    closed = _require(CONTENT, item)
    if closed is not None:
        return closed
    form = _with_types(MeasureForm(obj=measure))
    if not form.validate_on_submit():
        return _page("requests/measure_form.html", form, item, measure)
    write = partial(update_measure, db_session(), actor=current_user, now=now_utc(), item=item,
                    measure=measure, expected_version=posted_version(), data=measure_input(form))
    return _save("requests/measure_form.html", form, item, measure, write, _("The measure was saved."))


@bp.route("/<int:measure_id>/remove", methods=["POST"])
@role_required(*EDITORS)
def remove(request_id: int, measure_id: int) -> Response:
    item = visible_request(request_id)
    measure = part_of(Measure, item, measure_id)
    _require(CONTENT, item)
    commit_or_show(partial(remove_measure, db_session(), actor=current_user, now=now_utc(), item=item,
                           measure=measure, expected_version=posted_version()), _("The measure was removed."))
    return _back(item)


@bp.route("/<int:measure_id>/result", methods=["GET", "POST"])
@role_required(*EDITORS)
def result(request_id: int, measure_id: int) -> ViewResult:
    item = visible_request(request_id)
    measure = part_of(Measure, item, measure_id)
    closed = _require(RESULTS, item)
    if closed is not None:
        return closed
    form = MeasureResultForm(obj=measure)
    if not form.validate_on_submit():
        return _page("requests/measure_result.html", form, item, measure)
    write = partial(record_measure_result, db_session(), actor=current_user, now=now_utc(), item=item,
                    measure=measure, expected_version=posted_version(), status=form.status.data,
                    result_note=form.result_note.data or "",
                    evidence_received_on=form.evidence_received_on.data)
    return _save("requests/measure_result.html", form, item, measure, write, _("The result was recorded."))
