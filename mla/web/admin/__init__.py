"""Administration: user accounts."""
from mla.web.admin.views import bp

__all__ = ["bp"]
