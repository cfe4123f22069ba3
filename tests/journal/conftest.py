import pytest

from journal.models import EmotionWord
from journal.vocabulary import sync_vocabulary


@pytest.fixture(autouse=True)
def vocabulary(db):
    # The words come from a data migration; a transactional test elsewhere in
    # the run may have flushed them, so make sure they are there (one query).
    sync_vocabulary(EmotionWord)
