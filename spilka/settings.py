"""Spilka settings: one file, driven by environment variables (see the README's table).

Defaults give a working local instance (SQLite under var/, a generated secret in debug,
mail kept in a local outbox). Production needs only environment variables.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from spilka.lib.env import env_bool, env_choice, env_int, env_list, env_str
from spilka.settings_backends import caches, databases, storages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SPILKA_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("SPILKA_DEBUG", True)


def _secret_key() -> str:
    key = env_str("SPILKA_SECRET_KEY")
    if key:
        if not DEBUG and len(key) < 50:
            raise ImproperlyConfigured("SPILKA_SECRET_KEY must be at least 50 characters long.")
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SPILKA_SECRET_KEY is required when SPILKA_DEBUG is false.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "SPILKA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SPILKA_ALLOWED_HOSTS is required when SPILKA_DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("SPILKA_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "spilka.lib.csrf.csrf_failure"  # in the visitor's language

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # Django's form templates for the project-wide FORM_RENDERER
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "spilka.lib",
    "spilka.accounts",
    "spilka.network",
    "spilka.campaigns",
    "spilka.aid",
    "spilka.funds",
    "spilka.events",
    "spilka.publishing",
    "spilka.outreach",
    "spilka.front",
    "spilka.webhooks",
    "spilka.exports",
    "spilka.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "spilka.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "spilka.lib.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "spilka.urls"
WSGI_APPLICATION = "spilka.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "spilka" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "spilka.lib.context_processors.spilka",
            ],
        },
    },
]

# Every form renders its fields through spilka/templates/forms/field.html (labels, help text
# and errors tied to the widget by aria-describedby).
FORM_RENDERER = "spilka.lib.forms.SpilkaFormRenderer"

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
_replica_url = env_str("DATABASE_REPLICA_URL")
DATABASES = databases(
    url=DATABASE_URL, replica_url=_replica_url, sqlite_path=VAR_DIR / "spilka.sqlite3"
)
if _replica_url:
    DATABASE_ROUTERS = ["spilka.lib.db_router.PrimaryReplicaRouter"]
# PostgreSQL's statement_timeout for web requests' connections only (spilka/lib/db_timeout.py,
# installed by spilka/wsgi.py); 0: none.
SPILKA_DB_STATEMENT_TIMEOUT_MS = env_int("SPILKA_DB_STATEMENT_TIMEOUT_MS", 0, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
_cache_url = env_str("SPILKA_CACHE_URL")
CACHES = caches(url=_cache_url, debug=DEBUG)

# After a failed call to Redis, how long each process serves from its own memory before it
# tries Redis again.
SPILKA_CACHE_RETRY_SECONDS = env_int("SPILKA_CACHE_RETRY_SECONDS", 5, minimum=1)

# What each process keeps to itself (a petition's rendered page, its organisers) lives in
# spilka/lib/process_cache.py as plain objects, not in a Django cache.

# --- Tasks ----------------------------------------------------------------------------
_tasks_backend = env_choice("SPILKA_TASKS_BACKEND", ("database", "immediate"), "database")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if _tasks_backend == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email"],
    }
}

# The worker (manage.py spilka_worker, spilka/lib/worker.py): how often each process records
# that it is alive; when a silent worker counts as gone (/healthz, and its tasks may then be
# run again); how long a task may run before a gone worker's task is queued again; how often
# the worker looks for such tasks.
SPILKA_WORKER_HEARTBEAT_SECONDS = env_int("SPILKA_WORKER_HEARTBEAT_SECONDS", 15, minimum=1)
SPILKA_WORKER_STALE_SECONDS = env_int("SPILKA_WORKER_STALE_SECONDS", 120, minimum=2)
SPILKA_TASK_LEASE_MINUTES = env_int("SPILKA_TASK_LEASE_MINUTES", 10, minimum=1)
SPILKA_TASK_REAP_SECONDS = env_int("SPILKA_TASK_REAP_SECONDS", 60, minimum=1)
# /healthz reports "degraded" when a task that could run has waited longer than this, or
# when more signatures than this wait in the Redis intake stream.
SPILKA_HEALTH_TASK_WAIT_SECONDS = env_int("SPILKA_HEALTH_TASK_WAIT_SECONDS", 600, minimum=1)
SPILKA_HEALTH_INTAKE_BACKLOG = env_int("SPILKA_HEALTH_INTAKE_BACKLOG", 20000, minimum=1)

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "front:index"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password attempts per window for one (hashed) address on one account; two-factor codes
# are counted apart, per address and per account.
SPILKA_LOGIN_ATTEMPTS = env_int("SPILKA_LOGIN_ATTEMPTS", 5, minimum=1)
SPILKA_LOGIN_WINDOW_SECONDS = env_int("SPILKA_LOGIN_WINDOW_SECONDS", 900, minimum=1)
# Password attempts per window from one address, whatever the accounts.
SPILKA_LOGIN_ADDRESS_ATTEMPTS = env_int("SPILKA_LOGIN_ADDRESS_ATTEMPTS", 50, minimum=1)
# Failed passwords on one account (from any address) per window after which every sign-in
# to it brings a proof-of-work, harder as failures go on; nobody is locked out.
SPILKA_LOGIN_ACCOUNT_SLOWDOWN = env_int("SPILKA_LOGIN_ACCOUNT_SLOWDOWN", 10, minimum=1)
# Staff and superusers must verify a TOTP device before they reach any page.
SPILKA_STAFF_2FA = env_bool("SPILKA_STAFF_2FA", True)
OTP_TOTP_ISSUER = env_str("SPILKA_OTP_ISSUER", "Spilka")

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("pl", _("Polish")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "spilka" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("SPILKA_TIME_ZONE", "UTC") or "UTC"
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"SPILKA_TIME_ZONE={TIME_ZONE!r} is not a known time zone."
    ) from None
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "spilka" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("SPILKA_MEDIA_ROOT", str(VAR_DIR / "media")) or VAR_DIR / "media")
STORAGES = storages(
    media=env_choice("SPILKA_MEDIA_STORAGE", ("filesystem", "s3"), "filesystem"),
    private_root=env_str("SPILKA_PRIVATE_ROOT", str(VAR_DIR / "private")),
    debug=DEBUG,
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SPILKA_LOGO_MAX_BYTES = 2 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------
_email_backend = env_choice(
    "SPILKA_EMAIL_BACKEND", ("outbox", "smtp", "console"), "outbox" if DEBUG else "smtp"
)
EMAIL_BACKEND = {
    "outbox": "spilka.lib.mail.OutboxEmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}[_email_backend]
SPILKA_OUTBOX_ENABLED = _email_backend == "outbox"
if SPILKA_OUTBOX_ENABLED and not DEBUG:
    # The outbox keeps every message, password-reset links included, readable in a page.
    raise ImproperlyConfigured(
        "SPILKA_EMAIL_BACKEND=outbox is for development only: use smtp when SPILKA_DEBUG is false."
    )
EMAIL_HOST = env_str("SPILKA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SPILKA_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("SPILKA_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("SPILKA_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("SPILKA_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("SPILKA_EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set at most one of SPILKA_EMAIL_USE_TLS and SPILKA_EMAIL_USE_SSL.")
EMAIL_TIMEOUT = env_int("SPILKA_EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("SPILKA_DEFAULT_FROM_EMAIL", "Spilka <noreply@spilka.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SPILKA_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SPILKA_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SPILKA_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SPILKA_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SPILKA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# Salt for hashing visitors' IP addresses (rate limits); never stored in clear.
SPILKA_IP_SALT = env_str("SPILKA_IP_SALT", SECRET_KEY)
# Mails any public form may send to one address a visitor typed, per hour, all forms together
# (sign-up, data requests, event registration, petitions, statements, password reset).
SPILKA_MAILS_PER_ADDRESS_PER_HOUR = env_int("SPILKA_MAILS_PER_ADDRESS_PER_HOUR", 5, minimum=1)

# --- Campaigns ------------------------------------------------------------------------
# Proof-of-work difficulty: the largest number the browser may have to try (ALTCHA).
SPILKA_POW_MAX_NUMBER = env_int("SPILKA_POW_MAX_NUMBER", 50000, minimum=10, maximum=10_000_000)
SPILKA_POW_HMAC_KEY = env_str("SPILKA_POW_HMAC_KEY", SECRET_KEY) or SECRET_KEY
# Unconfirmed signatures are deleted after this many hours.
SPILKA_SIGNATURE_CONFIRM_HOURS = env_int("SPILKA_SIGNATURE_CONFIRM_HOURS", 72, minimum=1)
# Signatures accepted per (hashed) address per ten minutes.
SPILKA_SIGN_RATE_LIMIT = env_int("SPILKA_SIGN_RATE_LIMIT", 20, minimum=1)
# How a valid sign form is persisted: "redis" acknowledges it into a Redis stream that a task
# drains into the database in batches (the default when SPILKA_CACHE_URL is Redis);
# "direct" writes it in the request, one transaction per signer.
SPILKA_SIGN_INTAKE = env_choice(
    "SPILKA_SIGN_INTAKE", ("direct", "redis"), "redis" if _cache_url else "direct"
)
SPILKA_SIGN_INTAKE_URL = env_str("SPILKA_SIGN_INTAKE_URL", _cache_url or "")
if SPILKA_SIGN_INTAKE == "redis" and not SPILKA_SIGN_INTAKE_URL.startswith(
    ("redis://", "rediss://")
):
    raise ImproperlyConfigured(
        "SPILKA_SIGN_INTAKE=redis needs SPILKA_SIGN_INTAKE_URL (or SPILKA_CACHE_URL) to be a redis:// URL."
    )
# The intake is used only while its Redis persists what it acknowledged: Spilka asks
# (CONFIG GET appendonly). Where CONFIG is disabled (managed Redis), declare it here.
SPILKA_SIGN_INTAKE_DURABLE = env_bool("SPILKA_SIGN_INTAKE_DURABLE", False)
# A petition's count and status as each process last read them are reused for this many
# seconds on its public page and sign path (0: read the database every time).
SPILKA_PETITION_STATE_SECONDS = env_int("SPILKA_PETITION_STATE_SECONDS", 1, minimum=0, maximum=60)
# Serves /bench/bare for bench/sign.py's baseline. Never on in production.
SPILKA_BENCH_ENDPOINTS = env_bool("SPILKA_BENCH_ENDPOINTS", False)

# --- Events ---------------------------------------------------------------------------
# A place freed on a full event is offered to the next on the waiting list for this long.
SPILKA_EVENTS_OFFER_HOURS = env_int("SPILKA_EVENTS_OFFER_HOURS", 24, minimum=1, maximum=720)
# Video hosts (e.g. www.youtube-nocookie.com) whose players may appear in a page once a
# visitor clicks; added to the CSP's frame-src. Empty: recordings open in a new tab.
SPILKA_EVENTS_EMBED_HOSTS = env_list("SPILKA_EVENTS_EMBED_HOSTS", [])
for _host in SPILKA_EVENTS_EMBED_HOSTS:
    if "/" in _host or ":" in _host or " " in _host:
        raise ImproperlyConfigured(
            f"SPILKA_EVENTS_EMBED_HOSTS takes host names such as www.youtube-nocookie.com, not {_host!r}."
        )
# This site's address for links in mail sent by tasks when no request gave one.
SPILKA_BASE_URL = env_str("SPILKA_BASE_URL", "")

# --- Publishing and translation --------------------------------------------------------
# A volunteer's claim on a translation task lapses after this many hours without a save.
SPILKA_TRANSLATION_CLAIM_HOURS = env_int("SPILKA_TRANSLATION_CLAIM_HOURS", 48, minimum=1)
# Machine pre-fill (off unless a URL is set): a LibreTranslate-compatible endpoint, called
# from the server only when a translator asks; the draft still needs human review.
SPILKA_MACHINE_TRANSLATION_URL = env_str("SPILKA_MACHINE_TRANSLATION_URL", "")
SPILKA_MACHINE_TRANSLATION_API_KEY = env_str("SPILKA_MACHINE_TRANSLATION_API_KEY", "")
SPILKA_MACHINE_TRANSLATION_TIMEOUT = env_int(
    "SPILKA_MACHINE_TRANSLATION_TIMEOUT", 10, minimum=1, maximum=120
)
# A dotted path to another backend class (optional; tests use a fake one).
SPILKA_MACHINE_TRANSLATION_BACKEND = env_str("SPILKA_MACHINE_TRANSLATION_BACKEND", "")

# --- Money ----------------------------------------------------------------------------
SPILKA_RECEIPT_MAX_BYTES = env_int("SPILKA_RECEIPT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
SPILKA_IMPORT_MAX_BYTES = env_int("SPILKA_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Bank statements with more rows than this are imported by the task worker.
SPILKA_IMPORT_SYNC_ROWS = env_int("SPILKA_IMPORT_SYNC_ROWS", 300, minimum=1)

# --- Outreach -------------------------------------------------------------------------
# Unconfirmed sign-ups and supporter import files never run are deleted after this long.
SPILKA_RETENTION_UNCONFIRMED_DAYS = env_int("SPILKA_RETENTION_UNCONFIRMED_DAYS", 30, minimum=1)
# A data-subject request's link lives this long, and the address asked about no longer.
SPILKA_DATA_REQUEST_LINK_DAYS = env_int("SPILKA_DATA_REQUEST_LINK_DAYS", 7, minimum=1)
# Supporters without consent (never given or withdrawn) and no activity are removed after.
SPILKA_RETENTION_INACTIVE_DAYS = env_int("SPILKA_RETENTION_INACTIVE_DAYS", 1095, minimum=30)
# Inbound bounce and complaint webhooks (docs/api.md#inbound-bounce-and-complaint-webhooks): each provider's URL answers
# only when its secret is set. Generic JSON: HMAC-SHA256 key; Mailgun: its webhook signing
# key; Postmark: the basic-auth pair written into the webhook URL at Postmark.
SPILKA_BOUNCE_WEBHOOK_SECRET = env_str("SPILKA_BOUNCE_WEBHOOK_SECRET", "") or ""
SPILKA_MAILGUN_WEBHOOK_SIGNING_KEY = env_str("SPILKA_MAILGUN_WEBHOOK_SIGNING_KEY", "") or ""
SPILKA_POSTMARK_WEBHOOK_USERNAME = env_str("SPILKA_POSTMARK_WEBHOOK_USERNAME", "") or ""
SPILKA_POSTMARK_WEBHOOK_PASSWORD = env_str("SPILKA_POSTMARK_WEBHOOK_PASSWORD", "") or ""
for _name in ("SPILKA_BOUNCE_WEBHOOK_SECRET", "SPILKA_POSTMARK_WEBHOOK_PASSWORD"):
    if 0 < len(globals()[_name]) < 24:
        raise ImproperlyConfigured(f"{_name} must be at least 24 characters long.")
if bool(SPILKA_POSTMARK_WEBHOOK_USERNAME) != bool(SPILKA_POSTMARK_WEBHOOK_PASSWORD):
    raise ImproperlyConfigured(
        "Set both SPILKA_POSTMARK_WEBHOOK_USERNAME and SPILKA_POSTMARK_WEBHOOK_PASSWORD, or neither."
    )
# The largest body a bounce webhook reads (bytes), and requests per minute per address.
SPILKA_BOUNCE_WEBHOOK_MAX_BYTES = env_int(
    "SPILKA_BOUNCE_WEBHOOK_MAX_BYTES", 1024 * 1024, minimum=1024, maximum=20 * 1024 * 1024
)
SPILKA_BOUNCE_WEBHOOK_RATE = env_int("SPILKA_BOUNCE_WEBHOOK_RATE", 600, minimum=1)
# Reports of bounces (soft ones are only counted) are kept this long.
SPILKA_BOUNCE_EVENT_DAYS = env_int("SPILKA_BOUNCE_EVENT_DAYS", 180, minimum=1)

# --- API (spilka/api, docs/api.md) -----------------------------------------------------
# Requests per API key, and per client address for requests without a key ("600/minute").
SPILKA_API_KEY_RATE = env_str("SPILKA_API_KEY_RATE", "1200/minute") or "1200/minute"
SPILKA_API_ANON_RATE = env_str("SPILKA_API_ANON_RATE", "120/minute") or "120/minute"
for _name, _rate in (
    ("SPILKA_API_KEY_RATE", SPILKA_API_KEY_RATE),
    ("SPILKA_API_ANON_RATE", SPILKA_API_ANON_RATE),
):
    _count, _sep, _period = _rate.partition("/")
    if not (_count.isdecimal() and _period[:1] in {"s", "m", "h", "d"}):
        raise ImproperlyConfigured(f"{_name}={_rate!r}: write a count per period, e.g. 600/minute.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["spilka.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["spilka.api.permissions.HasScope"],
    "DEFAULT_RENDERER_CLASSES": [
        "spilka.api.renderers.HalJSONRenderer",
        "rest_framework.renderers.JSONRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "spilka.api.renderers.HalJSONParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "spilka.api.pagination.OsdiPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["spilka.api.filters.ODataFilter"],
    "DEFAULT_THROTTLE_CLASSES": [
        "spilka.api.throttling.ApiKeyRateThrottle",
        "spilka.api.throttling.ApiAnonRateThrottle",
    ],
    "EXCEPTION_HANDLER": "spilka.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Spilka API",
    "DESCRIPTION": "OSDI-compatible API of Spilka (HAL+JSON), and Spilka's own resources. "
    "Send an organisation's API key in the OSDI-API-TOKEN header.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "CurrencyEnum": "spilka.lib.money.CURRENCY_CHOICES",
        "ContentLanguageEnum": "spilka.network.models.organisations.ORIGINAL_LANGUAGE_CHOICES",
        "AdoptionStatusEnum": "spilka.campaigns.models.resolutions.AdoptionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("SPILKA_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO"),
    },
    "loggers": {
        "django_tasks": {"level": "INFO"},
        # fpdf2 subsets the PDF fonts with fontTools, which logs a hundred INFO lines per
        # document (glyph lists, tables pruned): only its warnings belong in the log.
        "fontTools": {"level": "WARNING"},
    },
}

# --- Webhooks (spilka.webhooks, docs/api.md ("Webhooks")) ----------------------------------
# Let webhook URLs point at loopback/private/link-local addresses (local development and
# tests only: on a server this would let an admin make Spilka fetch internal services).
SPILKA_WEBHOOKS_ALLOW_PRIVATE = env_bool("SPILKA_WEBHOOKS_ALLOW_PRIVATE", DEBUG)
# Seconds a receiver has to answer one delivery.
SPILKA_WEBHOOKS_TIMEOUT = env_int("SPILKA_WEBHOOKS_TIMEOUT", 5, minimum=1, maximum=30)
# Failed attempts in a row after which an endpoint is paused (a day of failures pauses too).
SPILKA_WEBHOOKS_PAUSE_FAILURES = env_int("SPILKA_WEBHOOKS_PAUSE_FAILURES", 20, minimum=1)
