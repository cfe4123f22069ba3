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


def start_django(tmp_path, code: str = "", **env) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh process with this environment, then run code.

    The process gets the usual umask (022), so files it creates are private only
    when the app makes them so.
    """
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    base.update({"VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "ipnb_site.settings"})
    for name in [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "EMAIL_HOST",
        "EMAIL_TO_FILES",
    ]:
        base.pop(name, None)
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); print('started'); {code}"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        umask=0o022,
    )


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "riverwise.example"}
SEND_A_RESET_LINK = (
    "from django.core.mail import send_mail; "
    "send_mail('Reset', 'https://riverwise.example/reset/SECRET-LINK/', None, ['a@example.com'])"
)


def test_production_refuses_to_start_without_an_email_server(tmp_path):
    result = start_django(tmp_path, **PRODUCTION)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EMAIL_HOST must name" in result.stderr
    assert "EMAIL_TO_FILES=1" in result.stderr


def test_production_starts_with_an_email_server(tmp_path):
    result = start_django(tmp_path, EMAIL_HOST="smtp.example", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_production_keeps_mail_in_private_files_only_when_told_to_and_never_logs_it(tmp_path):
    result = start_django(tmp_path, SEND_A_RESET_LINK, EMAIL_TO_FILES="1", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "SECRET-LINK" not in result.stdout + result.stderr
    (mail_file,) = (tmp_path / "mail").iterdir()
    assert "SECRET-LINK" in mail_file.read_text()
    assert mode(tmp_path / "mail") == 0o700
    assert mode(mail_file) == 0o600


def test_development_mail_is_echoed_and_kept_in_a_file_only_its_owner_can_read(tmp_path):
    result = start_django(tmp_path, SEND_A_RESET_LINK, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "SECRET-LINK" in result.stdout
    (mail_file,) = (tmp_path / "mail").iterdir()
    assert mode(mail_file) == 0o600


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_var_dir_and_what_the_app_keeps_there_are_private_to_its_user(tmp_path):
    var_dir = tmp_path / "var"
    # SQLite removes its write-ahead log when the last connection closes: look while open.
    write_and_show_the_log_mode = (
        "import os; from django.db import connection; "
        "connection.cursor().execute('CREATE TABLE note (body text)'); "
        "print(oct(os.stat(connection.settings_dict['NAME'] + '-wal').st_mode & 0o777))"
    )
    result = start_django(var_dir, write_and_show_the_log_mode, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert mode(var_dir) == 0o700
    assert mode(var_dir / "broker") == 0o700
    assert mode(var_dir / "ipnb.sqlite3") == 0o600
    # SQLite gives its write-ahead log the database file's mode.
    assert result.stdout.split() == ["started", "0o600"]


def test_an_existing_var_dir_open_to_others_is_made_private(tmp_path):
    tmp_path.chmod(0o755)
    (tmp_path / "ipnb.sqlite3").touch(mode=0o644)
    result = start_django(tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert mode(tmp_path) == 0o700
    assert mode(tmp_path / "ipnb.sqlite3") == 0o600


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
        EMAIL_HOST="smtp.example",
        VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="ipnb_site.settings",
    )
    # Test-only relaxations (set by test settings and the browser tests) are not production.
    for name in [
        "EMAIL_TO_FILES",
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
