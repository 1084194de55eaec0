"""The home page: what each role has to do now."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.enums import Direction, Role, Stage
from mla.reference.loader import load_reference
from mla.services.accounts.directory import count_users_by_role, list_offices
from mla.services.requests.listing import (
    OPEN,
    OVERDUE,
    OVERDUE_BY_DEADLINE,
    count_requests,
    first_requests,
    requests_at_stages,
)
from mla.services.requests.queries import OPEN_STAGES
from mla.web.helpers import now_utc, role_required

bp = Blueprint("home", __name__)

PANEL_LIMIT = 10

# Per role: (panel title, stages shown, direction or None).
# (title, stages, direction or None for both) of each panel on a role's home page
Panel = tuple[str, tuple[Stage, ...], Direction | None]
ROLE_PANELS: dict[Role, list[Panel]] = {
    Role.DRAFTER: [
        (_l("Drafts and returned requests"), (Stage.DRAFT, Stage.RETURNED_FOR_CORRECTION), None),
        (_l("Partner asks for more information"), (Stage.ADDITIONAL_INFO_REQUESTED,), None),
        (_l("Incoming requests to execute"), (Stage.ASSIGNED, Stage.IN_EXECUTION), Direction.INCOMING),
    ],
    Role.DESK: [
        (_l("Incoming requests to register"), (Stage.RECEIVED,), Direction.INCOMING),
        (_l("Outgoing requests ready to send"), (Stage.READY_TO_SEND, Stage.APPROVED), Direction.OUTGOING),
        (_l("Sent, not yet acknowledged"), (Stage.SENT,), Direction.OUTGOING),
    ],
    # a translator sees what is in translation and the open requests they were asked to translate
    Role.TRANSLATOR: [(_l("Waiting for translation"), OPEN_STAGES, None)],
    Role.MANAGER: [(_l("Waiting for your approval"), (Stage.INTERNAL_REVIEW,), None)],
}


@bp.route("/")
@role_required(*Role)
def index() -> str | Response:
    if current_user.role == Role.ADMIN:
        return redirect(url_for("home.admin_home"))
    db = db_session()
    user = current_user
    today = now_utc().date()
    home = load_reference().home_iso2
    panels = [(title, requests_at_stages(db, user=user, stages=stages, direction=direction,
                                         limit=PANEL_LIMIT))
              for title, stages, direction in ROLE_PANELS.get(user.role, [])]
    summary = {"open": count_requests(db, user=user, filters=OPEN, today=today, home_iso2=home),
               "overdue": count_requests(db, user=user, filters=OVERDUE, today=today,
                                          home_iso2=home)}
    overdue = first_requests(db, user=user, filters=OVERDUE_BY_DEADLINE, today=today, home_iso2=home,
                             limit=PANEL_LIMIT)
    return render_template("home/index.html", panels=panels, summary=summary,
                           overdue=overdue, today=today)


@bp.route("/administration")
@role_required(Role.ADMIN)
def admin_home() -> str:
    db = db_session()
    users_by_role = count_users_by_role(db)
    offices = list_offices(db)
    return render_template("home/admin.html", users_by_role=users_by_role, offices=offices)
