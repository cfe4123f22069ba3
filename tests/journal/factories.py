"""Small hand-written factories for journal tests."""

from datetime import date

from journal.models import (
    EmotionWord,
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    RepairStatus,
    Rupture,
)


def make_entry(
    user,
    body="A quiet morning by the river.",
    *,
    local_date=None,
    feelings=(),
    tags=(),
    is_draft=False,
    **fields,
) -> JournalEntry:
    """`feelings` is a list of (word, intensity) or (word, intensity, body location)."""
    entry = JournalEntry(
        user=user,
        body=body,
        local_date=local_date or date(2026, 3, 10),
        is_draft=is_draft,
        **fields,
    )
    entry.save_with(
        feelings=[
            (EmotionWord.objects.get(word=word), intensity, rest[0] if rest else "")
            for word, intensity, *rest in feelings
        ],
        tag_names=list(tags),
    )
    return entry


def make_faces(user, local_date=date(2026, 3, 10), score=3, note="") -> FacesRating:
    scores = dict.fromkeys(["flexible", "adaptive", "coherent", "energized", "stable"], score)
    return FacesRating.objects.rate(user, local_date, scores, note=note)


def make_check_in(user, *, chaos=3, rigidity=2, local_date=date(2026, 3, 10), note=""):
    return IntegrationCheckIn.objects.create(
        user=user, local_date=local_date, chaos=chaos, rigidity=rigidity, note=note
    )


def make_rupture(
    user,
    *,
    relationship="partner",
    what_happened="We argued about the dishes.",
    ruptured_on=date(2026, 3, 8),
    repaired_on=None,
    felt=(),
    **fields,
) -> Rupture:
    rupture = Rupture.objects.create(
        user=user,
        relationship=relationship,
        what_happened=what_happened,
        ruptured_on=ruptured_on,
        repaired_on=repaired_on,
        repair_status=RepairStatus.REPAIRED
        if repaired_on
        else fields.pop("repair_status", RepairStatus.NOT_YET),
        **fields,
    )
    rupture.felt.set(EmotionWord.objects.filter(word__in=felt))
    return rupture


def entry_whose_words(user, test, words: str, **fields):
    """The one entry of `user` whose text passes `test(body, words)`: entry text is
    sealed at rest, so the database can't be asked about the words themselves."""
    from journal.models import JournalEntry

    (entry,) = [
        entry
        for entry in JournalEntry.objects.for_user(user).filter(**fields)
        if test(entry.body, words)
    ]
    return entry
