"""The application factory: create_app builds the Flask application as a short list of register steps."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from config import ConfigError, load_config
from mla.cli import register_cli
from mla.db import register_database
from mla.i18n import register_i18n
from mla.reference.loader import load_reference
from mla.services.oversight.audit_anchor import CHECKPOINT_FILE, instance_audit_key
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

    check_home_country(app)
    register_audit_anchor(app)
    register_database(app)
    register_i18n(app)
    register_security(app)
    register_web(app)
    register_cli(app)
    return app


def check_home_country(app: Flask) -> None:
    """The home country comes from the reference data (the one profile marked is_home); a setting
    naming another country would leave letters, calendars and checks disagreeing, so it stops the start."""
    home = load_reference().home_iso2
    setting = app.config["HOME_COUNTRY"]
    if setting != home:
        raise ConfigError(f"MLA_HOME_COUNTRY is {setting!r}, but the reference data's home country "
                          f"(is_home in countries.toml) is {home!r}.")


def register_audit_anchor(app: Flask) -> None:
    """The audit key (made once in the instance folder when none is set) and the checkpoint file."""
    if not app.config.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = instance_audit_key(Path(app.instance_path))
    app.config["AUDIT_CHECKPOINT_FILE"] = Path(app.config.get("AUDIT_CHECKPOINT_FILE")
                                               or Path(app.instance_path) / CHECKPOINT_FILE)
