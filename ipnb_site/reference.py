"""Reference rows kept in each process: the practices' steps and the feelings vocabulary.

They are the same for everyone and change only when staff edit them in the
admin (or a deploy migrates them), yet nearly every practice and journal page
reads them: a query each, about 1.5 ms with building the rows. Each process
keeps its own copy for KEEP_SECONDS. A save or delete clears the copy of the
process that made it at once; the other processes load the edit within a
minute. The rows handed out are shared, so callers only read them.
"""

import threading
from collections.abc import Callable
from time import monotonic
from typing import Generic, TypeVar

from django.db.models.signals import post_delete, post_save

KEEP_SECONDS = 60

Rows = TypeVar("Rows")

_copies: list["ProcessCopy"] = []


class ProcessCopy(Generic[Rows]):
    def __init__(self, load: Callable[[], Rows], *changed_by: type) -> None:
        self._load = load
        self._held: tuple[float, Rows] | None = None
        self._loading = threading.Lock()
        for model in changed_by:
            for signal in (post_save, post_delete):
                signal.connect(self._forget_on_change, sender=model, weak=False)
        _copies.append(self)

    def get(self) -> Rows:
        held = self._held
        if held is None or monotonic() - held[0] > KEEP_SECONDS:
            # One thread loads; the others that came meanwhile take its rows.
            with self._loading:
                held = self._held
                if held is None or monotonic() - held[0] > KEEP_SECONDS:
                    held = (monotonic(), self._load())
                    self._held = held
        return held[1]

    def forget(self) -> None:
        self._held = None

    def _forget_on_change(self, **kwargs) -> None:
        self.forget()


def forget_all() -> None:
    """Drop every copy (tests: each starts from the database as it is)."""
    for copy in _copies:
        copy.forget()
