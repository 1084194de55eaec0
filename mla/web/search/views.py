"""Views of the search box: results, a person's page with every request they appear in, linking records
as one person, and drafters' requests to the desk for access."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.access import (
    CASE_WORKERS,
    SEES_ALL,
    handles_access_requests,
    may_see,
    may_see_protected_identity,
)
from mla.domain.enums import Role
from mla.domain.errors import DomainError
from mla.domain.names import person_names
from mla.domain.search_query import MAX_QUERY_LENGTH, parse_query
from mla.models import AssistanceRequest, Person
from mla.services.persons.access_requests import (
    count_open_access_requests,
    mark_access_handled,
    open_access_requests,
    request_access,
)
from mla.services.persons.editing import record_identity_shown
from mla.services.persons.identities import appearances, likely_duplicates, link_persons, unlink_person
from mla.services.persons.search import search
from mla.web.helpers import commit_or_show, error_text, now_utc, remote_addr, role_required, transaction
from mla.web.search.forms import ActionForm, LinkForm
from mla.web.shared.duplicates import duplicate_reason

bp = Blueprint("search", __name__, url_prefix="/search")

# What the search box gives back of what was typed: enough to correct it, never a megabyte of it.
ECHO_LENGTH = MAX_QUERY_LENGTH * 5


@bp.app_context_processor
def _search_globals() -> dict[str, Callable[..., object]]:
    """For every page: how many requests for access wait for the desk (counted only when the navigation
    bar shows it), and the label of why a record looks like a duplicate."""

    def count() -> int:
        if not current_user.is_authenticated or not handles_access_requests(current_user):
            return 0
        return count_open_access_requests(db_session(), actor=current_user, now=now_utc())

    return {"access_notice_count": count, "duplicate_reason": duplicate_reason}


@bp.route("/")
@role_required(*CASE_WORKERS)
def index() -> tuple[str, int]:
    text = request.args.get("q", "")
    result = None
    error = None
    if "q" in request.args:
        try:
            result = search(db_session(), actor=current_user, query=parse_query(text))
        except DomainError as exc:
            error = error_text(exc)
    notices = open_access_requests(db_session(), actor=current_user, now=now_utc()) \
        if handles_access_requests(current_user) else []
    return render_template("search/index.html", q=text[:ECHO_LENGTH], result=result, error=error,
                           notices=notices, action=ActionForm()), 400 if error else 200


def _visible_person(person_id: int) -> Person:
    """The person, if the user may see the request it is in; 404 otherwise."""
    person = db_session().get(Person, person_id)
    item = db_session().get(AssistanceRequest, person.request_id) if person is not None else None
    if person is None or item is None or not may_see(current_user, item):
        abort(404)
    return person


@bp.route("/persons/<int:person_id>")
@role_required(*CASE_WORKERS)
def person(person_id: int) -> str:
    found = _visible_person(person_id)
    db = db_session()
    if found.is_protected and may_see_protected_identity(current_user):
        with transaction():
            record_identity_shown(db, actor=current_user, now=now_utc(), request_id=found.request_id,
                                  persons=[found], remote_addr=remote_addr())
    names = person_names(found.name_original, found.name_cyrillic, found.name_latin, found.aliases)
    duplicates = likely_duplicates(db, actor=current_user, names=names, birth_date=found.birth_date,
                                   exclude_person_id=found.id, exclude_group=found.identity_group)
    return render_template("search/person.html", person=found,
                           item=db.get(AssistanceRequest, found.request_id),
                           records=appearances(db, actor=current_user, person=found), duplicates=duplicates,
                           show_identity=may_see_protected_identity(current_user), action=ActionForm())


def _run(write: Callable[[], object], done: str, back: str) -> Response:
    """Run a service, commit and say so; or roll back and show its message. Back to `back` either way."""
    commit_or_show(write, done)
    return redirect(back)


@bp.route("/persons/<int:person_id>/link", methods=["POST"])
@role_required(*CASE_WORKERS)
def link(person_id: int) -> Response:
    found = _visible_person(person_id)
    form = LinkForm()
    back = form.next_url(url_for("search.person", person_id=found.id))
    other = db_session().get(Person, form.other_id.data) if form.validate_on_submit() else None
    if other is None:
        flash(_("Choose the record to link as the same person."), "danger")
        return redirect(back)
    return _run(lambda: link_persons(db_session(), actor=current_user, now=now_utc(), person=found,
                                     other=other),
                _("The records were linked as the same person."), back)


@bp.route("/persons/<int:person_id>/unlink", methods=["POST"])
@role_required(*CASE_WORKERS)
def unlink(person_id: int) -> Response:
    found = _visible_person(person_id)
    form = ActionForm()
    back = form.next_url(url_for("search.person", person_id=found.id))
    if not form.validate_on_submit():
        abort(400)
    return _run(lambda: unlink_person(db_session(), actor=current_user, now=now_utc(), person=found),
                _("The record is no longer linked to the others."), back)


@bp.route("/persons/<int:person_id>/access", methods=["POST"])
@role_required(Role.DRAFTER)
def ask_access(person_id: int) -> Response:
    """A drafter asks the desk for the request a found person appears in (a request they cannot see)."""
    found = db_session().get(Person, person_id)
    form = ActionForm()
    if found is None or not form.validate_on_submit():
        abort(404 if found is None else 400)
    return _run(lambda: request_access(db_session(), actor=current_user, now=now_utc(), person=found),
                _("The desk has been asked to give you access to this request."),
                form.next_url(url_for("search.index")))


@bp.route("/access-requests/<int:event_id>/handled", methods=["POST"])
@role_required(*SEES_ALL)
def access_handled(event_id: int) -> Response:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return _run(lambda: mark_access_handled(db_session(), actor=current_user, now=now_utc(),
                                            event_id=event_id),
                _("The request for access is marked as dealt with."), form.next_url(url_for("search.index")))
