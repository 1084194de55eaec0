"""Letters: generating and downloading them on a request, entering translations, managing templates."""
from mla.web.letters.admin import bp as admin_bp
from mla.web.letters.translations import bp as translations_bp
from mla.web.letters.views import bp

bp.register_blueprint(admin_bp)
bp.register_blueprint(translations_bp)

__all__ = ["bp"]
