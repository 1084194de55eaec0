"""Views that create and edit a request: the sectioned form, pre-filled from the partner's profile."""
from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.checks import ProfileChoices
from mla.domain.editing import (
    content_closed_message,
    may_create_request,
    may_edit_content,
    may_ever_edit_content,
)
from mla.domain.enums import CaseStage, Direction, RequestKind, Role, Urgency
from mla.domain.errors import N_
from mla.domain.parties import OUR_FIELD, PARTNER_FIELD
from mla.i18n import country_name, profile_facts
from mla.models import AssistanceRequest, Office
from mla.reference.loader import load_reference
from mla.services.accounts.directory import office_with_code
from mla.services.requests.editing import (
    RequestInput,
    create_request,
    default_drafting_language,
    update_request,
)
from mla.web.helpers import (
    not_now,
    now_utc,
    posted_version,
    role_required,
    save_form,
    transaction,
    visible_request,
)
from mla.web.requests import choices
from mla.web.requests.choices import HANDLING_CODES
from mla.web.requests.forms import RequestForm

# Nested in the list's blueprint (url prefix /requests): endpoints requests.drafting.*.
bp = Blueprint("drafting", __name__)
EDITORS = (Role.DRAFTER, Role.DESK, Role.MANAGER)


def _asked_kind() -> tuple[Direction, RequestKind]:
    direction = request.args.get("direction", "")
    kind = request.args.get("kind", "")
    if direction not in set(Direction) or kind not in set(RequestKind):
        abort(404)
    return Direction(direction), RequestKind(kind)


def _kind() -> tuple[Direction, RequestKind]:
    direction, kind = _asked_kind()
    if not may_create_request(current_user.role, direction):
        abort(403)
    return direction, kind


def _offence() -> str | None:
    """The offence category typed on the form, or asked for in the address (the pre-fill's question)."""
    return request.form.get("offence_category") or request.args.get("offence") or None


def _prepare(form: RequestForm, kind: RequestKind, country: str | None) -> RequestForm:
    profile = choices.profile_for(country, kind, _offence())
    form.country_iso2.choices = [("", "—")] + choices.partner_countries()
    form.office.choices = choices.offices()
    form.channel_code.choices = choices.channels(profile, country)
    form.legal_bases.choices = choices.legal_bases(profile, country)
    form.request_language.choices = choices.languages(profile, country)
    form.drafting_language.choices = choices.drafting_languages()
    form.case_stage.choices = choices.case_stages()
    form.offence_category.choices = choices.offence_categories()
    form.urgency.choices = choices.urgencies()
    form.handling_code.choices = [(code, code or "—") for code in HANDLING_CODES]
    form.profile = profile
    return form


def _prefill(form: RequestForm, direction: Direction, country: str | None) -> None:
    """Our office as our side's authority and the partner's central authority as theirs: requesting
    authority and addressee of an outgoing request, the other way round for an incoming one. The text
    is in the office's drafting language, an incoming request's in the language the partner wrote in."""
    form.country_iso2.data = country or ""
    form.office.data = current_user.office.code if current_user.office else ""
    form.case_stage.data = CaseStage.PRE_TRIAL.value
    form.urgency.data = Urgency.NORMAL.value
    form[OUR_FIELD[direction]].data = current_user.office.name if current_user.office else ""
    _fill_from_profile(form, direction)
    form.drafting_language.data = default_drafting_language(
        direction, current_user.office, form.request_language.data or None)


def _fill_from_profile(form: RequestForm, direction: Direction) -> None:
    """What the partner's profile says of their authority, the language, channel and legal bases."""
    profile = form.profile
    if profile is not None:
        for name, value in _profile_values(profile, direction).items():
            form[name].data = value


def _profile_values(profile: ProfileChoices, direction: Direction) -> dict[str, str | list[str]]:
    """The form's fields the profile fills, by name: the partner's authority, language, channel and the
    legal bases that fit the offence."""
    return {PARTNER_FIELD[direction]: profile.addressee,
            "request_language": profile.languages[0] if profile.languages else "",
            "channel_code": profile.channels[0] if profile.channels else "",
            "legal_bases": list(profile.ticked)}


def _wants_prefill() -> bool:
    """The form was sent with its "Fill in from the country profile" button (the way without script)."""
    return request.form.get("prefill") == "profile"


@bp.route("/profile")
@role_required(*EDITORS)
def profile() -> Response:
    """What the partner's profile fills in the form, for the form's script: the field names and values,
    and the choices of the fields the profile marks (what it proposes first, what it rules out marked)."""
    direction, kind = _asked_kind()
    country = request.args.get("country", "")
    found = choices.profile_for(country, kind, _offence())
    if found is None:
        abort(404)
    unverified = _("Some facts of this country's profile are not verified yet (%(facts)s). Check them with "
                   "the central authority before sending.", facts=profile_facts(found.unverified))
    options = {"channel_code": choices.channels(found, country),
               "request_language": choices.languages(found, country),
               "legal_bases": choices.legal_bases(found, country)}
    return jsonify(fields=_profile_values(found, direction), options=options,
                   message=_("Filled in from the profile of %(country)s: the partner's authority, the "
                             "language, the channel and the legal bases. Nothing is saved until you save.",
                             country=country_name(country)),
                   unverified=unverified if found.unverified else "")


_CODES = ("channel_code", "request_language", "drafting_language", "offence_category")
_DATES = ("deadline_on", "received_on")
_CONVERTED = ("legal_bases", "case_stage", "urgency")


def _input(form: RequestForm) -> RequestInput:
    values: dict[str, Any] = {}  # each RequestInput field by name, as WTForms gives it (untyped)
    for name in RequestInput.__dataclass_fields__:
        if name in _CONVERTED:
            continue
        value = form[name].data
        if name in _CODES:
            value = value or None
        elif name not in _DATES and value is None:
            value = ""
        values[name] = value
    return RequestInput(**values, legal_bases=tuple(form.legal_bases.data or ()),
                        case_stage=CaseStage(form.case_stage.data), urgency=Urgency(form.urgency.data))


def _office(form: RequestForm) -> Office | None:
    return office_with_code(db_session(), form.office.data)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new() -> str | Response | tuple[str, int]:
    direction, kind = _kind()
    country = request.form.get("country_iso2") or request.args.get("country")
    form = _prepare(RequestForm(), kind, country)
    if not form.is_submitted():
        _prefill(form, direction, country)
    elif _wants_prefill():
        _fill_from_profile(form, direction)
        return render_template("requests/form.html", form=form, item=None, direction=direction, kind=kind)
    elif form.validate():
        with transaction(form) as work:
            item = create_request(db_session(), actor=current_user, now=now_utc(), direction=direction,
                                  kind=kind, office=_office(form), data=_input(form),
                                  home_iso2=load_reference().home_iso2)
        if not work.failed:
            flash(_("Request %(reference)s was created.", reference=item.reference), "success")
            return redirect(url_for("requests.show", request_id=item.id))
    status = 400 if form.is_submitted() else 200
    return render_template("requests/form.html", form=form, item=None, direction=direction,
                           kind=kind), status


def _editable(request_id: int) -> AssistanceRequest:
    item = visible_request(request_id)
    if not may_ever_edit_content(current_user.role, item.direction):
        abort(403)
    return item


def _fill_from(form: RequestForm, item: AssistanceRequest) -> None:
    form.process(obj=item)
    form.version.data = str(item.version)
    form.office.data = item.office.code
    form.legal_bases.data = [b.treaty_code for b in item.legal_bases]
    form.case_number.data = item.national_case.case_number if item.national_case else ""
    form.case_stage.data = (item.national_case.stage if item.national_case else CaseStage.PRE_TRIAL).value
    form.offence_category.data = item.national_case.offence_category_code if item.national_case else ""
    form.urgency.data = item.urgency.value


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(request_id: int) -> str | Response | tuple[str, int]:
    item = _editable(request_id)
    country = request.form.get("country_iso2") or item.country_iso2
    form = _prepare(RequestForm(), item.kind, country)
    if not form.is_submitted():
        if not may_edit_content(current_user.role, item.direction, item.stage):
            return not_now(item, _(content_closed_message(
                current_user.role, item.direction, item.stage,
                N_("This request cannot be edited at its present stage."))))
        _fill_from(form, item)
        if request.args.get("refill") == "profile" and item.direction == Direction.OUTGOING:
            _fill_from_profile(form, item.direction)
    elif _wants_prefill():
        _fill_from_profile(form, item.direction)
        return render_template("requests/form.html", form=form, item=item, direction=item.direction,
                               kind=item.kind)
    elif form.validate():
        status = save_form(form, partial(update_request, db_session(), actor=current_user, now=now_utc(),
                                         item=item, expected_version=posted_version(),
                                         data=_input(form), home_iso2=load_reference().home_iso2), item)
        if status is None:
            flash(_("The request was saved."), "success")
            return redirect(url_for("requests.show", request_id=item.id))
        return render_template("requests/form.html", form=form, item=item, direction=item.direction,
                               kind=item.kind), status
    status = 400 if form.is_submitted() else 200
    return render_template("requests/form.html", form=form, item=item, direction=item.direction,
                           kind=item.kind), status

