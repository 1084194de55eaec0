"""Deadlines: My deadlines, the personal iCal feed, and the admin's working calendars."""
from mla.web.deadlines import calendars as _calendars  # noqa: F401  (registers the admin routes on bp)
from mla.web.deadlines.views import bp

__all__ = ["bp"]
