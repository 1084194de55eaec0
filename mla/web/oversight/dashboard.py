"""The dashboard page: overdue and due-soon breakdowns, oldest items, unacknowledged and waiting counts."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mla.db import db_session
from mla.domain.access import CASE_WORKERS
from mla.domain.enums import Stage
from mla.i18n import country_name, label
from mla.reference.loader import load_reference
from mla.services.oversight.dashboard import (
    UNACKNOWLEDGED_DAYS,
    UNACKNOWLEDGED_MAX,
    UNACKNOWLEDGED_MIN,
    Dashboard,
    build_dashboard,
    parse_days,
)
from mla.services.requests.queries import DUE_SOON_DAYS
from mla.web.helpers import now_utc, role_required

# Nested in the oversight blueprint: endpoints oversight.dashboard.*.
bp = Blueprint("dashboard", __name__)

TITLES = {"country": _l("By partner country"), "stage": _l("By stage"), "office": _l("By office"),
          "assignee": _l("By assignee")}
# (name shown, filters of the request list) for one row of a breakdown
Line = tuple[str, dict[str, str]]
# A breakdown longer than TRIM_ABOVE rows (offices, people on a full register) shows its first SHOWN, those
# with the most overdue, and a link to all of them (?full=<dimension>); the totals still count every row.
SHOWN = 10
TRIM_ABOVE = 15


def _line(board: Dashboard, dimension: str, key: str | None) -> Line:
    """What a breakdown row is called, and the list filters that select exactly its requests."""
    if dimension == "country":
        return country_name(key or ""), {"country": key or ""}
    if dimension == "stage":
        return (label(Stage(key)) if key in set(Stage) else key or ""), {"stage": key or ""}
    if dimension == "office":
        code, name = board.offices.get(int(key or 0), (key or "", key or ""))
        return name, {"office": code}
    if key is None:
        return gettext("Unassigned"), {"assignee": "none"}
    return board.people.get(int(key), key), {"assignee": key}


def _days() -> tuple[int, str | None]:
    """The working days of the acknowledgement check from the URL, or the default with a message."""
    raw = request.args.get("unacknowledged")
    days = parse_days(raw) if raw is not None else UNACKNOWLEDGED_DAYS
    if days is not None:
        return days, None
    return UNACKNOWLEDGED_DAYS, gettext(
        "The number of working days must be a whole number from %(low)d to %(high)d; showing %(days)d.",
        low=UNACKNOWLEDGED_MIN, high=UNACKNOWLEDGED_MAX, days=UNACKNOWLEDGED_DAYS)


@bp.route("/dashboard")
@role_required(*CASE_WORKERS)
def index() -> str:
    days, message = _days()
    board = build_dashboard(db_session(), current_user, now_utc().date(),
                            home_iso2=load_reference().home_iso2, unacknowledged_days=days)
    full = request.args.get("full")
    sections = []  # (dimension, title, lines shown, rows in all, "more" or "fewer" link or None)
    for dimension, figures in board.breakdowns.items():
        toggle = None if len(figures) <= TRIM_ABOVE else "fewer" if dimension == full else "more"
        shown = figures[:SHOWN] if toggle == "more" else figures
        sections.append((dimension, TITLES[dimension], [(*_line(board, dimension, f.key), f) for f in shown],
                         len(figures), toggle))
    # the list's address once: a url_for per figure (about 500 on a full register) cost a fifth of the page
    return render_template("oversight/dashboard.html", board=board, sections=sections, message=message,
                           list_url=url_for("requests.index"),
                           due_soon_days=DUE_SOON_DAYS, low=UNACKNOWLEDGED_MIN, high=UNACKNOWLEDGED_MAX)
