"""Production settings: `check --deploy` is clean, and the settings refuse to start without their secrets."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

PROJECT_DIR = Path(__file__).resolve().parents[3]
PRODUCTION = "sunshine.settings.production"


def production_env(**overrides) -> dict[str, str]:
    """A clean environment as a deployment would have it (not the test run's: pytest sets development flags)."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    env.update({
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "DATABASE_URL": "postgres://sunshine:secret@db.example.org:5432/sunshine",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "example.org",
        "REDIS_URL": "redis://cache.example.org:6379/0",
        "SUNSHINE_PUBLIC_BASE_URL": "https://example.org",
    })
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_finds_no_issues_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize("secret", [None, "", "django-insecure-sunshine-development-key-do-not-use-in-production",
                                    "too-short"])
def test_production_settings_refuse_a_missing_default_or_short_secret_key(secret):
    result = manage("check", env=production_env(SECRET_KEY=secret))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_sqlite_and_a_missing_encryption_key():
    sqlite = manage("check", env=production_env(DATABASE_URL="sqlite:////tmp/sunshine.sqlite3"))
    assert sqlite.returncode != 0 and "DATABASE_URL" in sqlite.stderr
    no_key = manage("check", env=production_env(FIELD_ENCRYPTION_KEYS=None))
    assert no_key.returncode != 0 and "FIELD_ENCRYPTION_KEYS" in no_key.stderr


def test_production_settings_refuse_to_run_background_work_in_process():
    no_redis = manage("check", env=production_env(REDIS_URL=None))
    assert no_redis.returncode != 0 and "REDIS_URL" in no_redis.stderr


@pytest.mark.parametrize("base", [None, "", "http://example.org"])
def test_production_settings_refuse_a_missing_or_plain_http_public_address(base):
    # The address is printed on every village board and sent in every SMS: a wrong one is hard to take back.
    result = manage("check", env=production_env(SUNSHINE_PUBLIC_BASE_URL=base))
    assert result.returncode != 0 and "SUNSHINE_PUBLIC_BASE_URL" in result.stderr


def test_check_deploy_fails_when_two_factor_login_is_switched_off_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SUNSHINE_REQUIRE_2FA="0"))
    assert result.returncode != 0 and "sunshine.W001" in result.stdout + result.stderr


@pytest.mark.parametrize(("overrides", "expected"), [
    ({}, []),
    ({"SUNSHINE_REQUIRE_2FA": False}, ["sunshine.W001"]),
    ({"AXES_ENABLED": False}, ["sunshine.W002"]),
    ({"AXES_FAILURE_LIMIT": 10}, ["sunshine.W003"]),
    ({"AXES_COOLOFF_TIME": __import__("datetime").timedelta(minutes=5)}, ["sunshine.W004"]),
    ({"SESSION_IDLE_SECONDS": 3600}, ["sunshine.W005"]),
    ({"SESSION_ABSOLUTE_SECONDS": 86400}, ["sunshine.W006"]),
])
def test_loosening_a_staff_protection_is_a_deploy_warning(settings, overrides, expected):
    from sunshine.core.checks import staff_protections

    settings.SUNSHINE_REQUIRE_2FA = True  # what production sets
    for name, value in overrides.items():
        setattr(settings, name, value)
    assert [w.id for w in staff_protections()] == expected
