"""What every `mla` command shares: building the app with a clear error, and the clock."""
from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask

from config import ConfigError


def command_app(**overrides: object) -> Flask:
    """The app for a command; a configuration problem is a one-line error, not a traceback."""
    # Imported here, not at the top: the factory registers the `mla` group, so mla.app imports the CLI.
    from mla.app import create_app

    try:
        return create_app(overrides)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def utc_now() -> datetime:
    return datetime.now(UTC)
