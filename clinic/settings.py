"""Settings for the Balanced Health site: one module, read from the environment.

Every variable is listed in README.md and .env.example. Debug is off unless
DJANGO_DEBUG says otherwise, and then a secret key is required.
"""

import ipaddress
import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = env_str(name)
    return float(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Addresses and networks ("127.0.0.1, 10.0.0.0/24"), read as strictly as gunicorn
    reads the same list: 10.0.0.5/24 is a mistake, refused."""
    try:
        return [ipaddress.ip_network(item) for item in env_list(name)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from error


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "development-only-key-never-used-when-debug-is-off"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "clinic.views.csrf_failure"

# The public address of the site, for links in e-mails and canonical URLs.
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "clinic.admin_site.ClinicAdminConfig",  # Django's admin, the clinic's work first
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "clinic.apps.LoginLockoutsConfig",  # django-axes
    "django_tasks",
    "django_tasks_db",  # the task queue's table, read by `manage.py db_worker`
    "clinic",
    "conditions",
    "booking",
]

MIDDLEWARE = [
    "clinic.middleware.RequestLogMiddleware",
    # Headers for every response, static files and cached pages included.
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "clinic.middleware.AdminNoIndexMiddleware",
    # Refused before anything answers or reads the body: a host that is not ours (cached
    # pages included), a body larger than the admin's largest form, one that cannot be read
    # (a charset other than UTF-8, files outside the admin).
    "clinic.middleware.HostValidationMiddleware",
    "clinic.middleware.RequestBodyMiddleware",
    # Answered early: static files, then whole cached pages (with 304s for revalidation).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # The visitor's language (Accept-Language) before the page cache, whose keys include it.
    "django.middleware.locale.LocaleMiddleware",
    "clinic.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "clinic.context_processors.clinic",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock (IMMEDIATE + a busy timeout) instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory: threads in the race tests need their own real connections.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: Redis when REDIS_URL is set, shared by every app server; otherwise files in
# DJANGO_CACHE_DIR, shared by every process of this one machine (gunicorn's workers, the
# commands). Either way all processes agree on the content version (a save shows at once
# everywhere) and count rate limits together. Never a cache private to one process.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Short timeouts: a frozen Redis costs a request milliseconds, then is not asked for a
    # few seconds (clinic/redis_cache.py); pages are rendered without it meanwhile.
    REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 0.25)
    CACHES = {
        "default": {
            "BACKEND": "clinic.redis_cache.FailFastRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "balanced-health"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "clinic.shared_cache.MachineWideFileCache",
            "LOCATION": env_str("DJANGO_CACHE_DIR") or str(BASE_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
# Whole pages and {% cache %} fragments stay in each process's memory: checked against the
# shared content version, they are never stale, they cost no network round trip, and a
# Redis outage cannot break a page.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
}
# Whole public pages from the cache for anonymous visitors (off: for benchmarking the views).
PUBLIC_PAGE_CACHE = env_bool("CLINIC_PAGE_CACHE", True)
# How long each process trusts the content version it last read before asking the shared
# cache again: the longest a save can take to show on another app server (clinic/cache.py).
CLINIC_CONTENT_VERSION_TRUST_SECONDS = env_float("CLINIC_CONTENT_VERSION_TRUST_SECONDS", 1.0)
# Sessions live in the database: every app server sees the same ones.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Every string people read is marked for translation (`manage.py makemessages -l es` collects
# them into locale/). A language is offered once its translation is complete: add it here.
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The clinic's own date and time formats (clinic/formats/), read through Django's localisation.
FORMAT_MODULE_PATH = ["clinic.formats"]
TIME_ZONE = env_str("CLINIC_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# Static files: the site's own (static/) and the built CSS (build/static/), served by
# whitenoise compressed, with hashed names and far-future cache headers.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    # Uploads: local files by default; any Django storage backend (e.g. object storage via
    # django-storages) by its class path, with its options as JSON.
    "default": {
        "BACKEND": env_str("DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(env_str("DJANGO_MEDIA_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded images: what the admin accepts (see clinic/images.py).
IMAGE_UPLOAD_MAX_BYTES = 8 * 1024 * 1024
IMAGE_UPLOAD_MAX_PIXELS = 40_000_000
IMAGE_UPLOAD_MIN_WIDTH = 960
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The largest body the site reads: the admin's largest form, one photo and its fields. The
# proxy refuses larger ones too (client_max_body_size 9m in docs/deploy.md). Files are
# accepted only by the admin, never past this size, and held in memory until the form is
# valid: nothing is written to disk on the way in (clinic/uploads.py).
REQUEST_BODY_MAX_BYTES = IMAGE_UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "clinic.uploads.UploadLimitHandler",  # first: sees each file before it is kept
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: the console under DJANGO_DEBUG, SMTP from the environment otherwise.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Balanced Health <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Slow work leaves the request: e-mails are tasks, rows in the database in the same
# transaction as the change they report, run by the task worker (`manage.py db_worker`, see
# docs/deploy.md). DJANGO_TASKS_BACKEND names another backend of Django's task framework:
# the tests run tasks in their own process ("django_tasks.backends.immediate.ImmediateBackend").
TASKS = {"default": {"BACKEND": env_str("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Who gets an e-mail when a page fails (server errors; redacted, see clinic/logs.py).
ADMINS = [("", address) for address in env_list("DJANGO_ADMINS")]

# Booking: phone numbers without a country code are read as this country's.
CLINIC_PHONE_REGION = env_str("CLINIC_PHONE_REGION", "US")
# Abuse protection for the public request form, counted in the shared cache (see
# booking/ratelimit.py and README › Booking limits): attempts per client address in a minute
# and in an hour, attempts per e-mail address and per phone number in an hour, and how many
# upcoming requests one patient (by e-mail or phone) may hold at once.
BOOKING_RATE_LIMIT_PER_MINUTE = env_int("BOOKING_RATE_LIMIT_PER_MINUTE", 10)
BOOKING_RATE_LIMIT_PER_HOUR = env_int("BOOKING_RATE_LIMIT_PER_HOUR", 60)
BOOKING_RATE_LIMIT_PER_CONTACT = env_int("BOOKING_RATE_LIMIT_PER_CONTACT", 5)
BOOKING_MAX_UPCOMING_PER_PATIENT = env_int("BOOKING_MAX_UPCOMING_PER_PATIENT", 3)
BOOKING_MIN_FILL_SECONDS = env_int("BOOKING_MIN_FILL_SECONDS", 3)
# Our own proxies' addresses or networks: X-Forwarded-For counts only as they wrote it
# (see clinic/network.py). Empty: the app is reached directly and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES")
if env_str("DJANGO_TRUSTED_PROXY_COUNT"):
    raise ImproperlyConfigured(
        "DJANGO_TRUSTED_PROXY_COUNT is no longer read: list your proxies' addresses in "
        "DJANGO_TRUSTED_PROXIES instead (e.g. 127.0.0.1 for a proxy on this machine)."
    )

# The admin lives under a path of the operator's choosing.
ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "admin").strip("/") + "/"

# Security: strict by default whenever debug is off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from this site only; no inline script or style, no
# eval, no plugins, no framing. The admin works under the same policy (Django 5.2's admin
# has no inline scripts), so nothing is relaxed for it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Turn off powerful browser features the site never uses.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics",
        "camera", "display-capture", "geolocation", "gyroscope", "hid", "idle-detection",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

# Admin login lockout (django-axes): 5 failures for a username from one address lock that
# pair out for 30 minutes; a superuser unlocks under Axes › Access attempts or with
# `manage.py axes_reset_username <name>`.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clinic.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "clinic.network.client_ip"
AXES_VERBOSE = False

# Logs carry method, path, status and duration: never a manage-link token, a query string,
# a form body or anything a patient typed. Every handler, Django's own included (they
# print paths: "Not Found: /appointments/…/", runserver's access lines), goes through the
# same redaction, in debug and in production; error e-mails leave the request out.
LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "clinic.logs.RedactingFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        },
        "mail_admins": {
            "level": "ERROR",
            "class": "clinic.logs.PrivateAdminEmailHandler",
            "filters": ["require_debug_false", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's own handlers for these loggers (an unfiltered console in debug,
        # the stock error e-mail): everything reaches the console above, redacted.
        "django": {"handlers": ["mail_admins"], "level": LOG_LEVEL},
        # runserver's access lines repeat clinic.requests; its 4xx and 5xx lines are kept.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # SQL and its parameters (what patients typed) never reach the log, even at DEBUG.
        "django.db.backends": {"level": "INFO"},
        # Any bot can send a Host that is not ours: the console notes it, nobody is e-mailed.
        "django.security.DisallowedHost": {"handlers": ["console"], "propagate": False},
    },
}
