"""Embedded / development settings: SQLite under var/, tasks in-process, DEBUG from the environment."""
from .base import *  # noqa: F401,F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
VAR_DIR.mkdir(parents=True, exist_ok=True)
# `make demo` runs collectstatic; a plain runserver serves from the app folders too.
WHITENOISE_USE_FINDERS = True
