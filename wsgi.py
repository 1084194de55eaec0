"""WSGI entry point for gunicorn or waitress: `gunicorn wsgi:app`."""
import sys

from config import ConfigError
from mla.app import create_app

try:
    app = create_app()
except ConfigError as exc:
    sys.stderr.write(f"mla: cannot start: {exc}\n")
    raise SystemExit(2) from None
