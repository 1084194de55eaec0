"""Settings of the MLA tracker: defaults per environment, overridden by MLA_* environment variables."""
from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from datetime import time, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "testing", "production")
REQUIRED_IN_PRODUCTION = ("MLA_SECRET_KEY", "MLA_DATABASE_URL")
TESTING_SECRET_KEY = "testing-only-not-secret"


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names it and says what to do."""


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.") from exc


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


SMTP_SECURITY = ("starttls", "ssl", "none")
DEFAULT_SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def _positive_ints(environ: Mapping[str, str], name: str, default: str) -> tuple[int, ...]:
    raw = environ.get(name) or default
    try:
        values = tuple(int(part) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"{name} must be whole numbers separated by commas, got {raw!r}.") from exc
    if not values or min(values) < 1 or len(set(values)) != len(values):
        raise ConfigError(f"{name} must list different whole numbers of 1 or more, got {raw!r}.")
    return values


def _working_hours(environ: Mapping[str, str]) -> tuple[time, time]:
    raw = environ.get("MLA_WORKING_HOURS") or "08:00-18:00"
    try:
        start, end = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError as exc:
        raise ConfigError(f"MLA_WORKING_HOURS must look like 08:00-18:00, got {raw!r}.") from exc
    if start >= end:
        raise ConfigError(f"MLA_WORKING_HOURS must start before it ends, got {raw!r}.")
    return start, end


def _mail_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """SMTP and reminder settings; with no MLA_SMTP_HOST, mail goes to the outbox in the database."""
    security = (environ.get("MLA_SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SMTP_SECURITY:
        raise ConfigError(f"MLA_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, got {security!r}.")
    port = _int(environ, "MLA_SMTP_PORT", DEFAULT_SMTP_PORTS[security])
    if not 1 <= port <= 65535:
        raise ConfigError(f"MLA_SMTP_PORT must be between 1 and 65535, got {port}.")
    timeout = _int(environ, "MLA_SMTP_TIMEOUT", 30)
    sweep_minutes = _int(environ, "MLA_REMINDER_SWEEP_MINUTES", 15)
    if timeout < 1 or sweep_minutes < 1:
        raise ConfigError("MLA_SMTP_TIMEOUT and MLA_REMINDER_SWEEP_MINUTES must be 1 or more.")
    sender = environ.get("MLA_MAIL_FROM") or "MLA tracker <mla-tracker@localhost>"
    if "@" not in parseaddr(sender)[1]:
        raise ConfigError(f"MLA_MAIL_FROM must be an e-mail address, got {sender!r}.")
    return {
        "SMTP_HOST": environ.get("MLA_SMTP_HOST", "").strip(),
        "SMTP_PORT": port,
        "SMTP_SECURITY": security,
        "SMTP_USER": environ.get("MLA_SMTP_USER", ""),
        "SMTP_PASSWORD": environ.get("MLA_SMTP_PASSWORD", ""),
        "SMTP_TIMEOUT": timeout,
        "MAIL_FROM": sender,
        "BASE_URL": environ.get("MLA_BASE_URL", "").rstrip("/"),
        "REMINDER_OFFSETS": tuple(sorted(_positive_ints(environ, "MLA_REMINDER_OFFSETS", "5,1"))),
        "ESCALATION_DAYS": tuple(sorted(_positive_ints(environ, "MLA_ESCALATION_DAYS", "3,10"))),
        "WORKING_HOURS": _working_hours(environ),
        "REMINDER_SWEEP_MINUTES": sweep_minutes,
    }


def _session_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """How long sessions last, and how many reverse proxies stand before the app."""
    idle_minutes = _int(environ, "MLA_SESSION_IDLE_MINUTES", 30)
    max_hours = _int(environ, "MLA_SESSION_MAX_HOURS", 12)
    proxies = _int(environ, "MLA_PROXY_COUNT", 0)
    if idle_minutes < 1 or max_hours < 1:
        raise ConfigError("MLA_SESSION_IDLE_MINUTES and MLA_SESSION_MAX_HOURS must be 1 or more.")
    if proxies < 0:
        raise ConfigError(f"MLA_PROXY_COUNT must be 0 or more, got {proxies}.")
    return {
        "SESSION_IDLE_MINUTES": idle_minutes,
        "SESSION_MAX_HOURS": max_hours,
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=idle_minutes),
        "PROXY_COUNT": proxies,
    }


MIN_AUDIT_KEY_LENGTH = 32


def _audit_key(environ: Mapping[str, str], production: bool) -> bytes | None:
    """The key that signs the audit chain, kept outside the database: MLA_AUDIT_KEY, or the file
    MLA_AUDIT_KEY_FILE names. Without either, development and tests use one made in the instance folder."""
    key, key_file = environ.get("MLA_AUDIT_KEY", "").strip(), environ.get("MLA_AUDIT_KEY_FILE", "")
    if key and key_file:
        raise ConfigError("Set MLA_AUDIT_KEY or MLA_AUDIT_KEY_FILE, not both.")
    if key_file:
        try:
            key = Path(key_file).read_text().strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"MLA_AUDIT_KEY_FILE cannot be read: {exc}.") from None
    if key and len(key) < MIN_AUDIT_KEY_LENGTH:
        raise ConfigError(f"The audit key must be at least {MIN_AUDIT_KEY_LENGTH} characters long.")
    if not key and production:
        raise ConfigError("Production needs the audit key: set MLA_AUDIT_KEY or MLA_AUDIT_KEY_FILE to a "
                          "random secret kept outside the database.")
    return key.encode() or None


def _database_url(environ: Mapping[str, str], instance_path: Path) -> str:
    url = environ.get("MLA_DATABASE_URL", "")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{instance_path / 'mla.sqlite3'}"


def _instance_secret_key(instance_path: Path) -> str:
    """Development's secret key: made once at random into the instance folder, readable by its
    owner alone, and reused after, so sessions survive a restart and no key is ever public."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Written whole under another name, then linked into place: a second process starting
        # at the same moment reads the first one's key, never an empty or half-written file.
        descriptor, draft = tempfile.mkstemp(dir=instance_path, prefix=".secret_key-")
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(secrets.token_hex(32) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise ConfigError(f"{path} is empty: delete it and a new secret key is made.")
    return key


def load_config(
    env_name: str | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Flask config for one environment; production refuses to start without its secrets."""
    environ = os.environ if environ is None else environ
    env_name = env_name or environ.get("MLA_ENV", "development")
    if env_name not in ENVIRONMENTS:
        raise ConfigError(f"MLA_ENV must be one of {', '.join(ENVIRONMENTS)}, got {env_name!r}.")
    if env_name == "production":
        missing = [name for name in REQUIRED_IN_PRODUCTION if not environ.get(name)]
        if missing:
            raise ConfigError(
                "Production needs these settings, which are not set: " + ", ".join(missing) + "."
            )
    instance_path = Path(environ.get("MLA_INSTANCE_PATH", "instance")).resolve()
    production = env_name == "production"
    config: dict[str, Any] = {
        "ENV_NAME": env_name,
        "TESTING": env_name == "testing",
        # if empty, made below into the instance folder, once the overrides have said where it is
        "SECRET_KEY": environ.get("MLA_SECRET_KEY") or (TESTING_SECRET_KEY if env_name == "testing" else ""),
        "INSTANCE_PATH": instance_path,
        "DATABASE_URL": _database_url(environ, instance_path),
        "DEMO_MODE": _bool(environ, "MLA_DEMO", False),
        "DEFAULT_LOCALE": environ.get("MLA_DEFAULT_LOCALE", "ru"),
        "TIME_ZONE": environ.get("MLA_TIME_ZONE", "Asia/Dushanbe"),
        "HOME_COUNTRY": environ.get("MLA_HOME_COUNTRY", "TJ"),
        "SIGN_IN_FREE_FAILURES": _int(environ, "MLA_SIGN_IN_FREE_FAILURES", 3),
        "SIGN_IN_LOCK_AFTER": _int(environ, "MLA_SIGN_IN_LOCK_AFTER", 10),
        "SIGN_IN_LOCK_MINUTES": _int(environ, "MLA_SIGN_IN_LOCK_MINUTES", 15),
        "REQUIRE_TOTP_ROLES": tuple(
            r.strip() for r in environ.get("MLA_REQUIRE_TOTP_ROLES", "").split(",") if r.strip()
        ),
        "UPLOAD_MAX_BYTES": _int(environ, "MLA_UPLOAD_MAX_BYTES", 20 * 1024 * 1024),
        "UPLOAD_ALLOWED_TYPES": tuple(
            t.strip().lower()
            for t in environ.get("MLA_UPLOAD_TYPES", "pdf,docx,xlsx,odt,jpeg,png,tiff,txt").split(",")
            if t.strip()
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }
    # Let a slightly larger body through so that an oversized file is refused on the request's
    # page with a message, not by the server's bare 413.
    config["MAX_CONTENT_LENGTH"] = config["UPLOAD_MAX_BYTES"] + 1024 * 1024
    config.update(_session_settings(environ))
    config.update(_mail_settings(environ))
    config["AUDIT_KEY"] = _audit_key(environ, production)
    config["AUDIT_CHECKPOINT_FILE"] = environ.get("MLA_AUDIT_CHECKPOINT_FILE", "")
    config.update(overrides or {})
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret_key(Path(config["INSTANCE_PATH"]))
    return config
