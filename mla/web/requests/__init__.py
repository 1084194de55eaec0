"""The request register: list and request pages."""
from mla.web.requests.views import bp

__all__ = ["bp"]
