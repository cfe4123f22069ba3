"""Benchmark: what the per-process data-key cache saves.

One person with KEYS_ENTRIES sealed entries, and the same entries written with
encryption off. Times reading every body of a page-sized list and of the
whole list (median of KEYS_ROUNDS) three ways: plain text (the baseline),
sealed with the key cache (vault/keyring.py; emptied at the start of each
round, so each round pays one key look-up, as a process's first request does),
and sealed with the cache emptied before each row (what every row would cost without it: a key
look-up and an unwrap). The last line:

    keys ms_plain=X ms_cached=X ms_uncached=X ratio_cached=X ratio_uncached=X

(for the whole list; ratios over plain). Run: .venv/bin/python bench/keys.py
"""

import os
import statistics
import time
from datetime import date, timedelta

from common import ROOT, scratch_database, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from journal.models import JournalEntry  # noqa: E402
from vault import keyring  # noqa: E402

ENTRIES = int(os.environ.get("KEYS_ENTRIES", "500"))
ROUNDS = int(os.environ.get("KEYS_ROUNDS", "15"))
BODY = "A walk by the water at lunch. The mind kept planning, and I kept coming back. " * 8


def write(email: str, *, sealed: bool) -> User:
    settings.ENCRYPTION_AT_REST = sealed
    try:
        user = User.objects.create_user(email, "bench-password")
        JournalEntry.objects.bulk_create(
            JournalEntry(user=user, local_date=date(2026, 1, 1) - timedelta(days=n), body=BODY)
            for n in range(ENTRIES)
        )
        return user
    finally:
        settings.ENCRYPTION_AT_REST = True


def read_all(user: User, count: int, *, sealed: bool, cache: bool) -> float:
    settings.ENCRYPTION_AT_REST = sealed
    try:
        timings = []
        for _ in range(ROUNDS):
            keyring.forget_all()
            started = time.perf_counter()
            for entry in JournalEntry.objects.filter(user=user)[:count]:
                if not cache:
                    keyring.forget_all()
                assert entry.body == BODY
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings)
    finally:
        settings.ENCRYPTION_AT_REST = True


def main() -> None:
    with scratch_database():
        print(
            f"keys benchmark: database={connection.vendor}, {ENTRIES} entries, median of "
            f"{ROUNDS} (the machine is shared: read the ratios)"
        )
        sealed, plain = (
            write("sealed@example.com", sealed=True),
            write("plain@example.com", sealed=False),
        )
        for count in (25, ENTRIES):
            ms_plain = read_all(plain, count, sealed=False, cache=True)
            ms_cached = read_all(sealed, count, sealed=True, cache=True)
            ms_uncached = read_all(sealed, count, sealed=True, cache=False)
            print(
                f"  read {count:>4} entries: plain {ms_plain:7.1f} ms   sealed, key cached "
                f"{ms_cached:7.1f} ms (x{ms_cached / ms_plain:4.2f})   sealed, no key cache "
                f"{ms_uncached:7.1f} ms (x{ms_uncached / ms_plain:4.2f})"
            )
    print(
        f"keys ms_plain={ms_plain:.1f} ms_cached={ms_cached:.1f} ms_uncached={ms_uncached:.1f} "
        f"ratio_cached={ms_cached / ms_plain:.2f} ratio_uncached={ms_uncached / ms_plain:.2f}"
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
