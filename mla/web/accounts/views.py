"""Views of sign-in (password, then the second factor when the user has or needs one) and sign-out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.errors import SignInRefused
from mla.i18n import UI_LOCALES
from mla.models import User, UserSession
from mla.services.accounts.passwords import complete_sign_in
from mla.services.accounts.passwords import sign_in as check_password
from mla.services.accounts.second_factor import check_second_factor
from mla.services.accounts.sessions import find_session, pass_second_factor, start_session
from mla.services.accounts.sessions import sign_out as end_session
from mla.services.accounts.users import set_preferred_locale
from mla.web.accounts.forms import CodeForm, SignInForm
from mla.web.helpers import (
    current_session,
    now_utc,
    remote_addr,
    session_policy,
    sign_in_policy,
    transaction,
    user_agent,
)

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so a link cannot bounce a signed-in user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


def _fresh_cookie(**values: str | None) -> None:
    """Start the cookie over (no fixation), keeping only the chosen language."""
    lang = session.get("lang")
    session.clear()
    session.update({key: value for key, value in {"lang": lang, **values}.items() if value})
    session.permanent = True  # expires after MLA_SESSION_IDLE_MINUTES without a request


def _signed_in_cookie(token: str) -> None:
    _fresh_cookie(_user_id=token)
    session["_fresh"] = True


def finish_sign_in(user: User, pending: UserSession | None, target: str | None) -> str:
    """Every factor passed: a new session record, whose id the cookie carries (Flask-Login's
    `_user_id`); returns the safe form of `target`, where the user was going."""
    db = db_session()
    now = now_utc()
    with transaction() as work:
        complete_sign_in(db, user=user, now=now, remote_addr=remote_addr())
        if pending is not None:
            token = pass_second_factor(db, pending=pending, now=now, policy=session_policy())
        else:
            token = start_session(db, user=user, now=now, policy=session_policy(), remote_addr=remote_addr(),
                                  user_agent=user_agent())
        work.after_commit(lambda: _signed_in_cookie(token))
    return _safe_next(target)


def pending_session() -> UserSession | None:
    """The record of a sign-in that passed the password and waits for the second factor."""
    token = session.get("pending")
    if not token:
        return None
    return find_session(db_session(), token=token, now=now_utc(), policy=session_policy(),
                        awaits_second_factor=True)


def _needs_second_factor(user: User) -> bool:
    return bool(user.totp_secret) or user.role.value in current_app.config["REQUIRE_TOTP_ROLES"]


def _await_second_factor(user: User) -> Response:
    """The password passed and a second factor is due: a pending session record, whose id the
    cookie carries, so that the count of wrong codes lives in the database, not in the cookie."""
    with transaction():
        token = start_session(db_session(), user=user, now=now_utc(), policy=session_policy(),
                              awaits_second_factor=True, remote_addr=remote_addr(), user_agent=user_agent())
    _fresh_cookie(pending=token, next=request.args.get("next"))
    return redirect(url_for("accounts.second_factor" if user.totp_secret else "accounts.two_factor.enrol"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        with transaction(keep=SignInRefused) as work:  # a failure is counted and audited
            user = check_password(db_session(), email=form.email.data or "",
                                  password=form.password.data or "", now=now_utc(), policy=sign_in_policy(),
                                  remote_addr=remote_addr())
        if work.failed:
            return render_template("accounts/sign_in.html", form=form), 401
        if not _needs_second_factor(user):
            return redirect(finish_sign_in(user, None, request.args.get("next")))
        return _await_second_factor(user)
    return render_template("accounts/sign_in.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/sign-in/code", methods=["GET", "POST"])
def second_factor() -> str | Response | tuple[str, int]:
    pending = pending_session()
    if pending is None or not pending.user.totp_secret:
        return redirect(url_for("accounts.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        with transaction(form, keep=SignInRefused) as work:  # a failure is counted and audited
            check_second_factor(db_session(), user=pending.user, now=now_utc(), code=form.code.data or "",
                                policy=sign_in_policy(), remote_addr=remote_addr())
        if work.failed:
            return render_template("accounts/code.html", form=form), 401
        return redirect(finish_sign_in(pending.user, pending, session.get("next")))
    return render_template("accounts/code.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out() -> Response:
    with transaction() as work:
        end_session(db_session(), current=current_session(), now=now_utc(), remote_addr=remote_addr())
        work.after_commit(session.clear)
    return redirect(url_for("accounts.sign_in"))


@bp.route("/language", methods=["POST"])
@login_required
def save_language() -> Response:
    """Keep the language chosen in the page as the user's own, for every device and their e-mails."""
    with transaction() as work:
        set_preferred_locale(db_session(), user=current_user, now=now_utc(),
                             locale=request.form.get("locale", ""), allowed=UI_LOCALES)
    if not work.failed:
        session["lang"] = current_user.locale
        flash(gettext("This language is now your own: pages and e-mails will use it."), "success")
    return redirect(_safe_next(request.form.get("next")))
