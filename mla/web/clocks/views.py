"""My deadlines: the clocks a user answers for, and their personal iCal feed at a secret URL."""
from __future__ import annotations

import re
from collections.abc import Callable

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import force_locale, gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from config import ConfigError
from mla.db import db_session
from mla.domain.calendar import UnknownTimeZone, zone
from mla.domain.enums import Role
from mla.i18n import UI_LOCALES, country_name, label
from mla.notify.ical import DeadlineEvent, calendar_bytes, clock_uid
from mla.services.clocks.feeds import find_feed_user, revoke_feed_token, rotate_feed_token, set_digest_opt_out
from mla.services.clocks.lifecycle import ClockLine, my_deadlines
from mla.web.clocks.forms import ActionForm
from mla.web.helpers import commit_or_show, now_utc, role_required
from mla.web.shared.clock_labels import clock_label, clock_status

bp = Blueprint("clocks", __name__)

CASE_ROLES = (Role.DRAFTER, Role.DESK, Role.TRANSLATOR, Role.MANAGER)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what secrets.token_urlsafe gives


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = state.app
    try:
        zone(app.config["TIME_ZONE"])
    except UnknownTimeZone:
        raise ConfigError(f"MLA_TIME_ZONE must be an IANA time zone such as Asia/Dushanbe, "
                          f"got {app.config['TIME_ZONE']!r}.") from None


@bp.route("/deadlines")
@role_required(*CASE_ROLES)
def mine() -> str:
    lines = my_deadlines(db_session(), current_user, now=now_utc())
    feed_url = (url_for("clocks.feed", token=current_user.ical_token, _external=True)
                if current_user.ical_token else None)
    return render_template("clocks/mine.html", lines=lines, feed_url=feed_url, form=ActionForm())


def _feed_action(change: Callable[..., object], message: str) -> Response:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    commit_or_show(lambda: change(db_session(), actor=current_user, now=now_utc(), user=current_user),
                   message)
    return redirect(url_for("clocks.mine") + "#feed")


@bp.route("/deadlines/feed", methods=["POST"])
@role_required(*CASE_ROLES)
def rotate_feed() -> Response:
    return _feed_action(rotate_feed_token, gettext(
        "Your calendar feed has a new link; the old link no longer works."))


@bp.route("/deadlines/feed/revoke", methods=["POST"])
@role_required(*CASE_ROLES)
def revoke_feed() -> Response:
    return _feed_action(revoke_feed_token, gettext("Your calendar feed is turned off."))


@bp.route("/deadlines/digest", methods=["POST"])
@role_required(*CASE_ROLES)
def toggle_digest() -> Response:
    opt_out = not current_user.digest_opt_out
    message = (gettext("You will no longer get the daily reminder e-mail.") if opt_out
               else gettext("You will get the daily reminder e-mail again."))
    return _feed_action(lambda db, **kw: set_digest_opt_out(db, opt_out=opt_out, **kw), message)


def _event(line: ClockLine) -> DeadlineEvent:
    clock = line.clock
    item = line.item
    parts = [clock.reason, clock_status(line),
             gettext("Counted in %(counting)s on the calendar of %(country)s.",
                     counting=label(clock.counting), country=country_name(clock.calendar_iso2)),
             url_for("requests.show", request_id=item.id, _external=True)]
    return DeadlineEvent(uid=clock_uid(clock.id), due_on=clock.due_on,
                         summary=f"{item.reference}: {clock_label(line)}",
                         description="\n".join(part for part in parts if part), sequence=clock.revision)


@bp.route("/ical/<token>.ics")
def feed(token: str) -> Response:
    """The user's deadlines as a calendar, for calendar clients that cannot sign in: the secret
    token in the URL is the only credential, so it is long, random and revocable."""
    if not TOKEN_PATTERN.fullmatch(token):
        abort(404)
    db = db_session()
    user = find_feed_user(db, token)
    if user is None or user.role not in CASE_ROLES:
        abort(404)
    locale = user.locale if user.locale in UI_LOCALES else current_app.config["DEFAULT_LOCALE"]
    with force_locale(locale):
        events = [_event(line) for line in my_deadlines(db, user, now=now_utc())]
        body = calendar_bytes(events, name=gettext("MLA deadlines: %(name)s", name=user.full_name))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="mla-deadlines.ics"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response
