"""Persons named in a request: adding, changing and removing them."""
from mla.web.persons.views import bp

__all__ = ["bp"]
