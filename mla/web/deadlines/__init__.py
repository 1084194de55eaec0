"""Deadlines: My deadlines, the personal iCal feed, and the admin's working calendars."""
from mla.web.deadlines.calendars import bp as calendars_bp
from mla.web.deadlines.views import bp

bp.register_blueprint(calendars_bp)

__all__ = ["bp"]
