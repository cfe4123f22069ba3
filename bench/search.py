"""Benchmark: journal search over five years of entries, text sealed at rest.

Two people each write an entry every day for five years (about 150 words each,
drawn from a fixed pool so some words are common and some rare), on top of
the sample history (FACES notes, check-ins, ruptures). One person's text is
sealed, as everywhere now; the other's was written with encryption off (the
same blind index, the same code, only no decrypting), so the difference
between them is what sealing costs. The baseline, measured in the same run by
the same client, is the trivial logged-in page "Your data" (/progress/data/).

For each query: the median time of the whole search page (first page of 25
results, what a person waits for) over SEARCH_ROUNDS requests, for both people,
the ratio sealed/plain and the ratio to the trivial page. The last line:

    search median_ms_sealed=X median_ms_plain=X ratio_sealed_to_plain=X trivial_ms=X

(medians over all queries). Target: median_ms_sealed at most 100 on PostgreSQL.
Run: .venv/bin/python bench/search.py (SEARCH_ROUNDS, SEARCH_YEARS).
"""

import os
import random
import re
import statistics
import time
from datetime import timedelta

from common import ROOT, scratch_database, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from journal.models import JournalEntry  # noqa: E402
from progress.sample import build_history, save_history  # noqa: E402
from vault import keyring  # noqa: E402
from vault.blind_index import index_new_rows  # noqa: E402

ROUNDS = int(os.environ.get("SEARCH_ROUNDS", "15"))
YEARS = int(os.environ.get("SEARCH_YEARS", "5"))
TRIVIAL_URL = "/progress/data/"

COMMON = [
    "today",
    "morning",
    "walked",
    "felt",
    "noticed",
    "breath",
    "body",
    "tired",
    "calm",
    "work",
    "slept",
    "quiet",
    "evening",
    "friend",
    "talked",
    "mind",
    "heart",
    "shoulders",
    "river",
    "water",
    "light",
    "thought",
    "moment",
    "again",
    "still",
    "small",
    "slow",
    "hard",
    "long",
    "good",
    "better",
    "kind",
    "gentle",
    "steady",
]
RARE = ["heron", "lighthouse", "cello", "marmalade", "orchard", "glacier"]
FILLER = [
    "the",
    "a",
    "and",
    "of",
    "to",
    "in",
    "it",
    "was",
    "i",
    "my",
    "with",
    "that",
    "for",
    "on",
    "at",
    "but",
    "so",
    "as",
]
QUERIES = [
    ("a common word", "walked"),
    ("two common words", "tired river"),
    ("a rare word", "heron"),
    ("a phrase", '"quiet evening"'),
    ("a word and a left-out word", "calm -work"),
    ("a word never written", "zeppelin"),
]


def entry_text(rng: random.Random) -> str:
    words = []
    for _ in range(150):
        pool = FILLER if rng.random() < 0.4 else COMMON
        words.append(rng.choice(pool))
    if rng.random() < 0.01:
        words[rng.randrange(len(words))] = rng.choice(RARE)
    sentences = [" ".join(words[i : i + 12]).capitalize() + "." for i in range(0, 150, 12)]
    return " ".join(sentences)


def person(email: str, *, sealed: bool) -> User:
    settings.ENCRYPTION_AT_REST = sealed
    try:
        user = User.objects.create_user(email, "bench-password", timezone="Europe/Berlin")
        today = user.local_today()
        first = today - timedelta(days=365 * YEARS - 1)
        save_history(build_history(user, first, today, seed=7))
        # One entry a day on top of the sample's, with more words.
        rng = random.Random(11)
        entries = [
            JournalEntry(user=user, local_date=first + timedelta(days=n), body=entry_text(rng))
            for n in range(365 * YEARS)
        ]
        JournalEntry.objects.bulk_create(entries, batch_size=500)
        index_new_rows(entries)
        return user
    finally:
        settings.ENCRYPTION_AT_REST = True


def measure(client: Client, url: str, params: dict, sealed: bool) -> tuple[float, int, str]:
    settings.ENCRYPTION_AT_REST = sealed
    try:
        client.get(url, params)  # warm up
        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, params).content.decode()
        count = re.search(r'id="results-heading"[^>]*>(\d+) result', html)
        found = count.group(1) if count else "0"
        return statistics.median(timings), len(queries), found
    finally:
        settings.ENCRYPTION_AT_REST = True


def main() -> None:
    with scratch_database():
        print(
            f"search benchmark: database={connection.vendor}, {YEARS} years of daily entries "
            f"for each of two people, median of {ROUNDS} requests (the machine is shared: "
            "read the ratios)"
        )
        started = time.perf_counter()
        sealed_person = person("sealed@example.com", sealed=True)
        plain_person = person("plain@example.com", sealed=False)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        entries = JournalEntry.objects.for_user(sealed_person).count()
        print(
            f"  seeded {entries:,} entries each in {time.perf_counter() - started:.0f} s; "
            "sealed person's text sealed, plain person's as written"
        )
        clients = {}
        for name, user in (("sealed", sealed_person), ("plain", plain_person)):
            clients[name] = Client()
            clients[name].force_login(user)
        trivial_ms, _, _ = measure(clients["sealed"], TRIVIAL_URL, {}, True)
        print(f"  trivial page {TRIVIAL_URL}: {trivial_ms:.1f} ms")
        sealed_all, plain_all = [], []
        for label, q in QUERIES:
            # A cold key cache for the sealed person on the first request of each query.
            keyring.forget_all()
            sealed_ms, queries, found = measure(
                clients["sealed"], "/journal/search/", {"q": q}, True
            )
            plain_ms, _, plain_found = measure(
                clients["plain"], "/journal/search/", {"q": q}, False
            )
            assert found == plain_found, (found, plain_found)
            sealed_all.append(sealed_ms)
            plain_all.append(plain_ms)
            print(
                f"  {label:<28} {q!r:<16} {found:>6} results  sealed {sealed_ms:6.1f} ms "
                f"({queries} queries)  plain {plain_ms:6.1f} ms  "
                f"sealed/plain x{sealed_ms / plain_ms:4.2f}  x{sealed_ms / trivial_ms:4.2f} trivial"
            )
        trivial_ms = statistics.median(
            [trivial_ms, measure(clients["plain"], TRIVIAL_URL, {}, False)[0]]
        )
    sealed_ms, plain_ms = statistics.median(sealed_all), statistics.median(plain_all)
    print(
        f"search median_ms_sealed={sealed_ms:.1f} median_ms_plain={plain_ms:.1f} "
        f"ratio_sealed_to_plain={sealed_ms / plain_ms:.2f} trivial_ms={trivial_ms:.1f}"
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
