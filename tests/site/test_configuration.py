"""Configuration comes from the environment; bad values stop start-up clearly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ipnb_site.env import envbool, envdatabase, envint, envlist, envurl

ROOT = Path(__file__).resolve().parents[2]


def start_django(tmp_path, **env) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh process with this environment."""
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    base.update({"VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "ipnb_site.settings"})
    for name in ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL"]:
        base.pop(name, None)
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_nothing_set_debug_mode_starts_on_sqlite_and_the_file_broker(tmp_path):
    result = start_django(tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "broker").is_dir()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "perhaps"}, "DEBUG must be a yes/no value"),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS must list"),
        ({"DEBUG": "1", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
        ({"DEBUG": "1", "CELERY_BROKER_URL": "ftp://broker"}, "CELERY_BROKER_URL must start with"),
        (
            {"DEBUG": "1", "EMAIL_HOST": "smtp.example", "EMAIL_PORT": "twenty"},
            "EMAIL_PORT must be",
        ),
        ({"DEBUG": "1", "CACHE_URL": "memcached://x"}, "CACHE_URL must start with"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, env, named):
    result = start_django(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_the_deploy_check_is_clean_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="riverwise.example",
        VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="ipnb_site.settings",
    )
    # Test-only relaxations (set by test settings and the browser tests) are not production.
    for name in [
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ]:
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_envbool(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert envbool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert envbool("FLAG", True) is False
    monkeypatch.delenv("FLAG")
    assert envbool("FLAG", True) is True


def test_envint_checks_type_and_minimum(monkeypatch):
    monkeypatch.setenv("COUNT", "7")
    assert envint("COUNT", 1, minimum=1) == 7
    monkeypatch.setenv("COUNT", "0")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be at least 1"):
        envint("COUNT", 1, minimum=1)


def test_envlist_strips_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , ,b.example")
    assert envlist("HOSTS", []) == ["a.example", "b.example"]


def test_envdatabase_reads_postgres_urls(monkeypatch):
    monkeypatch.setenv("DB", "postgres://u:p@db.internal:6543/name")
    config = envdatabase("DB", "sqlite:///x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 6543, "name")


def test_envurl_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("BROKER", raising=False)
    assert envurl("BROKER", "filesystem://", ("filesystem", "redis")) == "filesystem://"


def production_cookies(tmp_path, **env) -> str:
    """The Set-Cookie header of a production log-in page, served over HTTPS."""
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    for name in ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DEBUG"]:
        base.pop(name, None)
    base.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="riverwise.example",
        VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="ipnb_site.settings",
        **env,
    )
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client, override_settings\n"
        # No collectstatic here: plain static storage, so the page renders without a manifest.
        "plain = {**settings.STORAGES, 'staticfiles': {'BACKEND': "
        "'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        "with override_settings(STORAGES=plain):\n"
        "    response = Client().get('/accounts/login/', secure=True, "
        "HTTP_HOST='riverwise.example')\n"
        "print(settings.SESSION_COOKIE_NAME)\n"
        "print(response.cookies.output())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_cookies_carry_the_host_prefix_so_no_subdomain_can_set_them(tmp_path):
    session_name, csrf_cookie = production_cookies(tmp_path, DEBUG="0").splitlines()[:2]

    assert session_name == "__Host-sessionid"
    assert csrf_cookie.startswith("Set-Cookie: __Host-csrftoken=")
    # What browsers require of a __Host- cookie: Secure, Path=/, no Domain.
    assert "Secure" in csrf_cookie and "Path=/" in csrf_cookie
    assert "Domain" not in csrf_cookie


def test_development_over_plain_http_keeps_the_plain_cookie_names(tmp_path):
    session_name, csrf_cookie = production_cookies(tmp_path, DEBUG="1").splitlines()[:2]

    assert session_name == "sessionid"
    assert csrf_cookie.startswith("Set-Cookie: csrftoken=")
