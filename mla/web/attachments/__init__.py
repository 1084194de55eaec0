"""Files attached to a request: upload and download."""
from mla.web.attachments.views import bp

__all__ = ["bp"]
