"""Each role's home page."""
from mla.web.home.views import bp

__all__ = ["bp"]
