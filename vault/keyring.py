"""Unwrapped data keys, kept briefly in this process so a page of entries costs
one key look-up, not one per row.

Bounded (least recently used goes first) and short-lived, so a key deleted
with its account stays in another process's memory for at most KEY_CACHE_SECONDS.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from vault.crypto import blind_index_key

KEY_CACHE_SIZE = 1000
KEY_CACHE_SECONDS = 300


@dataclass(frozen=True)
class OwnerKeys:
    data_key: bytes
    index_key: bytes


_lock = threading.Lock()
_cache: OrderedDict[int, tuple[float, OwnerKeys]] = OrderedDict()


def keys_for(owner_id: int) -> OwnerKeys:
    now = time.monotonic()
    with _lock:
        cached = _cache.get(owner_id)
        if cached is not None and cached[0] > now:
            _cache.move_to_end(owner_id)
            return cached[1]
    from vault.models import DataKey

    data_key = DataKey.objects.unwrapped_for(owner_id)
    keys = OwnerKeys(data_key, blind_index_key(data_key))
    with _lock:
        _cache[owner_id] = (now + KEY_CACHE_SECONDS, keys)
        _cache.move_to_end(owner_id)
        while len(_cache) > KEY_CACHE_SIZE:
            _cache.popitem(last=False)
    return keys


def forget(owner_id: int) -> None:
    with _lock:
        _cache.pop(owner_id, None)


def forget_all() -> None:
    with _lock:
        _cache.clear()
