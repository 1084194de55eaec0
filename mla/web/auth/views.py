"""Views of sign-in and sign-out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.errors import SignInRefused
from mla.services.audit import record_event
from mla.services.users import sign_in as sign_in_user
from mla.web.auth.forms import SignInForm
from mla.web.helpers import now_utc, remote_addr, show_error

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so a link cannot bounce a signed-in user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        db = db_session()
        try:
            user = sign_in_user(
                db, email=form.email.data or "", password=form.password.data or "",
                now=now_utc(), demo_mode=current_app.config["DEMO_MODE"],
                free_failures=current_app.config["SIGN_IN_FREE_FAILURES"],
                remote_addr=remote_addr(),
            )
        except SignInRefused as exc:
            db.commit()  # keep the failure count and its audit record
            show_error(exc)
            return render_template("auth/sign_in.html", form=form), 401
        db.commit()
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        session.permanent = True  # expires after MLA_SESSION_IDLE_MINUTES without a request
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/sign_in.html", form=form), status


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
