"""Views of user administration."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.enums import Role
from mla.i18n import label
from mla.models import User
from mla.services.accounts.directory import list_offices, list_users
from mla.services.accounts.second_factor import reset_second_factor as reset_user_second_factor
from mla.services.accounts.users import create_user, end_sessions, find_office, update_user
from mla.services.accounts.users import reset_password as reset_user_password
from mla.web.accounts.admin_forms import NewUserForm, PasswordResetForm, UserForm
from mla.web.forms import required_text
from mla.web.helpers import commit_or_show, now_utc, posted_version, role_required, save_form, transaction

# Nested in the accounts blueprint: endpoints accounts.admin.*, under /admin.
bp = Blueprint("admin", __name__, url_prefix="/admin")


def _with_choices(form: UserForm) -> UserForm:
    form.role.choices = [(role.value, label(role)) for role in Role]
    offices = list_offices(db_session())
    form.office.choices = [("", _("— none —"))] + [(o.code, f"{o.code} — {o.name}") for o in offices]
    return form


@bp.route("/users")
@role_required(Role.ADMIN)
def users() -> str:
    return render_template("accounts/users.html", users=list_users(db_session()))


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user() -> str | Response | tuple[str, int]:
    form = _with_choices(NewUserForm())
    if form.validate_on_submit():
        db = db_session()
        with transaction(form) as work:
            create_user(db, actor=current_user, now=now_utc(), email=form.email.data,
                        full_name=required_text(form.full_name), role=Role(form.role.data),
                        password=form.password.data, office=find_office(db, form.office.data))
        if work.failed:
            return render_template("accounts/user_form.html", form=form, user=None), 400
        flash(_("The account was created."), "success")
        return redirect(url_for("accounts.admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id: int) -> str | Response | tuple[str, int]:
    db = db_session()
    user = db.get(User, user_id)
    if user is None:
        abort(404)
    form = _with_choices(UserForm(obj=user))
    if not form.is_submitted():
        form.role.data = user.role.value
        form.office.data = user.office.code if user.office else ""
    if form.validate_on_submit():
        status = save_form(form, lambda: update_user(
            db, actor=current_user, now=now_utc(), user=user, expected_version=posted_version(),
            full_name=required_text(form.full_name), role=Role(form.role.data),
            office=find_office(db, form.office.data), is_active=form.is_active.data), user)
        if status is not None:
            return render_template("accounts/user_form.html", form=form, user=user,
                                   password_form=PasswordResetForm()), status
        flash(_("The account was saved."), "success")
        return redirect(url_for("accounts.admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/user_form.html", form=form, user=user,
                           password_form=PasswordResetForm()), status


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@role_required(Role.ADMIN)
def reset_password(user_id: int) -> Response:
    db = db_session()
    user = db.get(User, user_id) or abort(404)
    form = PasswordResetForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.password.errors), "danger")
        return redirect(url_for("accounts.admin.edit_user", user_id=user.id))
    commit_or_show(lambda: reset_user_password(db, actor=current_user, now=now_utc(), user=user,
                                               password=required_text(form.password)),
                   _("The password was changed and the user's sessions were ended."))
    return redirect(url_for("accounts.admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/end-sessions", methods=["POST"])
@role_required(Role.ADMIN)
def end_user_sessions(user_id: int) -> Response:
    db = db_session()
    user = db.get(User, user_id) or abort(404)
    commit_or_show(lambda: end_sessions(db, actor=current_user, now=now_utc(), user=user),
                   _("%(name)s was signed out everywhere.", name=user.full_name))
    return redirect(url_for("accounts.admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/second-factor", methods=["POST"])
@role_required(Role.ADMIN)
def reset_second_factor(user_id: int) -> Response:
    db = db_session()
    user = db.get(User, user_id) or abort(404)
    commit_or_show(lambda: reset_user_second_factor(db, actor=current_user, now=now_utc(), user=user),
                   _("The second factor of %(name)s was reset and their sessions were ended.",
                     name=user.full_name))
    return redirect(url_for("accounts.admin.edit_user", user_id=user.id))
