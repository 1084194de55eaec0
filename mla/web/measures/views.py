"""Views that add, change and remove the measures of a request, and record what came of each."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.editing import may_edit_content, may_record_results
from mla.domain.enums import Role
from mla.domain.errors import DomainError
from mla.models import AssistanceRequest, AssistanceType, Measure
from mla.services.measures import add_measure, record_measure_result, remove_measure, update_measure
from mla.web.helpers import commit_or_show, now_utc, part_of, role_required, show_error, visible_request
from mla.web.measures.forms import MeasureForm, MeasureResultForm, measure_input, type_choices, type_label

bp = Blueprint("measures", __name__, url_prefix="/requests/<int:request_id>/measures")

EDITORS = (Role.DRAFTER, Role.DESK, Role.MANAGER)
ViewResult = Response | tuple[str, int]






def _require(allowed: Callable[..., bool], item: AssistanceRequest) -> None:
    if not allowed(current_user.role, item.direction, item.stage):
        abort(403)


def _with_types(form: MeasureForm) -> MeasureForm:
    types = db_session().scalars(select(AssistanceType).order_by(AssistanceType.position,
                                                                 AssistanceType.code))
    form.assistance_type_code.choices = type_choices(types)
    return form


def _page(template: str, form: MeasureForm | MeasureResultForm, item: AssistanceRequest,
          measure: Measure | None) -> tuple[str, int]:
    status = 400 if form.is_submitted() else 200
    assistance_type = db_session().get(AssistanceType, measure.assistance_type_code) if measure else None
    return render_template(template, form=form, item=item, measure=measure,
                           type_name=type_label(assistance_type) if assistance_type else ""), status


def _back(item: AssistanceRequest) -> Response:
    return redirect(url_for("requests.show", request_id=item.id) + "#measures")


def _save(template: str, form: MeasureForm | MeasureResultForm, item: AssistanceRequest,
          measure: Measure | None, write: Callable[[], object], message: str) -> ViewResult:
    """Run the service; commit and go back to the request, or show the form again with the
    message beside its field and nothing stored."""
    db = db_session()
    try:
        write()
    except DomainError as exc:
        db.rollback()
        show_error(exc, form)
        return _page(template, form, item, measure)
    db.commit()
    flash(message, "success")
    return _back(item)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new(request_id: int) -> ViewResult:
    item = visible_request(request_id)
    _require(may_edit_content, item)
    form = _with_types(MeasureForm())
    if not form.validate_on_submit():
        return _page("measures/form.html", form, item, None)
    write = partial(add_measure, db_session(), actor=current_user, now=now_utc(), request=item,
                    data=measure_input(form))
    return _save("measures/form.html", form, item, None, write, _("The measure was added."))


@bp.route("/<int:measure_id>", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(request_id: int, measure_id: int) -> ViewResult:
    item = visible_request(request_id)
    measure = part_of(Measure, item, measure_id)
    _require(may_edit_content, item)
    form = _with_types(MeasureForm(obj=measure))
    if not form.validate_on_submit():
        return _page("measures/form.html", form, item, measure)
    write = partial(update_measure, db_session(), actor=current_user, now=now_utc(), request=item,
                    measure=measure, data=measure_input(form))
    return _save("measures/form.html", form, item, measure, write, _("The measure was saved."))


@bp.route("/<int:measure_id>/remove", methods=["POST"])
@role_required(*EDITORS)
def remove(request_id: int, measure_id: int) -> Response:
    item = visible_request(request_id)
    measure = part_of(Measure, item, measure_id)
    _require(may_edit_content, item)
    commit_or_show(partial(remove_measure, db_session(), actor=current_user, now=now_utc(), request=item,
                           measure=measure), _("The measure was removed."))
    return _back(item)


@bp.route("/<int:measure_id>/result", methods=["GET", "POST"])
@role_required(*EDITORS)
def result(request_id: int, measure_id: int) -> ViewResult:
    item = visible_request(request_id)
    measure = part_of(Measure, item, measure_id)
    _require(may_record_results, item)
    form = MeasureResultForm(obj=measure)
    if not form.validate_on_submit():
        return _page("measures/result.html", form, item, measure)
    write = partial(record_measure_result, db_session(), actor=current_user, now=now_utc(), request=item,
                    measure=measure, status=form.status.data, result_note=form.result_note.data or "",
                    evidence_received_on=form.evidence_received_on.data)
    return _save("measures/result.html", form, item, measure, write, _("The result was recorded."))
