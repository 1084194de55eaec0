"""The request register: list and request pages, list exports, drafting forms, stage moves and links,
measures and attachments."""
from mla.web.requests.attachments import bp as attachments_bp
from mla.web.requests.drafting import bp as drafting_bp
from mla.web.requests.export import bp as export_bp
from mla.web.requests.measures import bp as measures_bp
from mla.web.requests.moves import bp as moves_bp
from mla.web.requests.views import bp

for child in (export_bp, drafting_bp, moves_bp, measures_bp, attachments_bp):
    bp.register_blueprint(child)

__all__ = ["bp"]
