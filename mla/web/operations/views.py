"""GET /healthz: is the database reachable, are migrations current, is the scheduler alive."""
from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.services.operations.health import check_health
from mla.web.helpers import now_utc

bp = Blueprint("operations", __name__)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    report = check_health(db_session(), now_utc())
    return jsonify(report), 200 if report["ok"] else 503
