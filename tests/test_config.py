"""Settings: environments, production's required secrets, and a clear message when one is missing."""
import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_development_defaults_to_sqlite_in_instance_folder(tmp_path: Path) -> None:
    config = load_config(environ={"MLA_INSTANCE_PATH": str(tmp_path)})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'mla.sqlite3'}"
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    ("environ", "missing"),
    [
        ({}, "MLA_SECRET_KEY, MLA_DATABASE_URL"),
        ({"MLA_SECRET_KEY": "s"}, "MLA_DATABASE_URL"),
        ({"MLA_DATABASE_URL": "postgresql://x/y"}, "MLA_SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_its_settings(environ: dict, missing: str) -> None:
    with pytest.raises(ConfigError, match=missing):
        load_config("production", environ=environ)


def test_production_uses_secure_cookies_and_psycopg() -> None:
    config = load_config("production", environ={"MLA_SECRET_KEY": "s",
                                                "MLA_DATABASE_URL": "postgresql://db/mla",
                                                "MLA_AUDIT_KEY": "a" * 32})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["DATABASE_URL"] == "postgresql+psycopg://db/mla"


@pytest.mark.parametrize("environ", [
    {"MLA_ENV": "staging"}, {"MLA_SESSION_IDLE_MINUTES": "ten"}, {"MLA_SESSION_MAX_HOURS": "0"},
    {"MLA_SESSION_MAX_HOURS": "twelve"}, {"MLA_PROXY_COUNT": "-1"},
])
def test_malformed_settings_are_named(environ: dict) -> None:
    with pytest.raises(ConfigError, match=next(iter(environ))):
        load_config(environ=environ)


def test_production_start_without_settings_exits_with_a_message_not_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, capture_output=True, text=True,
        env={"MLA_ENV": "production", "PATH": "/usr/bin:/bin"}, timeout=60,
    )
    assert result.returncode == 2
    assert "MLA_SECRET_KEY, MLA_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_development_makes_a_private_random_secret_key_once(tmp_path: Path) -> None:
    first = load_config(environ={"MLA_INSTANCE_PATH": str(tmp_path)})
    again = load_config(environ={"MLA_INSTANCE_PATH": str(tmp_path)})
    elsewhere = load_config(environ={"MLA_INSTANCE_PATH": str(tmp_path / "other")})
    assert len(first["SECRET_KEY"]) >= 64
    assert again["SECRET_KEY"] == first["SECRET_KEY"] != elsewhere["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first["SECRET_KEY"]
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".secret_key")] == []


def test_a_set_secret_key_is_used_and_nothing_is_written(tmp_path: Path) -> None:
    config = load_config(environ={"MLA_INSTANCE_PATH": str(tmp_path), "MLA_SECRET_KEY": "k" * 40})
    assert config["SECRET_KEY"] == "k" * 40
    assert not (tmp_path / "secret_key").exists()
