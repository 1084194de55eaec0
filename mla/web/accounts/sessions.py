"""Views of the user's own sessions: where they are signed in, and ending the others."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.services.accounts.sessions import active_sessions, end_other_sessions, end_own_session
from mla.web.helpers import commit_or_show, current_session, now_utc, remote_addr, session_policy, transaction

# Nested in the accounts blueprint: endpoints accounts.sessions.sessions|end_session|end_others.
bp = Blueprint("sessions", __name__)


@bp.route("/account/sessions")
@login_required
def sessions() -> str:
    rows = active_sessions(db_session(), user=current_user, now=now_utc(), policy=session_policy())
    return render_template("accounts/sessions.html", sessions=rows, current=current_session())


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int) -> Response:
    commit_or_show(lambda: end_own_session(db_session(), current=current_session(), session_id=session_id,
                                           now=now_utc(), remote_addr=remote_addr()),
                   gettext("That session was ended."))
    return redirect(url_for("accounts.sessions.sessions"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_others() -> Response:
    with transaction():
        ended = end_other_sessions(db_session(), current=current_session(), now=now_utc(),
                                   remote_addr=remote_addr())
    flash(ngettext("%(num)d other session was ended.", "%(num)d other sessions were ended.", ended),
          "success")
    return redirect(url_for("accounts.sessions.sessions"))
