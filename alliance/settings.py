"""The one settings module. Everything that differs between machines comes from the environment.

See ``docs/admin-guide.md`` for every variable. ``alliance.env`` parses strictly, so a value
that does not parse stops start-up with the variable's name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import dj_database_url

from alliance.env import ConfigurationError, env_bool, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("ALLIANCE_DEBUG", False)
_INSECURE_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY)
if not DEBUG and SECRET_KEY == _INSECURE_KEY and env_bool("ALLIANCE_REQUIRE_SECRET", False):
    raise ConfigurationError("SECRET_KEY must be set in production (or SECRET_KEY_FILE).")
# Rotation (docs/deployment.md): the old key(s) here keep sessions, password-reset links and
# PINs made under them working until they expire or are next used.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
# Reverse proxies (addresses or CIDR blocks) whose X-Forwarded-For and X-Forwarded-Proto are
# believed; empty: none, the peer is the client. See docs/deployment.md and
# alliance/organizations/client_address.py. `alliance serve` hands the same list to gunicorn.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "alliance.organizations",
    "alliance.programs",
    "alliance.participants",
    "alliance.identity",
    "alliance.dashboard",
    "alliance.measures",
    "alliance.outcomes",
    "alliance.engagement",
    "alliance.practice",
    "alliance.reports",
    "alliance.rights",
    "alliance.safety",
    "alliance.incidents",
    "alliance.intake",
    "alliance.audit",
    "alliance.fees",
    "alliance.ops",
    "alliance.api",
    "alliance.sms",
    "alliance.court",
    "alliance.portal",
    "alliance.training",
    "alliance.connection",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    # Background tasks (docs/deployment.md): Django's tasks API (the django-tasks backport of
    # Django 6's django.tasks) with its database backend; `alliance worker` runs them.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body (the CSRF check parses a whole multipart upload).
    "alliance.request_limits.RequestSizeLimitMiddleware",
    # Outside everything that can answer: partner-safety pages and downloads are never cached.
    "alliance.no_store.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "alliance.organizations.middleware.TwoFactorRequiredMiddleware",
    # A 405 gets a page with the header instead of an empty body (templates/405.html).
    "alliance.error_pages.MethodNotAllowedPage",
    "django.contrib.messages.middleware.MessageMiddleware",
    "alliance.organizations.middleware.OrganizationTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A man's own pages in his language (alliance/languages.py); every other page in English.
    "alliance.languages.ParticipantPagesLanguage",
    "simple_history.middleware.HistoryRequestMiddleware",
    "alliance.audit.middleware.AccessLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the "locked" page.
    "axes.middleware.AxesMiddleware",
]

#: The largest request body read at all (the follow-up import takes files up to 20 MB, plus
#: room for the multipart envelope); a larger one is answered 413 unread.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 21 * 1024 * 1024)

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance.organizations.context_processors.membership",
                "alliance.navigation.navigation",
            ],
        },
    },
]

#: Every form's help text carries the id its field's aria-describedby names (formtools, D15).
FORM_RENDERER = "alliance.formtools.Renderer"

# --- Database -----------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL=postgres://... switches to PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", "sqlite:///" + str(Path.cwd() / "alliance.sqlite3"))
try:
    _db: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60))
except ValueError as exc:
    raise ConfigurationError(f"DATABASE_URL: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, but the database file and its -wal/-shm are created mode 0600.
    _db["ENGINE"] = "alliance.ops.private_sqlite3"
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE transactions take the write
        # lock up front so two writers queue on the busy timeout instead of failing mid-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
    }
    # ":memory:" spelled out: pytest-django recognises an in-memory test database by the stock
    # engine's name, and would otherwise give each xdist worker a file named after NAME.
    _db.setdefault("TEST", {})["NAME"] = env_str("ALLIANCE_TEST_SQLITE", "") or ":memory:"
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ConfigurationError(f"DATABASE_URL: unsupported database engine {_db['ENGINE']!r}.")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks ---------------------------------------------------------------------
# "database" (the default): tasks are rows in the database and `alliance worker` runs them, so
# several workers on several machines share one PostgreSQL. "immediate": run inside the request
# that enqueues them (the test suite; a one-person trial without a worker).
TASKS_BACKEND = env_str("ALLIANCE_TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ConfigurationError(
        f"ALLIANCE_TASKS_BACKEND: expected one of {', '.join(_TASK_BACKENDS)}, "
        f"got {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# `alliance worker` enqueues the daily jobs (reminders, missed-measure flags) once a day after
# this local time (TIME_ZONE), and the others on their own cadence (alliance/ops/scheduler.py).
ALLIANCE_DAILY_JOBS_AT = env_str("ALLIANCE_DAILY_JOBS_AT", "07:00")
try:
    dt.time.fromisoformat(ALLIANCE_DAILY_JOBS_AT)
except ValueError:
    raise ConfigurationError(
        f"ALLIANCE_DAILY_JOBS_AT: expected a time as HH:MM, got {ALLIANCE_DAILY_JOBS_AT!r}."
    ) from None

# --- Shared cache ---------------------------------------------------------------------------
# Whatever several app servers must agree on lives here, never in a process: the database cache
# by default (its table is made by `alliance migrate`, see alliance/ops/apps.py), Redis when
# REDIS_URL is set (redis://host:6379/0, rediss:// for TLS).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError(
            "REDIS_URL: expected a redis://, rediss:// or unix:// address, "
            f"got {REDIS_URL.split(':', 1)[0]!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "alliance",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "alliance_cache",
            "KEY_PREFIX": "alliance",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        }
    }

# --- Authentication -----------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username+address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor authentication (django-otp) is required of every staff login; see
# alliance.organizations.middleware.TwoFactorRequiredMiddleware and docs/security.md.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Alliance")
# Wrong codes are throttled per user, kind of code and address with a capped wait
# (alliance/organizations/twofactor_throttle.py), not per device: django-otp's per-device
# throttle let anyone with the password keep the real user's correct code refused.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
TWO_FACTOR_THROTTLE_SECONDS = env_int("TWO_FACTOR_THROTTLE_SECONDS", 1)
TWO_FACTOR_THROTTLE_MAX_SECONDS = env_int("TWO_FACTOR_THROTTLE_MAX_SECONDS", 300)
for _name in ("TWO_FACTOR_THROTTLE_SECONDS", "TWO_FACTOR_THROTTLE_MAX_SECONDS"):
    if globals()[_name] < 1:
        raise ConfigurationError(f"{_name}: expected a whole number of seconds, at least 1.")
# Lockout after repeated failed logins (django-axes): per username *and* address, so one
# person mistyping cannot lock a whole office behind one NAT address out.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address as every other limit sees it (X-Forwarded-For only from TRUSTED_PROXIES),
# so behind a proxy the lockout stays per person, not per proxy.
AXES_CLIENT_IP_CALLABLE = "alliance.organizations.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "alliance.organizations.views.locked_out"
AXES_VERBOSE = False

# --- HTTP hardening -----------------------------------------------------------------------
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' preload list is hard to undo and a decision for the deploying
# organization, so its absence is not reported by `alliance check --deploy`.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own static files, never inline,
# never eval. Styles allow inline because the matplotlib SVG charts embedded in pages carry
# style attributes; a style cannot run code. See docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
# The languages of a man's own pages, texts and reminders (alliance/languages.py,
# docs/languages.md); staff pages are in English for now.
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr-ca", "Français (Canada)")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("ALLIANCE_TIME_ZONE", "UTC")
USE_I18N = True
#: The staff pages' one date format, "4 Dec 2026" (alliance/formats/en/formats.py, D21).
FORMAT_MODULE_PATH = ["alliance.formats"]
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(Path.cwd() / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_MANIFEST_STRICT = False

# --- Logging ------------------------------------------------------------------------------
# Log lines carry request paths and status codes, never participant codes or clinical text,
# and never a participant token: every handler masks them (alliance/ops/log_privacy.py).
# Django's own "django" and "django.server" loggers are routed here too, because Django's
# defaults give them handlers of their own (console under DEBUG, mail_admins) without the mask.
LOG_LEVEL = env_str("LOG_LEVEL", "WARNING")
# The REST API (alliance.api; docs/api.md). An integration key or a staff session that passed
# two-factor sign-in; the pages' access rules through each key's own service account.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "alliance.api.authentication.IntegrationKeyAuthentication",
        "alliance.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance API",
    "DESCRIPTION": (
        "Pseudonymous program data for court systems, case-management products and research "
        "databases. Authenticate with `Authorization: Bearer alk_...` (an integration key made "
        "by an organization admin). No identity, partner-safety data or clinical free text."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "alliance.ops.log_privacy.MaskTokens"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_tokens"],
        }
    },
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Masked where the record is made too, so any other handler (a test's, an operator's
        # syslog) never sees the token: these log the request path.
        "django.request": {"filters": ["mask_tokens"]},
        "django.security.csrf": {"filters": ["mask_tokens"]},
        # Twilio's client logs each request's parameters (his number, the text) at INFO:
        # never below WARNING.
        "twilio": {"level": "WARNING"},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "filters": ["mask_tokens"],
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# --- Retention ----------------------------------------------------------------------------
# Years after a man's last enrollment ended before `alliance purge-closed` deletes his records;
# an organization's RetentionPolicy row overrides it.
RETENTION_YEARS = env_int("RETENTION_YEARS", 7)

# --- Research export ------------------------------------------------------------------------
# Small-cell threshold of the de-identified research export (docs/outcomes.md): no count from 1
# to this minus one is shown, and every combination of quasi-identifiers must be shared by this
# many men. 11 follows the CMS cell-size suppression policy; a whole number from 2 to 100.
RESEARCH_EXPORT_MIN_CELL = env_int("RESEARCH_EXPORT_MIN_CELL", 11)
if not 2 <= RESEARCH_EXPORT_MIN_CELL <= 100:
    raise ConfigurationError(
        f"RESEARCH_EXPORT_MIN_CELL: expected a whole number from 2 to 100, "
        f"got {RESEARCH_EXPORT_MIN_CELL}."
    )

# Hours a produced research export stays downloadable before its file is deleted (1 to 168).
RESEARCH_EXPORT_HOURS = env_int("RESEARCH_EXPORT_HOURS", 24)
if not 1 <= RESEARCH_EXPORT_HOURS <= 168:
    raise ConfigurationError(
        "RESEARCH_EXPORT_HOURS: expected a whole number from 1 to 168, "
        f"got {RESEARCH_EXPORT_HOURS}."
    )

# Key(s) of the kiosk and practice PINs' HMAC (alliance/pin_hash.py), comma-separated, newest
# first; empty: derived from SECRET_KEY.
ALLIANCE_PIN_KEY = env_str("ALLIANCE_PIN_KEY", "")

# --- At-rest key (partner-safety fields and staff authenticator secrets) -------------------
# Fernet key(s) that encrypt every partner-safety field and every staff TOTP seed
# (alliance/encryption.py); comma-separated for rotation, newest first. Checked when the server
# starts, not here, so that commands that never touch encrypted data (and type checking) run
# without it.
ALLIANCE_PARTNER_KEY = env_str("ALLIANCE_PARTNER_KEY", "")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# SMTP for the backend "django.core.mail.backends.smtp.EmailBackend" (staff invitations and
# reminders). The console backend (the default, and the demo's) prints messages instead.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "alliance@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigurationError("EMAIL_USE_TLS and EMAIL_USE_SSL: set at most one of them.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 10)

# --- Text messages (alliance/sms, docs/sms.md) ---------------------------------------------
# Which backend sends texts: "console" (prints them; the default and the demo's), "file"
# (one file per text under SMS_FILE_PATH), "locmem" (kept in memory, for tests) or "twilio"
# (Twilio's API through its library; needs the three TWILIO_ settings below).
SMS_BACKEND = env_str("SMS_BACKEND", "console")
if SMS_BACKEND not in ("console", "file", "locmem", "twilio"):
    raise ConfigurationError(
        f"SMS_BACKEND: expected console, file, locmem or twilio, got {SMS_BACKEND!r}."
    )
SMS_FILE_PATH = env_str("SMS_FILE_PATH", "")
# At most this many texts to one man in one day (the organization's day), whatever they are.
SMS_DAILY_LIMIT = env_int("SMS_DAILY_LIMIT", 3)
if not 1 <= SMS_DAILY_LIMIT <= 20:
    raise ConfigurationError(
        f"SMS_DAILY_LIMIT: expected a whole number from 1 to 20, got {SMS_DAILY_LIMIT}."
    )
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")
# A sending number in E.164 or a messaging service id (MG...).
TWILIO_FROM = env_str("TWILIO_FROM", "")
# The address Twilio reaches this server at (https://alliance.example.org), for delivery
# receipts and to check the signature of its webhooks behind a proxy. Empty: the request's own.
SMS_PUBLIC_URL = env_str("SMS_PUBLIC_URL", "")
if SMS_BACKEND == "twilio" and not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN and TWILIO_FROM):
    raise ConfigurationError(
        "SMS_BACKEND=twilio: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM."
    )
# The country a phone number without "+" belongs to (ISO 3166 two letters: US, CA, MX, FR).
ALLIANCE_PHONE_REGION = env_str("ALLIANCE_PHONE_REGION", "US").upper()
