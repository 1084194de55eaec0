"""The mail outbox: admins read the messages kept instead of sent when no SMTP server is set."""
from mla.web.outbox.views import bp

__all__ = ["bp"]
