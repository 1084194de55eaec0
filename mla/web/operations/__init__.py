"""Operations: the health endpoint, and the mail outbox admins read when no SMTP server is set."""
from mla.web.operations.outbox import bp as outbox_bp
from mla.web.operations.views import bp

bp.register_blueprint(outbox_bp)

__all__ = ["bp"]
