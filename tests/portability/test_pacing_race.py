"""Pacing holds when one person sends many requests at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connections
from django.test import Client

from portability.models import EXPORTS_PER_HOUR, DataExport

PARALLEL = 12


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_downloads_by_one_person_serve_exactly_the_hourly_allowance(owner):
    barrier = threading.Barrier(PARALLEL)
    statuses = []

    def download():
        client = Client()
        client.force_login(owner)
        # Give the connection back to the pool: all twelve wait, then ask at once.
        connections.close_all()
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post("/progress/data/riverwise.json").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=download) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200] * EXPORTS_PER_HOUR + [429] * (PARALLEL - EXPORTS_PER_HOUR)
    assert DataExport.objects.filter(user=owner).count() == EXPORTS_PER_HOUR
