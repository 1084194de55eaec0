"""Accounts: signing in and out, the second factor, the user's own sessions, and the administration of
user accounts."""
from mla.web.accounts.admin import bp as admin_bp
from mla.web.accounts.second_factor import bp as two_factor_bp
from mla.web.accounts.sessions import bp as sessions_bp
from mla.web.accounts.views import bp

bp.register_blueprint(two_factor_bp)
bp.register_blueprint(sessions_bp)
bp.register_blueprint(admin_bp)

__all__ = ["bp"]
