"""The web edge: blueprints, sign-in requirement for every page, error pages."""
from __future__ import annotations

from flask import Flask, current_app, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.access import (
    administers,
    may_ask_for_access,
    may_choose_office,
    may_export_requests,
    may_read_audit_trail,
    may_search_persons,
    may_see_figures,
    sees_every_office,
)
from mla.extensions import csrf, login_manager
from mla.models import User
from mla.services.accounts.sessions import find_session, touch_session
from mla.web import errors
from mla.web.accounts import bp as accounts_bp
from mla.web.clocks import bp as clocks_bp
from mla.web.forms import error_summary
from mla.web.helpers import now_utc, session_policy, transaction
from mla.web.home import bp as home_bp
from mla.web.letters import bp as letters_bp
from mla.web.operations import bp as operations_bp
from mla.web.oversight import bp as oversight_bp
from mla.web.persons import bp as persons_bp
from mla.web.requests import bp as requests_bp
from mla.web.search import bp as search_bp
from mla.web.shared.clock_labels import register_labels

# What a page asks of the signed-in user to decide what it shows: the domain's predicates, by name.
PAGE_PREDICATES = {predicate.__name__: predicate for predicate in (
    administers, may_ask_for_access, may_choose_office, may_export_requests, may_read_audit_trail,
    may_search_persons, may_see_figures, sees_every_office)}

# Endpoints anyone may reach without a session.
PUBLIC_ENDPOINTS = frozenset({"accounts.sign_in", "accounts.second_factor", "accounts.two_factor.enrol",
                              "static", "operations.healthz", "clocks.feed"})


def _load_user(session_id: str) -> User | None:
    """Flask-Login's `_user_id` is the id of a session record, never anything of the user's own:
    ending the record signs every copy of the cookie out."""
    db = db_session()
    now = now_utc()
    record = find_session(db, token=session_id, now=now, policy=session_policy())
    if record is None:
        return None
    with transaction():
        touch_session(record, now)
    g.user_session = record
    return record.user


def _second_factor_missing() -> Response | None:
    """A role that must use a second factor is sent to set it up before anything else."""
    roles = current_app.config["REQUIRE_TOTP_ROLES"]
    if current_user.role.value not in roles or current_user.totp_secret:
        return None
    if request.endpoint in {"accounts.two_factor.enrol", "accounts.sign_out", "static"}:
        return None
    return redirect(url_for("accounts.two_factor.enrol"))


def register_web(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = None
    for blueprint in (accounts_bp, home_bp, requests_bp, persons_bp, letters_bp, clocks_bp, search_bp,
                      oversight_bp, operations_bp):
        app.register_blueprint(blueprint)
    register_labels(app)
    app.jinja_env.globals.update(PAGE_PREDICATES)
    app.jinja_env.globals["error_summary"] = error_summary
    errors.register_errors(app)

    @app.before_request
    def _require_session() -> Response | None:
        if current_user.is_authenticated:
            return _second_factor_missing()
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if request.endpoint is None:
            return None
        return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
