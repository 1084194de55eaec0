"""The search box: persons across scripts and spellings, requests by number, a person's page."""
from mla.web.search.views import bp

__all__ = ["bp"]
