"""Production: PostgreSQL + Redis + Celery behind gunicorn. Refuses to start with a default or missing secret."""
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import INSECURE_DEFAULT_SECRET_KEY, SECRET_KEY, env_bool

if not SECRET_KEY or SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment to a random value of 50+ characters.")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
if not os.environ.get("REDIS_URL"):
    # Without it background work (SMS delivery, imports, deadline checks) would run inside the web process.
    raise ImproperlyConfigured("REDIS_URL must be set in production: Celery + Redis carry the background work.")
if not os.environ.get("FIELD_ENCRYPTION_KEYS"):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set (reporter identity is encrypted at rest).")
if not os.environ.get("SUNSHINE_PUBLIC_BASE_URL", "").startswith("https://"):
    # Printed on every village board and sent in every SMS: a wrong address is hard to take back.
    raise ImproperlyConfigured("SUNSHINE_PUBLIC_BASE_URL must be set to the portal's https address in production "
                               "(it is printed on notices and sent in every SMS).")

DEBUG = False
# Production runs behind one nginx (docs/deploy-proxy.md); a second proxy layer (a load balancer) makes it 2.
SUNSHINE_TRUSTED_PROXY_COUNT = int(os.environ.get("SUNSHINE_TRUSTED_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
# Two-factor login for every staff account (等保三级: two kinds of authentication for administrators and staff).
SUNSHINE_REQUIRE_2FA = env_bool("SUNSHINE_REQUIRE_2FA", True)
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
