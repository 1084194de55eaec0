"""Clocks: My deadlines, the personal iCal feed, and the admin's working calendars."""
from mla.web.clocks.calendars import bp as calendars_bp
from mla.web.clocks.views import bp

bp.register_blueprint(calendars_bp)

__all__ = ["bp"]
