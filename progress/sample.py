"""Plausible sample history for one person: the demo account, tests and benchmarks.

Rows get ids derived from the person and the day, so filling the same days
twice finds the rows already there instead of adding copies.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from journal.models import (
    FACES_FIELDS,
    EmotionWord,
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    NamedEmotion,
    RepairStatus,
    Rupture,
)
from practices.models import Practice, PracticeSession
from vault.blind_index import index_new_rows

SAMPLE_NAMESPACE = uuid.UUID("6f1d2a57-3c55-4c1e-9d0e-5a8f3b7c2e10")

BODIES = (
    "Slow start. Noticed my shoulders were up by my ears and let them drop.",
    "A walk by the water at lunch. The mind kept planning, and I kept coming back.",
    "Hard conversation at work. I paused before answering, which felt new.",
    "Tired but steady. Grateful for a quiet evening.",
    "Restless day. Naming it helped a little; the rest can wait for tomorrow.",
    "Called an old friend. Felt more connected than I have in weeks.",
)
WORDS = ("calm", "anxious", "tired", "grateful", "frustrated", "hopeful", "content", "restless")
RELATIONSHIPS = ("partner", "a friend", "my sister", "a colleague")
# The one word a person may write before a practice.
BEFORE_WORDS = ("tense", "tired", "restless", "calm", "scattered", "hopeful")


def sample_id(user, *parts) -> uuid.UUID:
    return uuid.uuid5(SAMPLE_NAMESPACE, ":".join([str(user.public_id), *map(str, parts)]))


@dataclass
class SampleHistory:
    sessions: list[PracticeSession] = field(default_factory=list)
    ratings: list[FacesRating] = field(default_factory=list)
    check_ins: list[IntegrationCheckIn] = field(default_factory=list)
    entries: list[JournalEntry] = field(default_factory=list)
    feelings: list[tuple[int, NamedEmotion]] = field(default_factory=list)  # (entry index, row)
    ruptures: list[Rupture] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(
            len(rows)
            for rows in (
                self.sessions,
                self.ratings,
                self.check_ins,
                self.entries,
                self.feelings,
                self.ruptures,
            )
        )


def build_history(user, first_day: date, last_day: date, seed: int = 5) -> SampleHistory:
    """Unsaved rows for every day from first_day to last_day, on the person's local dates."""
    rng = random.Random(f"{seed}:{first_day}:{last_day}")
    practices = list(Practice.objects.order_by("position", "slug"))
    words = {word.word: word for word in EmotionWord.objects.filter(word__in=WORDS)}
    history = SampleHistory()
    day = first_day
    while day <= last_day:
        # Some days are missed, and a few weeks are quieter: like life.
        quiet_week = (day.toordinal() // 7) % 9 == 0
        if practices and rng.random() < (0.35 if quiet_week else 0.75):
            for number in range(2 if rng.random() < 0.15 else 1):
                history.sessions.append(_session(user, day, number, rng.choice(practices), rng))
        if rng.random() < 0.6:
            scores = {quality: rng.randint(2, 5) for quality in FACES_FIELDS}
            history.ratings.append(
                FacesRating(
                    user=user, public_id=sample_id(user, "faces", day), local_date=day, **scores
                )
            )
        if rng.random() < 0.35:
            history.check_ins.append(
                IntegrationCheckIn(
                    user=user,
                    public_id=sample_id(user, "check-in", day),
                    local_date=day,
                    chaos=rng.randint(0, 7),
                    rigidity=rng.randint(0, 6),
                )
            )
        if rng.random() < 0.3:
            entry = JournalEntry(
                user=user,
                public_id=sample_id(user, "entry", day),
                local_date=day,
                body=rng.choice(BODIES),
            )
            history.entries.append(entry)
            for word in rng.sample(sorted(words), k=min(len(words), rng.randint(1, 2))):
                intensity = rng.randint(2, 5)
                history.feelings.append(
                    (
                        len(history.entries) - 1,
                        NamedEmotion(
                            user=user,
                            public_id=sample_id(user, "feeling", day, word),
                            emotion=words[word],
                            intensity=intensity,
                            intensity_after=max(1, intensity - rng.choice((0, 1, 1, 2)))
                            if rng.random() < 0.6
                            else None,
                        ),
                    )
                )
        if day.toordinal() % 23 == 0:
            repaired = rng.random() < 0.7
            history.ruptures.append(
                Rupture(
                    user=user,
                    public_id=sample_id(user, "rupture", day),
                    relationship=rng.choice(RELATIONSHIPS),
                    what_happened="We talked past each other and both went quiet.",
                    ruptured_on=day,
                    repair_status=RepairStatus.REPAIRED if repaired else RepairStatus.NOT_YET,
                    repaired_on=min(day + timedelta(days=rng.randint(0, 3)), last_day)
                    if repaired
                    else None,
                )
            )
        day += timedelta(days=1)
    return history


def _session(user, day: date, number: int, practice: Practice, rng) -> PracticeSession:
    minutes = practice.default_minutes or 5
    started = datetime.combine(day, time(7, 10) if number == 0 else time(21, 5), tzinfo=user.zone)
    finished = rng.random() < 0.9
    seconds = minutes * 60 if finished else minutes * 60 // 2
    before = rng.randint(2, 7)
    rated = rng.random() < 0.8
    return PracticeSession(
        user=user,
        public_id=sample_id(user, "session", day, number),
        request_id=sample_id(user, "request", day, number),
        practice=practice,
        stage=PracticeSession.Stage.DONE,
        started_at=started,
        ended_at=started + timedelta(seconds=seconds),
        last_seen_at=started + timedelta(seconds=seconds),
        local_date=day,
        planned_seconds=minutes * 60 if practice.is_timed else None,
        seconds_practised=seconds,
        completed=finished,
        before_rating=before if rated else None,
        # Chosen without drawing on rng, so every other sample value stays as it was.
        before_emotion=BEFORE_WORDS[(before + day.toordinal()) % len(BEFORE_WORDS)]
        if rated and (day.toordinal() + number) % 2
        else "",
        after_rating=min(10, before + rng.choice((0, 1, 1, 2, 2, 3))) if rated else None,
        parameters={"minutes": minutes},
    )


def save_history(history: SampleHistory) -> None:
    """Insert the rows in a handful of batched queries."""
    PracticeSession.objects.bulk_create(history.sessions, batch_size=1000)
    FacesRating.objects.bulk_create(history.ratings, batch_size=1000)
    IntegrationCheckIn.objects.bulk_create(history.check_ins, batch_size=1000)
    JournalEntry.objects.bulk_create(history.entries, batch_size=1000)
    for index, feeling in history.feelings:
        entry = history.entries[index]
        feeling.entry_id, feeling.user_id = entry.pk, entry.user_id
    NamedEmotion.objects.bulk_create([feeling for _, feeling in history.feelings], batch_size=1000)
    Rupture.objects.bulk_create(history.ruptures, batch_size=1000)
    # bulk_create sends no post_save: put the written rows in the search's blind index.
    index_new_rows([*history.ratings, *history.check_ins, *history.entries, *history.ruptures])
