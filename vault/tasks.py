from celery import shared_task

from vault.blind_index import count_uncounted_rows

# Rows re-indexed per scheduled run: a few seconds' work, so a worker is never held long.
ROWS_PER_RUN = 2000


@shared_task
def count_search_words() -> int:
    """Give search tokens made before counts were kept theirs, a few thousand rows a
    run, until none are left (then each run is one indexed look-up per kind)."""
    return count_uncounted_rows(most=ROWS_PER_RUN)
