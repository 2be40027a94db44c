"""Settings shared by every environment; every value that differs between machines comes from the environment."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent  # the sunshine package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("SUNSHINE_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A development-only key; production.py refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-sunshine-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Domain apps; dependencies run one way (docs/architecture.md, checked by lint-imports):
    # core <- org <- notify <- funds <- cases, oversight, redflags <- stats <- portal, desk
    "sunshine.core",
    "sunshine.org",
    "sunshine.notify",
    "sunshine.funds",
    "sunshine.cases",
    "sunshine.oversight",
    "sunshine.redflags",
    "sunshine.stats",  # statistics, exports and the campaign brief: reads every domain, no domain imports it
    "sunshine.portal",
    "sunshine.desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sunshine.core.audit.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sunshine.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "sunshine.core.middleware.RejectNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sunshine.desk.security.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sunshine.core.middleware.AddresslessAuditlogMiddleware",
    "sunshine.core.middleware.SecurityHeadersMiddleware",
    "sunshine.core.middleware.ApplicationErrorMiddleware",
    "sunshine.core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login attempt into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sunshine.urls"
WSGI_APPLICATION = "sunshine.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sunshine.core.context_processors.site",
            ],
        },
    }
]

# Database: DATABASE_URL (postgres://... in production), else the embedded SQLite file under var/.
DEFAULT_SQLITE_PATH = VAR_DIR / "sunshine.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process background worker write while pages read; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # cache_size: 64 MiB of pages per connection instead of SQLite's 2 MiB, which a city's payment indexes
        # outgrow at once (a bulk import writes a fifth faster).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                        "PRAGMA cache_size=-65536;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.Account"
# django-axes first: it refuses a locked-out account before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Argon2id (Django's Argon2PasswordHasher uses the id variant); PBKDF2 only to read hashes made before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "desk:login"

# Simplified Chinese by default; English available (LocaleMiddleware + the language switch).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Stored in UTC, shown in Asia/Shanghai.
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Seconds a Redis call may take before the caller falls back (sunshine.core.resilience): a dead Redis must not
# hold a request for long.
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "1"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"],
         "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS}}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sunshine"}
    )
}

# Background work. With REDIS_URL set, Celery + Redis carry it; without (embedded mode) the same tasks run
# in-process on a small thread pool after the transaction commits (sunshine.core.tasks.enqueue).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS * 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish tries the broker once more, briefly, then fails: the task waits in the outbox (core.tasks) rather than a
# request waiting on a dead Redis. Workers reconnect by their own policy (broker_connection_max_retries).
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# Three queues, so a 300,000-SMS backlog never holds up a desk import (nor the reverse); one worker per queue
# (README, "Running for real"): `celery -A sunshine worker -Q sms`, `-Q imports`, `-Q default`.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "notify.*": {"queue": "sms"},
    "funds.import_run": {"queue": "imports"},
    "org.households_import": {"queue": "imports"},
    "org.regions_import": {"queue": "imports"},
}
CELERY_BEAT_SCHEDULE: dict = {}
SUNSHINE_EMBEDDED_TASKS = not bool(REDIS_URL)
# Sent when a worker or beat starts (sunshine/celery.py), so a restarted worker resumes at once rather than at the
# next beat tick: the tasks left in the outbox, the SMS waiting, the import jobs whose worker died.
SUNSHINE_TASKS_ON_START = ["core.tasks.outbox_drain", "notify.tasks.dispatch_pending", "core.tasks.import_jobs_reap"]
CELERY_BEAT_SCHEDULE["core-outbox-drain"] = {  # tasks recorded while the broker was down
    "task": "core.tasks.outbox_drain", "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["core-import-jobs-reap"] = {  # import jobs silent past their limit are marked failed
    "task": "core.tasks.import_jobs_reap", "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["redflags-nightly"] = {  # 大数据比对: an incremental run over what arrived since the last one
    "task": "redflags.run", "schedule": 24 * 60 * 60.0,
}
# An import job is failed when its process has given no sign of life for IMPORT_HEARTBEAT_LIMIT_SECONDS while
# running (it beats at least every few seconds), or has not started IMPORT_PENDING_LIMIT_SECONDS after it was queued.
IMPORT_HEARTBEAT_LIMIT_SECONDS = int(os.environ.get("IMPORT_HEARTBEAT_LIMIT_SECONDS", "300"))
IMPORT_PENDING_LIMIT_SECONDS = int(os.environ.get("IMPORT_PENDING_LIMIT_SECONDS", "1800"))
# /api/v1/health: an SMS due for longer than this is a backlog (the SMS worker is down or far behind).
HEALTH_SMS_BACKLOG_SECONDS = int(os.environ.get("HEALTH_SMS_BACKLOG_SECONDS", "600"))

# Field encryption key (whistleblower identity): urlsafe base64 32-byte Fernet key(s), newest first, comma-separated.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")

# How many reverse proxies we run in front of the application (nginx alone: 1). The client address used by the
# per-address limits is the entry the outermost of them added to X-Forwarded-For; 0 = the socket address, and
# every X-Forwarded-For header is then ignored (docs/deploy-proxy.md).
SUNSHINE_TRUSTED_PROXY_COUNT = int(os.environ.get("SUNSHINE_TRUSTED_PROXY_COUNT", "0"))

SESSION_COOKIE_HTTPONLY = True
# Staff sessions (sunshine.desk.security): ended after 30 idle minutes and 12 hours after login, whatever happens.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS

# Two-factor login (django-otp TOTP + one-time recovery codes) for every staff account when on; when off (the
# demo) an account that enrolled a device still needs it. production.py turns it on.
SUNSHINE_REQUIRE_2FA = env_bool("SUNSHINE_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "阳光监督"
RECOVERY_CODE_COUNT = 10

# django-axes, on the staff login (the desk's and the admin's, which is the same page): 5 failures lock that
# account from that address for 30 minutes, so a stranger elsewhere cannot lock an officer out; the lock runs
# from the 5th failure (attempts during it do not extend it). Each address is also throttled across accounts
# (STAFF_LOGIN_FAILURES_PER_ADDRESS in sunshine.desk.security).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "sunshine.core.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "desk/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # logins are in the security audit records (sunshine.core.audit)
AXES_VERBOSE = False
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less hx-headers attribute instead
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

SUNSHINE = {
    "CITY_NAME": os.environ.get("SUNSHINE_CITY_NAME", "湘乡市"),
    "CITY_CODE": os.environ.get("SUNSHINE_CITY_CODE", "430381000000"),
    "HOTLINE": os.environ.get("SUNSHINE_HOTLINE", "0731-12388"),
}
# The portal's public address, the base of every link that leaves the site (SMS, printed notices, QR codes):
# sunshine.core.public_urls. `make demo` sets it from PORT; production refuses to start without an https one.
SUNSHINE_PUBLIC_BASE_URL = os.environ.get("SUNSHINE_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# 三(二)3: the days within which a township publishes a household payment (funds.rules.publication_due_date, the
# one definition the household page, the statistics and the data comparison use).
SUNSHINE_PUBLICATION_DUE_DAYS = int(os.environ.get("SUNSHINE_PUBLICATION_DUE_DAYS", "30"))

AUDITLOG_INCLUDE_ALL_MODELS = False
# No client address in any table: the field-change history must not unmask an anonymous reporter.
AUDITLOG_DISABLE_REMOTE_ADDR = True
# Field changes carry the request id of the security audit record of the same request (sunshine.core.audit).
AUDITLOG_CID_GETTER = "sunshine.core.audit.auditlog_cid"
# Security audit records (sunshine.core.audit) are kept this many days; never fewer than 180 (等保三级).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))
CELERY_BEAT_SCHEDULE["core-audit-prune"] = {"task": "core.tasks.audit_prune", "schedule": 24 * 60 * 60.0}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "jieba": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "sunshine.core.pagination.Pagination"

# SMS (三(二)3: 扶贫明白卡 payments and village-account movements). SMS_PROVIDER=console writes to the log and
# to SMS_CONSOLE_FILE (the demo); aliyun / tencent use the official SDKs with the credentials below.
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "console")
SMS_CONSOLE_FILE = os.environ.get("SMS_CONSOLE_FILE", str(VAR_DIR / "sms" / "console-sms.jsonl"))
SMS_RATE_PER_SECOND = int(os.environ.get("SMS_RATE_PER_SECOND", "20"))  # per gateway, across all workers
SMS_DISPATCH_BATCH = int(os.environ.get("SMS_DISPATCH_BATCH", "200"))
SMS_MAX_ATTEMPTS = int(os.environ.get("SMS_MAX_ATTEMPTS", "6"))
SMS_RETRY_BASE_SECONDS = int(os.environ.get("SMS_RETRY_BASE_SECONDS", "30"))
SMS_LEASE_SECONDS = int(os.environ.get("SMS_LEASE_SECONDS", "120"))  # longer than any gateway call may take
SMS_TIMEOUT_SECONDS = int(os.environ.get("SMS_TIMEOUT_SECONDS", "10"))
SMS_GATEWAY_PROTOCOL = os.environ.get("SMS_GATEWAY_PROTOCOL", "https")  # http only behind an intranet relay
SMS_RECEIPT_TOKEN = os.environ.get("SMS_RECEIPT_TOKEN", "")  # receipts URL /api/v1/notify/receipts/<provider>?token=…
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com")
SMS_ALIYUN_TEMPLATE_CODES = os.environ.get("SMS_ALIYUN_TEMPLATE_CODES", "")  # payment_notice=SMS_123,…
SMS_TENCENT_SECRET_ID = os.environ.get("SMS_TENCENT_SECRET_ID", "")
SMS_TENCENT_SECRET_KEY = os.environ.get("SMS_TENCENT_SECRET_KEY", "")
SMS_TENCENT_SDK_APP_ID = os.environ.get("SMS_TENCENT_SDK_APP_ID", "")
SMS_TENCENT_REGION = os.environ.get("SMS_TENCENT_REGION", "ap-guangzhou")
SMS_TENCENT_ENDPOINT = os.environ.get("SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com")
SMS_TENCENT_TEMPLATE_IDS = os.environ.get("SMS_TENCENT_TEMPLATE_IDS", "")  # payment_notice=123456,…
# Tencent lists a message only once the carrier reports on it: after a lost answer, wait this long before
# concluding it was never sent (shorter risks a second SMS to a phone that was off; longer delays the resend).
SMS_TENCENT_SETTLE_MINUTES = int(os.environ.get("SMS_TENCENT_SETTLE_MINUTES", "60"))
SMS_QUERY_DELAY_SECONDS = 30  # after a timeout, ask the gateway this much later
SMS_RETRY_MAX_SECONDS = 3600
SMS_DISPATCH_TIME_BUDGET = 50  # seconds one Celery task dispatches before handing over to a fresh one
CELERY_BEAT_SCHEDULE["notify-dispatch-pending"] = {  # safety net; every queue schedules its own dispatch
    "task": "notify.tasks.dispatch_pending", "schedule": 60.0,
}

# Report desk (三(三)): deadlines in working days (sunshine.core.workdays), national defaults; see sunshine/cases/conf.py.
SUNSHINE_CASES = {
    "TRANSFER_WORKING_DAYS": int(os.environ.get("CASES_TRANSFER_WORKING_DAYS", "5")),
    "ACCEPT_NOTICE_WORKING_DAYS": int(os.environ.get("CASES_ACCEPT_NOTICE_WORKING_DAYS", "15")),
    "REPLY_WORKING_DAYS": int(os.environ.get("CASES_REPLY_WORKING_DAYS", "15")),
    "REMIND_BEFORE_WORKING_DAYS": int(os.environ.get("CASES_REMIND_BEFORE_WORKING_DAYS", "2")),
    "FUNDS_RETURN_DAYS": int(os.environ.get("CASES_FUNDS_RETURN_DAYS", "30")),  # 三(四)1 第一时间返还
}
CELERY_BEAT_SCHEDULE["cases-deadlines"] = {  # reminders before, escalations after; idempotent (embedded: command)
    "task": "cases.tasks.check_deadlines", "schedule": 60.0 * 60,
}
CELERY_BEAT_SCHEDULE["oversight-rectifications"] = {  # overdue 整改 items escalate once per deadline (i13a)
    "task": "oversight.tasks.rectifications_check", "schedule": 60.0 * 60,
}
CELERY_BEAT_SCHEDULE["cases-classifier-retrain"] = {  # staff corrections become training data (no-op until due)
    "task": "cases.tasks.classifier_retrain_if_due", "schedule": 60.0 * 60,
}

# Statistics (issue 14): kept summaries are recomputed by a reader once older than this, and by the beat ahead.
SUNSHINE_STATS_MAX_AGE_SECONDS = int(os.environ.get("STATS_MAX_AGE_SECONDS", "600"))
# The staff home page's totals over households and payments (sunshine.core.kept): as old as the statistics at most,
# recomputed with them by the statistics beat.
SUNSHINE_KEPT_MAX_AGE_SECONDS = SUNSHINE_STATS_MAX_AGE_SECONDS
CELERY_BEAT_SCHEDULE["stats-refresh-summaries"] = {"task": "stats.tasks.refresh_summaries", "schedule": 5 * 60.0}

# Import files (sunshine.core.tabular.TableLimits): refused before reading when over any of these. The defaults admit
# the benchmarks' million-row files and refuse a zip bomb, a 100 MB line or a sheet of thousands of columns.
SUNSHINE_IMPORT_LIMITS = {
    "MAX_ROWS": int(os.environ.get("IMPORT_MAX_ROWS", "2000000")),
    "MAX_COLUMNS": int(os.environ.get("IMPORT_MAX_COLUMNS", "200")),
    "MAX_CELL_CHARS": int(os.environ.get("IMPORT_MAX_CELL_CHARS", "32767")),  # Excel's own cell limit
    "MAX_LINE_BYTES": int(os.environ.get("IMPORT_MAX_LINE_BYTES", str(1024 * 1024))),
    "MAX_EXPANSION_RATIO": int(os.environ.get("IMPORT_MAX_EXPANSION_RATIO", "100")),
    "MAX_EXPANDED_BYTES": int(os.environ.get("IMPORT_MAX_EXPANDED_BYTES", str(1024 ** 3))),
}
