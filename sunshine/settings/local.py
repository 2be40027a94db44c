"""Embedded / development settings: SQLite under var/, tasks in-process, DEBUG from the environment."""
from .base import *  # noqa: F401,F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
VAR_DIR.mkdir(parents=True, exist_ok=True)
# `make demo` runs collectstatic; a plain runserver serves from the app folders too.
WHITENOISE_USE_FINDERS = True

# Reporter identity is encrypted at rest. Embedded mode keeps a key of its own under var/ (created once, never
# committed) unless FIELD_ENCRYPTION_KEYS is set; production refuses to start without the environment variable.
if not FIELD_ENCRYPTION_KEYS:  # noqa: F405
    _key_file = VAR_DIR / "field-encryption.key"
    if not _key_file.exists():
        from cryptography.fernet import Fernet

        _key_file.write_bytes(Fernet.generate_key())
        _key_file.chmod(0o600)
    FIELD_ENCRYPTION_KEYS = [_key_file.read_text().strip()]
