"""Sign-in and sign-out, the second factor, and the user's own sessions."""
from mla.web.auth import second_factor, sessions
from mla.web.auth.views import bp

__all__ = ["bp", "second_factor", "sessions"]
