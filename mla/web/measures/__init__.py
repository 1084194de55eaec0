"""Measures requested in a request, and what came of each."""
from mla.web.measures.views import bp

__all__ = ["bp"]
