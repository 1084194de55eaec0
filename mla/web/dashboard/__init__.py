"""The managers' dashboard: where the backlog is, each figure a link to the list behind it."""
from mla.web.dashboard.views import bp

__all__ = ["bp"]
