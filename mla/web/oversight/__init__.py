"""Oversight: the managers' dashboard, partner statistics and the annual report, and the audit trail."""
from flask import Blueprint

from mla.web.oversight.audit import bp as audit_bp
from mla.web.oversight.dashboard import bp as dashboard_bp
from mla.web.oversight.statistics import bp as statistics_bp

bp = Blueprint("oversight", __name__)
bp.register_blueprint(dashboard_bp)
bp.register_blueprint(statistics_bp)
bp.register_blueprint(audit_bp)

__all__ = ["bp"]
