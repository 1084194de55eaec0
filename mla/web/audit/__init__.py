"""The audit trail, read by managers and administrators."""
from mla.web.audit.views import bp

__all__ = ["bp"]
