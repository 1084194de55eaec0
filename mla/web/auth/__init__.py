"""Sign-in and sign-out."""
from mla.web.auth.views import bp

__all__ = ["bp"]
