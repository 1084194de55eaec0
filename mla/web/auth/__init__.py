"""Sign-in and sign-out, the second factor, and the user's own sessions."""
from mla.web.auth.second_factor import bp as two_factor_bp
from mla.web.auth.sessions import bp as sessions_bp
from mla.web.auth.views import bp

bp.register_blueprint(two_factor_bp)
bp.register_blueprint(sessions_bp)

__all__ = ["bp"]
