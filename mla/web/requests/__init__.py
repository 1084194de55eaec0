"""The request register: list and request pages, list exports, drafting forms, stage moves and links."""
from mla.web.requests.drafting import bp as drafting_bp
from mla.web.requests.export import bp as export_bp
from mla.web.requests.moves import bp as moves_bp
from mla.web.requests.views import bp

bp.register_blueprint(export_bp)

__all__ = ["bp", "drafting_bp", "moves_bp"]
