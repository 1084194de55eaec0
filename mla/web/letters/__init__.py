"""Letters: generating and downloading them on a request, entering translations, managing templates."""
from mla.web.letters import admin, translations
from mla.web.letters.views import bp

__all__ = ["admin", "bp", "translations"]
