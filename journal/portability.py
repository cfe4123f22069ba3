"""The journal in a person's data file: entries with their feelings and tags,
FACES ratings, river check-ins, repair reflections, and the window of tolerance:
the person's signs and their check-ins (see portability.registry)."""

from journal.models import (
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    LookBackPlan,
    NamedEmotion,
    Rupture,
    Tag,
    WindowCheckIn,
    WindowMap,
)
from portability.registry import (
    Catalogue,
    Kind,
    Link,
    Parent,
    Shape,
    leave_out,
    register,
    same_names,
)

# The longest sign a check-in offers, with room to spare.
SIGN_LENGTH = 40

TAGS = Kind(
    key="journal_tags",
    label="Tags",
    model=Tag,
    shape=Shape.NAMES,
    order=5,
    columns={"name": "name"},
    # public_id binds the sealed name to its row; name_key is its keyed fingerprint.
    left_out=frozenset({"id", "user", "public_id", "name_key"}),
)
JOURNAL_ENTRIES = Kind(
    key="journal_entries",
    label="Journal entries",
    model=JournalEntry,
    order=20,
    columns={
        "id": "public_id",
        **same_names(
            "local_date",
            "body",
            "prompt_key",
            "prompt_text",
            "is_draft",
            "created_at",
            "updated_at",
        ),
    },
    links={"tags": Link(by="name", create=True)},
    export_order=("local_date", "created_at", "id"),
    keep_times=("created_at", "updated_at"),
    day="local_date",
    # Entries deleted (and waiting out their undo) are not exported at all.
    left_out=frozenset({"id", "user", "deleted_at"}),
)
NAMED_FEELINGS = Kind(
    key="feelings",
    label="Feelings named in entries",
    model=NamedEmotion,
    order=21,
    columns={
        "id": "public_id",
        "entry": "entry__public_id",
        "word": "emotion__word",
        **same_names("intensity", "body_location", "intensity_after", "created_at"),
    },
    # In the JSON file each entry holds its feelings.
    parent=Parent("journal_entries", "entry", nested_as="feelings"),
    catalogues={"word": Catalogue("feeling")},
    export_order=("created_at", "id"),
    keep_times=("created_at",),
    unique_in_file=(("entry", "emotion"), "“{emotion}” is named twice."),
    # The owner is the entry's owner.
    left_out=frozenset({"id", "user"}),
)
FACES_RATINGS = Kind(
    key="faces_ratings",
    label="FACES ratings",
    model=FacesRating,
    order=30,
    columns={
        "id": "public_id",
        **same_names(
            "local_date",
            "flexible",
            "adaptive",
            "coherent",
            "energized",
            "stable",
            "note",
            "created_at",
            "updated_at",
        ),
    },
    export_order=("local_date",),
    keep_times=("created_at", "updated_at"),
    # One rating per day: a day already rated here keeps its rating.
    one_per="local_date",
    unique_in_file=(("local_date",), "{local_date} is rated more than once."),
    day="local_date",
    left_out=frozenset({"id", "user"}),
)
CHECK_INS = Kind(
    key="integration_check_ins",
    label="River check-ins",
    model=IntegrationCheckIn,
    order=40,
    columns={
        "id": "public_id",
        **same_names(
            "local_date",
            "chaos",
            "rigidity",
            "integration_signs",
            "disintegration_signs",
            "note",
            "created_at",
        ),
    },
    word_lists={"integration_signs": SIGN_LENGTH, "disintegration_signs": SIGN_LENGTH},
    export_order=("local_date", "created_at", "id"),
    keep_times=("created_at",),
    day="local_date",
    left_out=frozenset({"id", "user", "deleted_at"}),
)
RUPTURES = Kind(
    key="ruptures",
    label="Repair reflections",
    model=Rupture,
    order=50,
    columns={
        "id": "public_id",
        **same_names(
            "relationship",
            "what_happened",
            "my_part",
            "repair_status",
            "how_it_went",
            "ruptured_on",
            "repaired_on",
            "created_at",
            "updated_at",
        ),
    },
    links={"felt": Link(by="word", noun="feeling")},
    export_order=("ruptured_on", "created_at", "id"),
    keep_times=("created_at", "updated_at"),
    left_out=frozenset({"id", "user", "deleted_at"}),
)

# The person's own signs, one map per account: restored like a setting, through the
# model's own check (validate_signs).
WINDOW_MAP = Kind(
    key="window_map",
    label="Your window-of-tolerance signs",
    model=WindowMap,
    shape=Shape.SETTINGS,
    order=2,
    columns=same_names("above_signs", "below_signs"),
    restore=("above_signs", "below_signs"),
    left_out=frozenset({"id", "user", "public_id", "updated_at"}),
)
WINDOW_CHECK_INS = Kind(
    key="window_check_ins",
    label="Window check-ins",
    model=WindowCheckIn,
    order=45,
    columns={"id": "public_id", **same_names("state", "checked_at", "local_date")},
    export_order=("checked_at", "id"),
    day="local_date",
    left_out=frozenset({"id", "user"}),
)

register(
    TAGS,
    JOURNAL_ENTRIES,
    NAMED_FEELINGS,
    FACES_RATINGS,
    CHECK_INS,
    RUPTURES,
    WINDOW_MAP,
    WINDOW_CHECK_INS,
)
leave_out(
    LookBackPlan._meta.label,
    "Only whether the fortnightly look back is on, turned on again in one tap; "
    "the look backs themselves are journal entries and travel with them.",
)
