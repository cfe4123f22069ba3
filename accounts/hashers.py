"""Argon2 as Django computes it, on a low-priority thread, so logins can't starve pages.

An Argon2 hash takes about a quarter of a second of CPU on purpose (and
100 MB of memory). When many people log in at once, a request thread per
login used to keep every core busy hashing while everyone else's pages
waited. Each web process now hashes on one thread of its own with a higher
nice value: a page view gets the CPU first, a login the time left over. A
login takes longer only while the machine is saturated, and a process holds
one hash's memory at a time. While a login waits for its hash, its database
connection goes back to the pool.

The hashes are Django's own (`algorithm = "argon2"`, the same parameters),
so existing passwords verify and new ones read back with Django's hasher.
"""

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.contrib.auth import hashers
from django.db import connections

# Linux gives each thread its own nice value (0 normal, 19 lowest).
HASHING_NICENESS = 10
THREAD_NAME = "argon2-hashing"

Result = TypeVar("Result")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _lower_own_priority() -> None:
    # Only Linux applies this to the calling thread alone; elsewhere it would
    # lower the whole process, so hashing there keeps the normal priority.
    # An OSError: already lower than this (raising priority needs privileges).
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


def _forget_pool() -> None:
    # A forked child has none of its parent's threads.
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_pool)


def hashing_pool() -> ThreadPoolExecutor:
    """This process's hashing thread, started on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=THREAD_NAME, initializer=_lower_own_priority
            )
        return _pool


def give_back_database_connections() -> None:
    """A request waiting for its hash needs no database: its pooled connection
    goes back to the pool meanwhile (between transactions only), so a burst of
    logins can't hold every connection while pages wait for one."""
    for connection in connections.all(initialized_only=True):
        if getattr(connection, "pool", None) and not connection.in_atomic_block:
            connection.close()


def on_hashing_thread(work: Callable[..., Result], *args) -> Result:
    if threading.current_thread().name.startswith(THREAD_NAME):
        return work(*args)
    give_back_database_connections()
    return hashing_pool().submit(work, *args).result()


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Django's Argon2 hasher, computed on the low-priority hashing thread."""

    def encode(self, password, salt):
        return on_hashing_thread(super().encode, password, salt)

    def verify(self, password, encoded):
        return on_hashing_thread(super().verify, password, encoded)
