"""Views of the second factor: enrolling or replacing the authenticator key (with a QR code), and
new recovery codes."""
from __future__ import annotations

import segno
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.errors import DomainError, SignInRefused
from mla.models import User, UserSession
from mla.services.accounts.second_factor import (
    check_second_factor,
    enrol_totp,
    is_valid_secret,
    new_totp_secret,
    refuse_enrolment,
    regenerate_recovery_codes,
    totp_uri,
)
from mla.web.accounts.forms import CodeForm, EnrolForm
from mla.web.accounts.views import finish_sign_in, pending_session
from mla.web.forms import required_text
from mla.web.helpers import error_text, now_utc, remote_addr, sign_in_policy, transaction

# Nested in the accounts blueprint: endpoints accounts.two_factor.enrol|recovery_codes.
bp = Blueprint("two_factor", __name__)


def _qr_code(uri: str) -> str:
    """The otpauth address as an SVG QR code in a data: URI (the CSP allows data: images)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _proved_current_key(user: User, form: EnrolForm | CodeForm, field: str) -> bool:
    """True when the user has no key yet, or `field` holds a valid code of the key they have.
    A wrong code is counted against the account and kept (committed)."""
    if not user.totp_secret:
        return True
    code_field = getattr(form, field)
    if not (code_field.data or "").strip():
        code_field.errors = [gettext("Enter a code from your current key, or a recovery code.")]
        return False
    with transaction(keep=SignInRefused, quiet=DomainError) as work:
        check_second_factor(db_session(), user=user, now=now_utc(), code=code_field.data,
                            policy=sign_in_policy(), remote_addr=remote_addr())
    if work.error is not None:
        code_field.errors = [error_text(work.error)]
        return False
    return True


def _enrol_page(form: EnrolForm, user: User, status: int) -> tuple[str, int]:
    if form.secret.errors:  # the hidden key came back empty or too long: a tampered form
        flash(gettext("This key is not valid. Open the page again for a new key."), "danger")
    secret = form.secret.data or ""
    if not is_valid_secret(secret):  # offer a key that works
        secret = form.secret.data = new_totp_secret()
    uri = totp_uri(user, secret)
    return render_template("accounts/enrol.html", form=form, uri=uri, qr_code=_qr_code(uri),
                           replacing=bool(user.totp_secret)), status


def _who_enrols() -> tuple[User, UserSession | None] | Response:
    """The signed-in user, or the one past the password whose account has no key yet; otherwise
    where to go instead (a key of the account's own is never replaced from the password step)."""
    if current_user.is_authenticated:
        return current_user, None
    pending = pending_session()
    if pending is None:
        return redirect(url_for("accounts.sign_in"))
    if pending.user.totp_secret:
        if request.method == "POST":
            with transaction():
                refuse_enrolment(db_session(), user=pending.user, now=now_utc(), remote_addr=remote_addr())
        return redirect(url_for("accounts.second_factor"))
    return pending.user, pending


def _save_key(form: EnrolForm, user: User, pending: UserSession | None) -> str | tuple[str, int]:
    target = url_for("home.index")
    with transaction(form) as work:
        codes = enrol_totp(db_session(), user=user, now=now_utc(), secret=required_text(form.secret),
                           code=required_text(form.code))
        if pending is not None:
            target = finish_sign_in(user, pending, session.get("next"))  # the key commits with the sign-in
    if work.failed:
        return _enrol_page(form, user, 400)
    return render_template("accounts/recovery_codes.html", codes=codes, target=target)


@bp.route("/two-factor", methods=["GET", "POST"])
def enrol() -> str | Response | tuple[str, int]:
    """Set up the authenticator app: while signing in, only for an account that has no key yet;
    when signed in, replacing a key needs a code of the current one. Shows the recovery codes."""
    who = _who_enrols()
    if isinstance(who, Response):
        return who
    user, pending = who
    form = EnrolForm()
    if not form.is_submitted():
        form.secret.data = new_totp_secret()
        return _enrol_page(form, user, 200)
    if not form.validate() or not _proved_current_key(user, form, "current_code"):
        return _enrol_page(form, user, 400)
    return _save_key(form, user, pending)


@bp.route("/two-factor/recovery-codes", methods=["GET", "POST"])
@login_required
def recovery_codes() -> str | Response | tuple[str, int]:
    """New recovery codes in place of the old ones, after a code of the current key."""
    if not current_user.totp_secret:
        return redirect(url_for("accounts.two_factor.enrol"))
    form = CodeForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("accounts/new_recovery_codes.html", form=form), status
    if not _proved_current_key(current_user, form, "code"):
        return render_template("accounts/new_recovery_codes.html", form=form), 401
    with transaction():
        codes = regenerate_recovery_codes(db_session(), user=current_user, now=now_utc())
    return render_template("accounts/recovery_codes.html", codes=codes,
                           target=url_for("accounts.sessions.sessions"))
