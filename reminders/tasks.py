import logging
import queue
import threading
from datetime import datetime

from celery import shared_task
from django.core.mail import get_connection
from django.db import connection as database
from django.utils import timezone

from reminders.models import Delivery, Reminder

logger = logging.getLogger(__name__)

CLAIM_BATCH = 10000
SEND_BATCH = 500
# Claimed, prepared and recorded together inside a send task: small enough that
# a delivery waits well under a second between its claim and its turn.
PREPARE_BATCH = 100


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_deliveries(delivery_ids: list[int]) -> int:
    """Send a batch of claimed deliveries over one SMTP connection.

    Late acknowledgement: a worker that dies mid-batch leaves the message on
    the broker for another worker, and the claim skips what was sent.
    """
    connection = get_connection()
    sent = 0
    try:
        for start in range(0, len(delivery_ids), PREPARE_BATCH):
            sent += Delivery.objects.send_many(
                delivery_ids[start : start + PREPARE_BATCH], connection
            )
    finally:
        connection.close()
    return sent


def _hand_over(leased: list[int], now: datetime, counts: dict[str, int]) -> bool:
    """Publish send tasks in batches; False (and the rest given back) if the broker is down."""
    for start in range(0, len(leased), SEND_BATCH):
        batch = leased[start : start + SEND_BATCH]
        try:
            send_deliveries.delay(batch)
        except Exception:
            # The broker is unreachable: give the rest back for the next tick.
            logger.exception("reminders tick could not reach the broker")
            Delivery.objects.release(leased[start:], now)
            counts["undispatched"] += len(leased) - start
            return False
        counts["dispatched"] += len(batch)
    return True


def _claim_beside(now: datetime, batches: queue.SimpleQueue) -> None:
    """A second claimer on a connection of its own, passing its batches back."""
    try:
        while True:
            claimed, leased = Reminder.objects.claim_due(now, limit=CLAIM_BATCH)
            batches.put((claimed, leased))
            if claimed < CLAIM_BATCH:
                break
    finally:
        database.close()


def run_tick(now: datetime | None = None) -> dict[str, int]:
    """One pass: claim what is due, then hand ready deliveries to the broker."""
    now = now or timezone.now()
    counts = {"claimed": 0, "dispatched": 0, "undispatched": 0, "interrupted": 0}
    broker_ok = True

    def hand_over(claimed: int, leased: list[int]) -> None:
        nonlocal broker_ok
        counts["claimed"] += claimed
        if broker_ok:
            broker_ok = _hand_over(leased, now, counts)
        else:
            Delivery.objects.release(leased, now)
            counts["undispatched"] += len(leased)

    # On PostgreSQL a second connection claims alongside this one: SKIP LOCKED
    # gives each its own rows, and the database's work per row (most of a big
    # minute's tick) runs on two cores. Only this thread talks to the broker.
    batches: queue.SimpleQueue = queue.SimpleQueue()
    beside = None
    if database.vendor == "postgresql":
        beside = threading.Thread(target=_claim_beside, args=(now, batches))
        beside.start()
    try:
        while True:
            claimed, leased = Reminder.objects.claim_due(now, limit=CLAIM_BATCH)
            hand_over(claimed, leased)
            while not batches.empty():
                hand_over(*batches.get())
            if claimed < CLAIM_BATCH:
                break
    finally:
        if beside is not None:
            beside.join()
    while not batches.empty():
        hand_over(*batches.get())
    counts["interrupted"] = Delivery.objects.recover_interrupted(now)
    # Retries, deliveries given back earlier, and (on SQLite) this tick's new ones.
    while broker_ok:
        leased = Delivery.objects.lease_ready(now, limit=CLAIM_BATCH)
        broker_ok = _hand_over(leased, now, counts)
        if len(leased) < CLAIM_BATCH:
            break
    logger.info(
        "reminders tick claimed=%(claimed)d dispatched=%(dispatched)d "
        "undispatched=%(undispatched)d interrupted=%(interrupted)d",
        counts,
    )
    return counts


@shared_task(expires=50)
def tick() -> dict[str, int]:
    """Run by beat once a minute; a tick older than that is dropped, not run late."""
    return run_tick()
