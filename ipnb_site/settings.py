"""Settings for the whole site, read from the environment with safe defaults.

With nothing set the site runs for development on SQLite and an embedded
Celery broker; production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY,
ALLOWED_HOSTS and the email variables (see README).
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ipnb_site.env import envbool, envdatabase, envint, envkeys, envlist, envstr, envurl
from ipnb_site.private_files import private_dir, private_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("VAR_DIR", str(BASE_DIR / "var")))

SITE_NAME = "Riverwise"
SITE_URL = envstr("SITE_URL", "http://localhost:8000").rstrip("/")

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "development-only-key-never-used-in-production-0123456789abcdefghij"
# Earlier keys after a rotation: sessions, signed links and recovery codes made with
# them still work. Keep one until `manage.py recovery_code_keys` shows no codes under it.
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS", [])

# Encryption at rest (vault/): key-encryption keys wrap each person's data key.
# A fixed key for development and tests only; production must set its own.
DEVELOPMENT_ENCRYPTION_KEY = "dev:ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE="
ENCRYPTION_KEYS = envkeys(
    "ENCRYPTION_KEYS", development_default=DEVELOPMENT_ENCRYPTION_KEY if DEBUG else None
)
# Off only in bench/ for the baseline: text is then stored as written.
ENCRYPTION_AT_REST = True

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "accounts",
    "practices",
    "journal",
    "reminders",
    "push",
    "progress",
    "portability",
    "activity",
    "vault",
    "mfa",
    "sharing",
    # Django's admin, behind the site's sign-in and its second step (mfa/admin_site.py).
    "mfa.apps.TwoStepAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    # Two-step sign-in's authenticator-app and recovery-code devices (mfa/).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ipnb_site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Before anything can read a request body (wsgi.py counts chunked ones).
    "ipnb_site.middleware.RequestBodyLimitMiddleware",
    # WhiteNoise answers static files itself, already compressed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything below that writes or reads the body (ipnb_site/compression.py).
    "ipnb_site.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ipnb_site.middleware.PrivatePagesNotStoredMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A session signed out from another device ends here, at its next request.
    "activity.middleware.DeviceSessionMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # django-htmx's, with request.htmx false for htmx's history restore (ipnb_site/htmx.py).
    "ipnb_site.htmx.HtmxMiddleware",
    "ipnb_site.middleware.HtmxLoginRedirectMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ipnb_site.urls"
FORM_RENDERER = "ipnb_site.forms.FormRenderer"
WSGI_APPLICATION = "ipnb_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipnb_site.context_processors.site",
            ],
        },
    },
]

# Database ---------------------------------------------------------------

private_dir(VAR_DIR)
DATABASES = {"default": envdatabase("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ipnb.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if envbool("DATABASE_POOL", True):
        # Django's own psycopg pool; persistent connections must then be off.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        # Django's pool checks each connection as it leaves the pool, so the
        # app recovers from a database restart without restarting itself.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": envint("DATABASE_POOL_MIN", 2, minimum=0),
            "max_size": envint("DATABASE_POOL_MAX", 10, minimum=1),
            # Each thread holds at most one connection and max_size covers them,
            # so waiting means the database is unreachable: show the 503 soon.
            "timeout": envint("DATABASE_POOL_TIMEOUT", 5, minimum=1),
        }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Created private before SQLite opens it; its journal files take the same mode.
    database_file = Path(str(DATABASES["default"]["NAME"]))
    if database_file.is_absolute() and database_file.parent.is_dir():
        private_file(database_file, "DATABASE_URL")
    # WAL and immediate transactions let the web server and the Celery worker
    # share one SQLite file without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = envurl("CACHE_URL", "locmem://", ("locmem", "redis", "rediss", "dummy"))
if CACHE_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "ipnb_site.cache.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("dummy"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# One cache every web process reads (Redis): what one process forgets, all forget.
# Only then may a signed-in request read its session and its device's standing
# from the cache instead of the database (each would otherwise outlive a sign-out
# in the other processes' own memory).
SHARED_CACHE = CACHE_URL.startswith("redis")

# Accounts and security ----------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    # Django's Argon2, hashed on a low-priority thread so logins can't starve pages.
    "accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
CSRF_FAILURE_VIEW = "ipnb_site.views.csrf_failure"
# The longest journal entry (50,000 characters) in four-byte characters, form-encoded,
# is about 600 KB; anything past 2 MB is refused with a 413 page saying so, before it
# is read (the data import takes more: see ipnb_site.middleware.request_body_limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Login throttling: five failures for one account, or from one address,
# within 15 minutes lock further attempts for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# One account however its email is cased or padded.
AXES_USERNAME_CALLABLE = "accounts.throttle.throttled_username"
# Axes' own reset would clear every failure from the address (against anyone);
# accounts.throttle.clear_own_failures clears only the person's own, from there.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Sign-up links asked for per client address (django-ratelimit, counted in the
# default cache: set CACHE_URL to Redis so every worker shares the count).
SIGNUP_RATE = "5/h"
# Report PDFs drawn per person, or per shared link (drawing one takes CPU seconds).
REPORT_PDF_RATE = "20/h"
# Openings of shared report links per client address, found or not.
SHARED_REPORT_RATE = "60/h"
# Successful logins (address, browser, time) are kept 30 days: long enough to
# answer "was that me?" about any session still open (sessions last 14 days) and
# the two weeks after, then forgotten (accounts.tasks.expire_login_records).
LOGIN_LOG_DAYS = 30
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The client's address, through django-ipware: AXES_IPWARE_PROXY_COUNT (the
# variable) is the number of proxies in front; see accounts/proxies.py.
from accounts.proxies import address_settings  # noqa: E402

_address = address_settings(envint("AXES_IPWARE_PROXY_COUNT", 0, minimum=0))
AXES_IPWARE_PROXY_COUNT = _address["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_META_PRECEDENCE_ORDER = _address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
IPWARE_STRICT = _address["IPWARE_STRICT"]

# Two-step sign-in (mfa/). Downloads, deleting the account and changes to two-step
# sign-in need a sign-in or "Confirm it's you" within this many seconds.
REAUTH_SECONDS = envint("REAUTH_SECONDS", 10 * 60, minimum=60)
# The passkeys' relying party: this site's host name. Empty means the host each
# request came to (already checked against ALLOWED_HOSTS).
WEBAUTHN_RP_ID = envstr("WEBAUTHN_RP_ID")
# The name authenticator apps show beside the six-digit codes.
OTP_TOTP_ISSUER = SITE_NAME
# Failed codes for one device slow it down (1, 2, 4 … seconds), on top of the login throttle.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# django-otp's own admin pages show no authenticator app's key or QR code: with one,
# anyone who can read the admin could make a person's codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Read from the shared cache, written through to the database (kept across a cache restart).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
# A __Host- cookie can only be set over HTTPS, for the whole site, by this host
# itself (no Domain), so no subdomain can plant one. Browsers drop it without
# Secure, so development over plain http keeps the plain names.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the app never uses are off, for us and anything we embed. The
# practice tones use Web Audio, which needs no permission; autoplay is left alone.
PERMISSIONS_POLICY: dict[str, list[str]] = dict.fromkeys(
    [
        "accelerometer",
        "ambient-light-sensor",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    ],
    [],
)
# Passkeys (mfa/) are made and used by this site's own pages only.
PERMISSIONS_POLICY["publickey-credentials-create"] = ["self"]
PERMISSIONS_POLICY["publickey-credentials-get"] = ["self"]
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Scripts only from our own origin or with this response's nonce; HTMX is
# served locally and told not to inject its indicator styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Internationalisation and time ---------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files --------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email ----------------------------------------------------------------------

DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <hello@localhost>")
SERVER_EMAIL = envstr("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = envstr("EMAIL_HOST")
# Without a mail server, mail can be kept in files under VAR_DIR/mail/ (readable by
# the app's user only): the default while developing, and in production only when
# asked for by name, since a password-reset link there is a way into an account.
EMAIL_TO_FILES = envbool("EMAIL_TO_FILES", DEBUG)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30, minimum=1)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
elif EMAIL_TO_FILES:
    # Development also echoes each message; production never puts mail in its logs.
    EMAIL_BACKEND = (
        "ipnb_site.mail.FileAndConsoleEmailBackend"
        if DEBUG
        else "ipnb_site.mail.PrivateFileEmailBackend"
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"
else:
    raise ImproperlyConfigured(
        "EMAIL_HOST must name the SMTP server that sends the site's mail (password-reset "
        "links among it). To keep mail in private files under VAR_DIR/mail/ instead, "
        "set EMAIL_TO_FILES=1."
    )

# Celery ---------------------------------------------------------------------

CELERY_BROKER_URL = envurl(
    "CELERY_BROKER_URL", "filesystem://", ("filesystem", "redis", "rediss", "amqp", "memory")
)
if CELERY_BROKER_URL.startswith("filesystem"):
    BROKER_DIR = private_dir(VAR_DIR / "broker")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # Poll the folder often: tasks start sooner and `make run` stops sooner.
        "polling_interval": 0.2,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Fail fast when the broker is down; the reminder tick retries next minute.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
# Reminder delivery timings (seconds). Production keeps the defaults; the fault
# scenarios shorten them so a retry or an expired lease takes seconds, not minutes.
REMINDER_FIRST_RETRY_SECONDS = envint("REMINDER_FIRST_RETRY_SECONDS", 60, minimum=1)
REMINDER_DISPATCH_LEASE_SECONDS = envint("REMINDER_DISPATCH_LEASE_SECONDS", 600, minimum=1)
REMINDER_INTERRUPTED_SECONDS = envint("REMINDER_INTERRUPTED_SECONDS", 900, minimum=1)
# Web Push (push/): off, and not offered, until both VAPID keys are set
# (`python manage.py generate_vapid_keys` prints them).
VAPID_PRIVATE_KEY = envstr("VAPID_PRIVATE_KEY")
VAPID_PUBLIC_KEY = envstr("VAPID_PUBLIC_KEY")
VAPID_SUBJECT = envstr("VAPID_SUBJECT", "mailto:hello@localhost")
# Where subscriptions may point (a leading dot allows subdomains): the push services
# of Chrome and Edge-on-Android (FCM), Firefox, Safari and Windows. Nothing else is
# ever fetched, so a subscription can't aim our workers at an internal address.
PUSH_SERVICE_HOSTS = [
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "web.push.apple.com",
    ".notify.windows.com",
]
PUSH_CA_BUNDLE = ""  # certificates to trust instead of the system's (the tests' own)
PUSH_TIMEOUT_SECONDS = envint("PUSH_TIMEOUT_SECONDS", 10, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "reminders-tick": {"task": "reminders.tasks.tick", "schedule": 60.0},
    # Journal deletions can be undone for 10 minutes; this removes them for good.
    "purge-deleted-journal-items": {
        "task": "journal.tasks.purge_deleted_journal_items",
        "schedule": 60 * 10,
    },
    # Uploaded files not confirmed within their hour hold whole journals: delete them.
    "purge-stale-imports": {
        "task": "portability.tasks.purge_stale_imports",
        "schedule": 60 * 10,
    },
    "close-abandoned-practice-sessions": {
        "task": "practices.tasks.close_abandoned_sessions",
        "schedule": 60 * 15,
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 60 * 60 * 6,
    },
    # Share links and their openings go 30 days after the link stopped working.
    "forget-old-share-links": {
        "task": "sharing.tasks.forget_old_share_links",
        "schedule": 60 * 60 * 6,
    },
    # Login attempts go once their pause is over; login logs after LOGIN_LOG_DAYS.
    "expire-login-records": {
        "task": "accounts.tasks.expire_login_records",
        "schedule": 60 * 60,
    },
    # Activity is kept a year; ended sessions' device rows go with their sessions.
    "forget-old-activity": {
        "task": "activity.tasks.forget_old_activity",
        "schedule": 60 * 60 * 6,
    },
    # After an upgrade, search tokens made before counts were kept get theirs.
    "count-search-words": {
        "task": "vault.tasks.count_search_words",
        "schedule": 15 * 60,
    },
}

# Logging --------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes logs the attempted username on every failure; keep it quiet.
        "axes": {"level": "WARNING"},
        # WeasyPrint (the report's PDF) logs each step of every drawing at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
