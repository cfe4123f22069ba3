"""Settings for the test suite: the real settings, with test-only defaults.

DATABASE_URL and CELERY_BROKER_URL still come from the environment, so CI
runs the same suite against PostgreSQL and Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijkl")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("EMAIL_TO_FILES", "1")  # the tests keep mail in memory (below)
# The development key (ipnb_site/settings.py): tests never see a real one.
os.environ.setdefault("ENCRYPTION_KEYS", "dev:ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=")
# pytest-xdist runs the suite in several processes ("gw0", "gw1", ...): each keeps
# its own files, and its own queue on the shared broker (below).
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
# The processes inherit the VAR_DIR their controller set here first, so each
# adds its own name to it (once: a subprocess of theirs inherits the result).
test_var_dir = os.environ.get("VAR_DIR") or os.path.join(
    os.path.dirname(__file__), "..", "var", "test"
)
if XDIST_WORKER and not test_var_dir.endswith(f"-{XDIST_WORKER}"):
    test_var_dir += f"-{XDIST_WORKER}"
os.environ["VAR_DIR"] = test_var_dir

from ipnb_site.settings import *  # noqa: E402,F403
from ipnb_site.settings import STORAGES  # noqa: E402

# Argon2 is deliberately slow; tests check behaviour, not hashing cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_HSTS_SECONDS = 0
if XDIST_WORKER:
    # So one process's Celery worker never takes another's tasks.
    CELERY_TASK_DEFAULT_QUEUE = f"celery-{XDIST_WORKER}"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (whitenoise warns when it is missing)

# A file, not shared-cache memory: concurrent writers then wait for the lock
# (as they do in development) instead of failing at once.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
