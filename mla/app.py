"""The application factory: create_app builds the Flask application as a short list of register steps."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from config import load_config
from mla.cli import register_cli
from mla.db import register_database
from mla.i18n import register_i18n
from mla.services.audit_anchor import CHECKPOINT_FILE, instance_audit_key
from mla.web import register_web
from mla.web.security import register_security

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides settings (tests pass ENV_NAME="testing" and a database)."""
    overrides = dict(config or {})
    settings = load_config(env_name=overrides.pop("ENV_NAME", None), overrides=overrides)
    app = Flask(
        "mla",  # the package: its folder holds static/, and the app's logger keeps the name "mla"
        instance_path=str(settings["INSTANCE_PATH"]),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_audit_anchor(app)
    register_database(app)
    register_i18n(app)
    register_security(app)
    register_web(app)
    register_cli(app)
    return app


def register_audit_anchor(app: Flask) -> None:
    """The audit key (made once in the instance folder when none is set) and the checkpoint file."""
    if not app.config.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = instance_audit_key(Path(app.instance_path))
    app.config["AUDIT_CHECKPOINT_FILE"] = Path(app.config.get("AUDIT_CHECKPOINT_FILE")
                                               or Path(app.instance_path) / CHECKPOINT_FILE)
