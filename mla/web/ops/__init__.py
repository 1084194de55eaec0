"""Operations endpoints."""
from mla.web.ops.views import bp

__all__ = ["bp"]
