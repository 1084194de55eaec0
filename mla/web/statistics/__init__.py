"""Partner statistics and the annual statistics report."""
from mla.web.statistics.views import bp

__all__ = ["bp"]
