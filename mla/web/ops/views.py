"""GET /healthz: is the database reachable, are migrations current, is the scheduler alive."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from mla.db import get_database
from mla.services.health import check_health
from mla.web.helpers import now_utc

bp = Blueprint("ops", __name__)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    report = check_health(get_database(current_app).engine, now_utc())
    return jsonify(report), 200 if report["ok"] else 503
