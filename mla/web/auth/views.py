"""Views of sign-in (password, then the second factor when the user has or needs one) and sign-out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.errors import DomainError, SignInRefused
from mla.i18n import UI_LOCALES
from mla.models import User
from mla.services.audit import record_event
from mla.services.auth import (
    SignInPolicy,
    check_totp,
    complete_sign_in,
    enrol_totp,
    new_totp_secret,
    totp_uri,
)
from mla.services.auth import (
    sign_in as check_password,
)
from mla.services.users import set_preferred_locale
from mla.web.auth.forms import CodeForm, EnrolForm, SignInForm
from mla.web.helpers import now_utc, remote_addr, show_error

bp = Blueprint("auth", __name__)
MAX_CODE_ATTEMPTS = 5


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so a link cannot bounce a signed-in user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


def _policy() -> SignInPolicy:
    config = current_app.config
    return SignInPolicy(free_failures=config["SIGN_IN_FREE_FAILURES"],
                        lock_after=config["SIGN_IN_LOCK_AFTER"],
                        lock_minutes=config["SIGN_IN_LOCK_MINUTES"], demo_mode=config["DEMO_MODE"])


def _finish(user: User) -> Response:
    """Every factor passed: a fresh session (no fixation), keeping only the chosen language."""
    complete_sign_in(db_session(), user=user, now=now_utc(), remote_addr=remote_addr())
    db_session().commit()
    lang, target = session.get("lang"), session.get("next")
    session.clear()
    if lang:
        session["lang"] = lang
    session.permanent = True  # expires after MLA_SESSION_IDLE_MINUTES without a request
    login_user(user)
    return redirect(_safe_next(target))


def _pending_user() -> User | None:
    token = session.get("pending_user")
    return db_session().scalar(select(User).where(User.session_token == token)) if token else None


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        db = db_session()
        try:
            user = check_password(db, email=form.email.data or "", password=form.password.data or "",
                                  now=now_utc(), policy=_policy(), remote_addr=remote_addr())
        except SignInRefused as exc:
            db.commit()  # keep the failure count and its audit record
            show_error(exc)
            return render_template("auth/sign_in.html", form=form), 401
        db.commit()
        session.update(pending_user=user.session_token, next=request.args.get("next"), code_attempts=0)
        if user.totp_secret:
            return redirect(url_for("auth.second_factor"))
        if user.role.value in current_app.config["REQUIRE_TOTP_ROLES"]:
            return redirect(url_for("auth.enrol"))
        return _finish(user)
    return render_template("auth/sign_in.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/sign-in/code", methods=["GET", "POST"])
def second_factor() -> str | Response | tuple[str, int]:
    user = _pending_user()
    if user is None or not user.totp_secret:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            check_totp(db_session(), user=user, now=now_utc(), code=form.code.data or "",
                       remote_addr=remote_addr())
        except SignInRefused as exc:
            db_session().commit()
            session["code_attempts"] = session.get("code_attempts", 0) + 1
            if session["code_attempts"] >= MAX_CODE_ATTEMPTS:
                session.clear()
                return redirect(url_for("auth.sign_in"))
            show_error(exc, form)
            return render_template("auth/code.html", form=form), 401
        return _finish(user)
    return render_template("auth/code.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/two-factor", methods=["GET", "POST"])
def enrol() -> str | Response | tuple[str, int]:
    """Set up the authenticator app: while signing in (when the role requires it) or when signed in."""
    user = current_user if current_user.is_authenticated else _pending_user()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    form = EnrolForm()
    if not form.is_submitted():
        form.secret.data = new_totp_secret()
    elif form.validate():
        try:
            enrol_totp(db_session(), user=user, now=now_utc(), secret=form.secret.data, code=form.code.data)
        except DomainError as exc:
            db_session().rollback()
            show_error(exc, form)
        else:
            db_session().commit()
            return redirect(url_for("home.index")) if current_user.is_authenticated else _finish(user)
    return render_template("auth/enrol.html", form=form, uri=totp_uri(user, form.secret.data or "")), (
        400 if form.is_submitted() else 200)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out() -> Response:
    db = db_session()
    record_event(db, actor=current_user, now=now_utc(), action="auth.sign_out",
                 object_type="user", object_id=current_user.id, remote_addr=remote_addr())
    db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.sign_in"))


@bp.route("/language", methods=["POST"])
@login_required
def save_language() -> Response:
    """Keep the language chosen in the page as the user's own, for every device and their e-mails."""
    db = db_session()
    try:
        set_preferred_locale(db, user=current_user, now=now_utc(), locale=request.form.get("locale", ""),
                             allowed=UI_LOCALES)
    except DomainError as exc:
        db.rollback()
        show_error(exc)
    else:
        db.commit()
        session["lang"] = current_user.locale
        flash(gettext("This language is now your own: pages and e-mails will use it."), "success")
    return redirect(_safe_next(request.form.get("next")))
