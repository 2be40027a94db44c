"""Test settings: fast hashing, in-memory cache, tasks run synchronously after commit, a fixed encryption key."""
import os

from .base import *  # noqa: F401,F403
from .base import VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite runs with two-factor login and lockout on, as production does: the test helpers (sunshine.org.testing
# login_verified / browser_login) log in through a verified TOTP device.
SUNSHINE_REQUIRE_2FA = True
AXES_ENABLED = True
SUNSHINE_TASKS_SYNC = True  # enqueue() runs the task inline on commit, so tests see its effect
FIELD_ENCRYPTION_KEYS = [os.environ.get("TEST_FIELD_ENCRYPTION_KEY", "yGf9o0k4l7b1J8xH2cQe5rTn3uWz6vAs9dFg0hJk1lM=")]
# Each pytest-xdist worker (`make test` runs two) keeps its uploads apart.
MEDIA_ROOT = VAR_DIR / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
LANGUAGE_CODE = "zh-hans"

# Parallel runs against one PostgreSQL server (developers, CI) each name their own test database.
if os.environ.get("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
