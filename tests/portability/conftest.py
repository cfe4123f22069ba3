import json
from datetime import date

import pytest

from portability.export import export_json
from tests.conftest import make_user
from tests.portability.factories import make_rich_history
from tests.progress.factories import ensure_catalog_and_vocabulary


@pytest.fixture(autouse=True)
def catalog_and_vocabulary(db):
    ensure_catalog_and_vocabulary()


@pytest.fixture
def exported_bytes(owner) -> bytes:
    """A rich export from another (since deleted) account of the owner's, as the file."""
    old = make_user("old-me@example.com", display_name="Liv", timezone="Asia/Tokyo")
    make_rich_history(old, date(2026, 11, 24))
    data = export_json(old)
    old.delete()
    return data if isinstance(data, bytes) else data.encode()


@pytest.fixture
def exported(exported_bytes) -> dict:
    return json.loads(exported_bytes)
