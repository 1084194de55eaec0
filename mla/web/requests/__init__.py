"""The request register: list and request pages, list exports, drafting forms, stage moves and links."""
from mla.web.requests import export  # noqa: F401 - adds the export routes to the list's blueprint
from mla.web.requests.drafting import bp as drafting_bp
from mla.web.requests.moves import bp as moves_bp
from mla.web.requests.views import bp

__all__ = ["bp", "drafting_bp", "moves_bp"]
