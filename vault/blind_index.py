"""The blind index: search by keyed stems, so the database never holds words.

A row's text is split into words, stemmed (Snowball English, as PostgreSQL's
full-text search did) and each distinct stem, less common little words, is
stored as HMAC-SHA256(person's index key, stem), cut to 16 bytes, beside how
often the stem occurs in the row, sealed with the person's data key. The index
key is derived from the person's data key with HKDF, so tokens differ between
people and mean nothing without the key.

A model joins by naming `SEARCH_KIND` and `SEARCH_FIELDS`; vault/signals.py
re-indexes a row whenever one of those fields is saved.
"""

import re
import threading
import uuid
from collections import Counter, defaultdict
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

from vault.crypto import count_opener, seal_count, search_token
from vault.keyring import keys_for
from vault.models import SearchToken

WORD = re.compile(r"\w+(?:'\w+)*")

# Words too common to find anything by (a short form of PostgreSQL's English list).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with you your yours
    yourself yourselves""".split()  # noqa: SIM905 (a paragraph reads better than a list)
)

_local = threading.local()


def _stemmer():
    # Snowball stemmers keep state while stemming: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def words_of(text: str) -> list[str]:
    return [word.replace("'", "") for word in WORD.findall(text.lower())]


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    # A person's vocabulary is small next to their text: each word is stemmed once.
    return _stemmer().stemWord(word)


def stems_of(text: str) -> list[str]:
    """Every word's stem, in order (stop words too, so phrases can be matched)."""
    return [stem(word) for word in words_of(text)]


def stem_counts(text: str) -> Counter[str]:
    """How often each stem occurs in `text`."""
    counts: Counter[str] = Counter()
    for word, n in Counter(words_of(text)).items():
        counts[stem(word)] += n
    return counts


@lru_cache(maxsize=1000)
def _words_beginning_like(stem_: str) -> re.Pattern:
    # Snowball may change a stem's last letter ("happy", "happi"): match one short.
    start = stem_[:-1] if len(stem_) > 2 else stem_
    return re.compile(rf"\b{re.escape(start)}[\w']*")


def occurrences(lowered_text: str, stem_: str) -> int:
    """How often a word with this stem occurs in `lowered_text`, stemming only the
    words that could have it (a few), not every word."""
    return sum(
        1
        for word in _words_beginning_like(stem_).findall(lowered_text)
        if stem(word.replace("'", "")) == stem_
    )


def occurs(lowered_text: str, stem_: str) -> bool:
    """Whether a word with this stem occurs in `lowered_text`: `occurrences` that
    stops at the first (a phrase's check asks it of every candidate row)."""
    return any(
        stem(match.group().replace("'", "")) == stem_
        for match in _words_beginning_like(stem_).finditer(lowered_text)
    )


@lru_cache(maxsize=1000)
def _phrase_pattern(phrase: tuple[str, ...]) -> re.Pattern:
    starts = [re.escape(s[:-1] if len(s) > 2 else s) + r"[\w']*" for s in phrase]
    return re.compile(r"\b" + r"\W+".join(f"({start})" for start in starts))


def phrase_occurs(lowered_text: str, phrase: tuple[str, ...]) -> bool:
    """Whether words with these stems stand side by side in `lowered_text` (found by
    how they begin, then checked; False may only mean they begin unlike their stems)."""
    for match in _phrase_pattern(phrase).finditer(lowered_text):
        if tuple(stem(word.replace("'", "")) for word in match.groups()) == phrase:
            return True
    return False


def searchable_stems(text: str) -> set[str]:
    return {stem(word) for word in set(words_of(text)) if word not in STOP_WORDS}


def searchable_stem_counts(text: str) -> Counter[str]:
    """How often each stem occurs in `text`, less the common little words."""
    counts: Counter[str] = Counter()
    for word, n in Counter(words_of(text)).items():
        if word not in STOP_WORDS:
            counts[stem(word)] += n
    return counts


def tokens_for(owner_id: int, stems) -> list[bytes]:
    index_key = keys_for(owner_id).index_key
    return [search_token(index_key, stem) for stem in sorted(stems)]


def equality_key(owner_id: int, column: str, value: str) -> bytes:
    """A keyed fingerprint of a whole value in one column (a tag by its name), so equal
    values can be found and kept unique while the database holds none of them.

    Keyed like the search tokens, with the column in front: a stem never holds
    NUL, so a fingerprint never equals a search token or another column's.
    """
    return search_token(keys_for(owner_id).index_key, f"{column}\0{value}")


def row_text(instance) -> str:
    return "\n".join(getattr(instance, field) or "" for field in instance.SEARCH_FIELDS)


def tokens_of_row(instance) -> list[SearchToken]:
    """The row's tokens, each with how often its stem occurs there (sealed)."""
    keys = keys_for(instance.user_id)
    row_id = instance.public_id
    tokens = []
    for stem_, count in sorted(searchable_stem_counts(row_text(instance)).items()):
        token = search_token(keys.index_key, stem_)
        sealed_count = seal_count(keys.data_key, count, row_id.bytes, token)
        tokens.append(
            SearchToken(
                user_id=instance.user_id,
                kind=instance.SEARCH_KIND,
                row_id=row_id,
                token=token,
                sealed_count=sealed_count,
            )
        )
    return tokens


def reindex(instance, *, new: bool = False) -> None:
    """Make the row's tokens match its text now (a new row has none to forget)."""
    if not new:
        forget_row(instance)
    SearchToken.objects.bulk_create(tokens_of_row(instance))


def index_new_rows(instances: list) -> None:
    """Tokens for rows made with bulk_create (which sends no post_save), in one insert."""
    tokens = [
        token
        for row in instances
        if getattr(row, "SEARCH_FIELDS", None)
        for token in tokens_of_row(row)
    ]
    SearchToken.objects.bulk_create(tokens, batch_size=2000)


def count_uncounted_rows(batch_size: int = 500, most: int | None = None) -> int:
    """Re-index, in short transactions, rows whose tokens were made before the index
    kept counts (until then the search opens them to rank them). Returns how many;
    stops after about `most`, so a scheduled run stays short. A second run finds none."""
    from django.apps import apps
    from django.db import transaction

    counted = 0
    for model in apps.get_models():
        kind = getattr(model, "SEARCH_KIND", "")
        if not kind or not getattr(model, "SEARCH_FIELDS", None):
            continue
        uncounted = SearchToken.objects.filter(kind=kind, sealed_count=b"")
        while most is None or counted < most:
            with transaction.atomic():
                batch = list(
                    model._default_manager.filter(
                        public_id__in=uncounted.values("row_id")
                    ).order_by("pk")[:batch_size]
                )
                for row in batch:
                    reindex(row)
            counted += len(batch)
            if len(batch) < batch_size:
                break
    return counted


def forget_rows(kind: str, public_ids) -> None:
    """Tokens of rows about to be deleted (`public_ids` may be a subquery)."""
    SearchToken.objects.filter(kind=kind, row_id__in=public_ids).delete()


def forget_row(instance) -> None:
    SearchToken.objects.filter(kind=instance.SEARCH_KIND, row_id=instance.public_id).delete()


class IndexHits(NamedTuple):
    """What the index alone says about a search: by kind, each row holding every
    wanted stem and none of the unwanted, with how often the wanted stems occur
    there (None when a count is missing or does not open: count the text)."""

    owner_id: int
    rows: dict[str, dict[uuid.UUID, int | None]]
    wanted_tokens: list[bytes]

    def holding_any(self, kind: str):
        """The public ids of the person's rows of `kind` holding any wanted stem, as a
        subquery: a superset of `rows[kind]` for the database to narrow by filters."""
        return SearchToken.objects.filter(
            user_id=self.owner_id, kind=kind, token__in=self.wanted_tokens
        ).values("row_id")


def rows_with_every(
    owner_id: int, stems: set[str], leaving_out: set[str] | frozenset[str] = frozenset()
) -> IndexHits:
    """The person's rows holding every one of `stems` and none of `leaving_out`, by kind,
    in one query."""
    if not stems:
        return IndexHits(owner_id, {}, [])
    keys = keys_for(owner_id)
    wanted = [search_token(keys.index_key, stem_) for stem_ in sorted(stems)]
    unwanted = {search_token(keys.index_key, stem_) for stem_ in leaving_out}
    hits = SearchToken.objects.filter(user_id=owner_id, token__in=[*wanted, *unwanted])
    found: dict[tuple[str, uuid.UUID], dict[bytes, bytes]] = defaultdict(dict)
    left_out = set()
    for kind, row_id, token, sealed_count in hits.values_list(
        "kind", "row_id", "token", "sealed_count"
    ):
        token = bytes(token)
        if token in unwanted:
            left_out.add((kind, row_id))
        else:
            found[(kind, row_id)][token] = bytes(sealed_count)
    open_count = count_opener(keys.data_key)
    rows: dict[str, dict[uuid.UUID, int | None]] = defaultdict(dict)
    for (kind, row_id), sealed_counts in found.items():
        if len(sealed_counts) < len(wanted) or (kind, row_id) in left_out:
            continue
        counts = [
            open_count(sealed, row_id.bytes, token) if sealed else None
            for token, sealed in sealed_counts.items()
        ]
        rows[kind][row_id] = None if None in counts else sum(counts)  # type: ignore[arg-type]
    return IndexHits(owner_id, dict(rows), wanted)
