"""Each rule has one home on its model: forms, imports and the database meet it there."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ipnb_site.writing import NOTE_MAX_LENGTH
from journal.models import FacesRating, JournalEntry, RepairStatus, Rupture
from practices.models import Practice, PracticeSession

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to("2026-03-10 12:00:00+01:00", tick=False)


def problems(row, exclude=None) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        row.full_clean(exclude=exclude)
    return caught.value.message_dict


def rupture(owner, **fields) -> Rupture:
    values = {
        "relationship": "partner",
        "what_happened": "We argued.",
        "ruptured_on": date(2026, 3, 8),
    }
    return Rupture(user=owner, **values | fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"repair_status": RepairStatus.REPAIRED},
            "Add the day you reconnected, so you can see how long repair took.",
        ),
        (
            {"repaired_on": date(2026, 3, 9)},
            "Leave this empty until you have reconnected, or choose “Yes” above.",
        ),
        (
            {"repair_status": RepairStatus.REPAIRED, "repaired_on": date(2026, 3, 7)},
            "The repair can't come before the day it happened.",
        ),
        ({"ruptured_on": date(2026, 3, 11)}, None),
        (
            {"repair_status": RepairStatus.REPAIRED, "repaired_on": date(2026, 3, 11)},
            "That day hasn't come yet where you are. If a repair is planned, choose "
            "“Planned” and add the day once it has happened.",
        ),
    ],
)
def test_the_repair_rules_speak_beside_the_field_they_are_about(owner, fields, message):
    found = problems(rupture(owner, **fields))
    if message is None:
        assert found == {
            "ruptured_on": [
                "That day hasn't come yet where you are. Choose today or an earlier day."
            ]
        }
    else:
        assert found == {"repaired_on": [message]}


def test_the_database_refuses_what_the_repair_rules_refuse(owner):
    row = rupture(owner, repaired_on=date(2026, 3, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_a_repaired_rupture_with_its_date_is_clean(owner):
    rupture(owner, repair_status=RepairStatus.REPAIRED, repaired_on=date(2026, 3, 9)).full_clean()


def test_an_entry_cannot_be_dated_after_the_writers_today(owner):
    entry = JournalEntry(user=owner, local_date=date(2026, 3, 11), body="Tomorrow's words")
    assert list(problems(entry)) == ["local_date"]
    entry.local_date = TODAY
    entry.full_clean()


def test_every_note_has_the_one_limit_even_past_the_forms(owner):
    long_note = "x" * (NOTE_MAX_LENGTH + 1)
    faces = FacesRating(
        user=owner,
        local_date=TODAY,
        note=long_note,
        **dict.fromkeys(["flexible", "adaptive", "coherent", "energized", "stable"], 3),
    )
    session = PracticeSession(
        user=owner, practice=Practice.objects.first(), local_date=TODAY, notes=long_note
    )
    assert list(problems(faces)) == ["note"]
    assert list(problems(session)) == ["notes"]
    assert list(problems(rupture(owner, what_happened=long_note))) == ["what_happened"]
