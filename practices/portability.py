"""Practice sessions and planned rest days in a person's data file (see portability.registry)."""

from portability.registry import Catalogue, Kind, register, same_names
from practices.models import PracticeSession, RestDay

PRACTICE_SESSIONS = Kind(
    key="practice_sessions",
    label="Practice sessions",
    model=PracticeSession,
    order=10,
    columns={
        "id": "public_id",
        "practice": "practice__slug",
        **same_names(
            "local_date",
            "started_at",
            "ended_at",
            "stage",
            "completed",
            "logged_manually",
            "seconds_practised",
            "planned_seconds",
            "before_rating",
            "before_emotion",
            "after_rating",
            "notes",
            "parameters",
            "grounding_answers",
            "step",
            "step_began_second",
            "clock_started_at",
            "last_seen_at",
            "request_id",
        ),
    },
    # A grounding session's order of the senses is checked against the practice's steps.
    catalogues={"practice": Catalogue("practice", related=("steps",))},
    export_order=("started_at", "id"),
    # The key of the form that made a session is unique per person; a clash only
    # means the imported session gets a fresh one.
    fresh_if_taken="request_id",
    day="local_date",
    left_out=frozenset({"id", "user"}),
)

REST_DAYS = Kind(
    key="rest_days",
    label="Rest days",
    model=RestDay,
    order=11,
    columns=same_names("local_date", "created_at"),
    export_order=("local_date",),
    keep_times=("created_at",),
    # A rest day the account already has is that rest day: the file's copy adds nothing.
    already_here_by="local_date",
    unique_in_file=(("local_date",), "it names the same rest day twice."),
    day="local_date",
    left_out=frozenset({"id", "user"}),
)

register(PRACTICE_SESSIONS, REST_DAYS)
