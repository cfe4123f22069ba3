import pytest

from tests.progress.factories import ensure_catalog_and_vocabulary


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(db):
    ensure_catalog_and_vocabulary()
