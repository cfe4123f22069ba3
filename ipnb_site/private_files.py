"""What the app keeps under VAR_DIR (SQLite, the file broker, mail) is for its own user only.

Mail there can hold a password-reset link, which is a way into an account.
VAR_DIR should be a folder of the app's own: a folder open to others is made
private at start-up, and start-up stops when the app may not change that.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path, setting: str = "VAR_DIR") -> Path:
    """The folder, created if missing, that only the app's user can enter."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _keep_private(path, PRIVATE_DIR, setting)
    return path


def private_file(path: Path, setting: str) -> Path:
    """The file, created empty if missing, that only the app's user can read."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        _keep_private(path, PRIVATE_FILE, setting)
    return path


def open_private_file_for_append(path: Path):
    """A binary stream appending to the file, created readable by the app's user only."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE), "ab")


def _keep_private(path: Path, mode: int, setting: str) -> None:
    if path.stat().st_mode & 0o077:
        try:
            path.chmod(mode)
        except PermissionError:
            raise ImproperlyConfigured(
                f"{setting}: other users can open {path}, and the app may not change that. "
                f"Give it to the app's user with mode {mode:o}."
            ) from None
