from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from journal.models import (
    UNDO_WINDOW,
    EmotionWord,
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    NamedEmotion,
    RiverZone,
    Rupture,
    Tag,
    river_reading,
)
from journal.tasks import purge_deleted_journal_items
from tests.journal.factories import make_check_in, make_entry, make_faces, make_rupture

DAY = date(2026, 3, 10)


def test_for_user_returns_only_the_persons_own_entries_that_are_not_deleted(owner, stranger):
    mine = make_entry(owner)
    make_entry(stranger)
    make_entry(owner).soft_delete()
    assert list(JournalEntry.objects.for_user(owner)) == [mine]


def test_reminders_can_tell_whether_someone_already_wrote_or_rated_today(owner, stranger):
    make_entry(owner, local_date=DAY)
    make_faces(owner, DAY)
    assert JournalEntry.objects.for_user(owner).filter(local_date=DAY).exists()
    assert FacesRating.objects.for_user(owner).filter(local_date=DAY).exists()
    assert not JournalEntry.objects.for_user(owner).filter(local_date=DAY + timedelta(1)).exists()
    assert not JournalEntry.objects.for_user(stranger).filter(local_date=DAY).exists()
    assert not FacesRating.objects.for_user(stranger).filter(local_date=DAY).exists()


def test_a_deleted_entry_does_not_count_as_writing_that_day(owner):
    make_entry(owner, local_date=DAY).soft_delete()
    assert not JournalEntry.objects.for_user(owner).filter(local_date=DAY).exists()


def test_an_entry_keeps_its_feelings_and_tags(owner):
    entry = make_entry(owner, feelings=[("anxious", 4, "chest"), ("hopeful", 2)], tags=["work"])
    named = {n.emotion.word: n for n in entry.named_emotions.select_related("emotion")}
    assert (named["anxious"].intensity, named["anxious"].body_location) == (4, "chest")
    assert (named["hopeful"].intensity, named["hopeful"].body_location) == (2, "")
    assert entry.tag_names == ["work"]
    assert all(n.user == owner for n in named.values())


def test_changing_the_feelings_keeps_the_rating_after_naming_of_a_feeling_that_stays(owner):
    entry = make_entry(owner, feelings=[("anxious", 4), ("sad", 3)])
    anxious = entry.named_emotions.get(emotion__word="anxious")
    anxious.intensity_after = 2
    anxious.save()
    calm = EmotionWord.objects.get(word="calm")
    entry.set_feelings([(anxious.emotion, 5, "throat"), (calm, 1, "")])
    anxious.refresh_from_db()
    assert (anxious.intensity, anxious.body_location, anxious.intensity_after) == (5, "throat", 2)
    words = set(entry.named_emotions.values_list("emotion__word", flat=True))
    assert words == {"anxious", "calm"}


def test_an_entry_with_its_feelings_and_tags_is_saved_whole_or_not_at_all(owner, monkeypatch):
    def broken_tags(self, names, **kwargs):
        raise RuntimeError("tags failed")

    monkeypatch.setattr(JournalEntry, "set_tags", broken_tags)
    entry = JournalEntry(user=owner, local_date=DAY, body="Something")
    with pytest.raises(RuntimeError):
        entry.save_with(feelings=[(EmotionWord.objects.get(word="sad"), 3, "")], tag_names=["x"])
    assert not JournalEntry.objects.exists()
    assert not NamedEmotion.objects.exists()


def test_tags_are_per_person(owner, stranger):
    make_entry(owner, tags=["work"])
    make_entry(stranger, tags=["work"])
    assert Tag.objects.for_user(owner).count() == 1
    assert Tag.objects.count() == 2


def test_a_tag_is_found_and_kept_unique_by_a_keyed_fingerprint_of_its_name(owner, stranger):
    make_entry(owner, tags=["work"])
    make_entry(stranger, tags=["work"])
    mine, theirs = Tag.objects.get(user=owner), Tag.objects.get(user=stranger)
    # The same name gives each person a different fingerprint.
    assert len(bytes(mine.name_key)) == 16 and bytes(mine.name_key) != bytes(theirs.name_key)
    assert Tag.objects.named(owner, ["work", "rest"]) == {"work": mine}
    assert Tag.objects.named(owner, ["Work"]) == {}  # exactly as written
    with pytest.raises(ValidationError) as twice:
        Tag(user=owner, name="work").full_clean()
    assert twice.value.messages == ["You already have this tag."]
    Tag(user=owner, name="rest").full_clean()
    with pytest.raises(ValidationError) as too_long:
        Tag(user=owner, name="x" * 41).full_clean()
    assert "name" in too_long.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(user=owner, name="work")
    # The name itself can't be matched in the database: it is sealed there.
    with pytest.raises(ValueError):
        list(Tag.objects.filter(name="work"))


def test_a_draft_key_only_works_for_the_person_it_was_issued_to(owner, stranger):
    key = JournalEntry.new_draft_key(owner)
    public_id = JournalEntry.public_id_from_draft_key(owner, key)
    assert public_id is not None and str(public_id) == key.split(":")[0]
    assert JournalEntry.public_id_from_draft_key(stranger, key) is None
    assert JournalEntry.public_id_from_draft_key(owner, key[:-1] + "x") is None
    assert JournalEntry.public_id_from_draft_key(owner, "") is None


def test_a_draft_is_found_again_by_its_key_and_a_deleted_one_comes_back(owner):
    public_id = JournalEntry.public_id_from_draft_key(owner, JournalEntry.new_draft_key(owner))
    fresh = JournalEntry.objects.for_draft(owner, public_id)
    assert fresh._state.adding and fresh.is_draft
    fresh.local_date, fresh.body = DAY, "first words"
    fresh.save_draft()
    again = JournalEntry.objects.for_draft(owner, public_id)
    assert again.pk == fresh.pk
    fresh.soft_delete()
    revived = JournalEntry.objects.for_draft(owner, public_id)
    assert revived.pk == fresh.pk and revived.deleted_at is None


def test_saving_a_draft_that_another_request_just_created_updates_that_row(owner):
    public_id = JournalEntry.public_id_from_draft_key(owner, JournalEntry.new_draft_key(owner))
    first = JournalEntry.objects.for_draft(owner, public_id)
    second = JournalEntry.objects.for_draft(owner, public_id)  # both think it is new
    first.local_date = second.local_date = DAY
    first.body, second.body = "first", "second"
    first.save_draft()
    second.save_draft()
    assert JournalEntry.objects.filter(public_id=public_id).count() == 1
    assert JournalEntry.objects.get(public_id=public_id).body == "second"


def test_deleted_things_can_be_restored_within_the_undo_window_and_are_purged_after(
    owner, time_machine
):
    time_machine.move_to("2026-03-10 12:00:00+00:00", tick=False)
    entry = make_entry(owner, feelings=[("sad", 2)])
    check_in = make_check_in(owner)
    rupture = make_rupture(owner)
    kept = make_entry(owner, body="not deleted")
    for item in (entry, check_in, rupture):
        item.soft_delete()

    time_machine.move_to(timezone.now() + UNDO_WINDOW - timedelta(seconds=1), tick=False)
    assert JournalEntry.objects.restorable_for_user(owner).get() == entry
    assert purge_deleted_journal_items() == 0

    time_machine.move_to(timezone.now() + timedelta(seconds=2), tick=False)
    assert not JournalEntry.objects.restorable_for_user(owner).exists()
    assert purge_deleted_journal_items() == 3
    assert list(JournalEntry.objects.all()) == [kept]
    assert not IntegrationCheckIn.objects.exists() and not Rupture.objects.exists()
    assert not NamedEmotion.objects.exists()


def test_rating_faces_again_on_the_same_day_replaces_the_rating(owner):
    make_faces(owner, DAY, score=2, note="first")
    make_faces(owner, DAY, score=4, note="second")
    make_faces(owner, DAY + timedelta(1), score=5)
    rating = FacesRating.objects.for_user(owner).get(local_date=DAY)
    assert (rating.flexible, rating.stable, rating.note) == (4, 4, "second")
    assert FacesRating.objects.for_user(owner).count() == 2


def test_the_database_allows_one_faces_rating_per_person_per_day(owner, stranger):
    make_faces(owner, DAY)
    make_faces(stranger, DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        FacesRating.objects.create(
            user=owner, local_date=DAY, flexible=1, adaptive=1, coherent=1, energized=1, stable=1
        )


def test_the_database_refuses_a_faces_score_outside_one_to_five(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        FacesRating.objects.create(
            user=owner, local_date=DAY, flexible=6, adaptive=1, coherent=1, energized=1, stable=1
        )


@pytest.mark.parametrize(
    ("chaos", "rigidity", "zone"),
    [
        (0, 0, RiverZone.FLOW),
        (5, 5, RiverZone.FLOW),
        (3, 1, RiverZone.FLOW),
        (8, 1, RiverZone.CHAOS),
        (6, 4, RiverZone.CHAOS),
        (1, 8, RiverZone.RIGIDITY),
        (2, 6, RiverZone.RIGIDITY),
        (7, 7, RiverZone.BOTH),
    ],
)
def test_a_check_in_is_placed_on_the_river(owner, chaos, rigidity, zone):
    check_in = make_check_in(owner, chaos=chaos, rigidity=rigidity)
    assert check_in.river_zone == zone


def test_the_river_marker_moves_from_the_chaos_bank_to_the_rigidity_bank():
    assert river_reading(10, 0)["x"] == 30
    assert river_reading(4, 4)["x"] == 160
    assert river_reading(0, 10)["x"] == 290
    assert river_reading(9, 1)["label"] == "Near the chaos bank"


def test_the_database_refuses_a_slider_outside_zero_to_ten(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_check_in(owner, chaos=11)


def test_time_to_repair_counts_the_days_between_rupture_and_repair(owner):
    same_day = make_rupture(owner, ruptured_on=DAY, repaired_on=DAY)
    later = make_rupture(owner, ruptured_on=DAY, repaired_on=DAY + timedelta(3))
    still_open = make_rupture(owner, ruptured_on=DAY)
    assert (same_day.days_to_repair, later.days_to_repair, still_open.days_to_repair) == (
        0,
        3,
        None,
    )
    assert still_open.days_open(DAY + timedelta(2)) == 2
    assert list(Rupture.objects.for_user(owner).open()) == [still_open]


def test_the_database_refuses_a_repair_dated_before_the_rupture(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_rupture(owner, ruptured_on=DAY, repaired_on=DAY - timedelta(1))


def test_rerating_summary_counts_feelings_that_softened_stayed_or_grew(owner):
    entry = make_entry(owner, feelings=[("anxious", 4), ("sad", 3), ("angry", 2), ("calm", 2)])
    for word, after in [("anxious", 2), ("sad", 3), ("angry", 4)]:
        NamedEmotion.objects.filter(entry=entry, emotion__word=word).update(intensity_after=after)
    summary = NamedEmotion.objects.for_user(owner).rerating_summary()
    assert summary == {"rerated": 3, "softer": 1, "same": 1, "stronger": 1}


def test_no_row_puts_what_a_person_wrote_into_its_text_form(owner):
    secret = "my private words"
    entry = make_entry(owner, body=secret, feelings=[("sad", 2)])
    rows = [
        entry,
        entry.named_emotions.get(),
        make_faces(owner, note=secret),
        make_check_in(owner, note=secret),
        make_rupture(owner, relationship=secret, what_happened=secret),
    ]
    for row in rows:
        assert secret not in str(row) and secret not in repr(row)
