"""Typed readers for configuration from the environment.

Each raises ImproperlyConfigured naming the variable, so a bad value stops
start-up with a message a person can act on.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value such as 1 or 0, not {raw!r}.")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envdatabase(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a database URL we understand: {error}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} names no database engine: {raw!r}.")
    return dict(config)


def envurl(name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = os.environ.get(name) or default
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in schemes:
        allowed = ", ".join(f"{s}://" for s in schemes)
        raise ImproperlyConfigured(f"{name} must start with one of {allowed}, not {raw!r}.")
    return raw


def envkeys(name: str, *, development_default: str | None):
    """Key-encryption keys: `id:base64key,...`, the current one first.

    `development_default` is used when the variable is unset (DEBUG only); in
    production a missing or malformed value stops start-up naming the variable.
    """
    from vault.crypto import parse_key_encryption_keys

    raw = os.environ.get(name, "").strip()
    if not raw:
        if development_default is None:
            raise ImproperlyConfigured(
                f"{name} must be set when DEBUG is off: a comma list of id:base64key, "
                "the current key first (make one with `python -c 'import base64, os; "
                'print("k1:" + base64.b64encode(os.urandom(32)).decode())\'`).'
            )
        raw = development_default
    try:
        return parse_key_encryption_keys(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a list of id:base64key: {error}.") from None
