"""The account's settings in a person's data file (see portability.registry)."""

from accounts.days import day_end_label
from accounts.models import User
from portability.registry import Kind, Shape, register, same_names


def describe_changes(user: User, values: dict) -> list[tuple[str, str]]:
    """(what, new value) for each setting an import would change."""
    changes = []
    if "display_name" in values and values["display_name"] != user.display_name:
        changes.append(("Display name", values["display_name"] or "(none)"))
    if "timezone" in values and values["timezone"] != user.timezone:
        changes.append(("Time zone", values["timezone"]))
    if "day_ends_at" in values and values["day_ends_at"] != user.day_ends_at:
        changes.append(("Your day ends", day_end_label(values["day_ends_at"])))
    if "hide_streaks" in values and values["hide_streaks"] != user.hide_streaks:
        changes.append(("Streaks", "hidden" if values["hide_streaks"] else "shown"))
    return changes


ACCOUNT = Kind(
    key="account",
    label="Your settings",
    model=User,
    shape=Shape.SETTINGS,
    order=0,
    columns={
        "id": "public_id",
        **same_names(
            "email",
            "display_name",
            "timezone",
            "day_ends_at",
            "hide_streaks",
            "date_joined",
            "last_login",
        ),
    },
    restore=("display_name", "timezone", "day_ends_at", "hide_streaks"),
    describe=describe_changes,
    # Sign-in secrets, staff flags and the cache counter are not the person's content.
    left_out=frozenset(
        {
            "id",
            "password",
            "is_superuser",
            "is_staff",
            "is_active",
            "groups",
            "user_permissions",
            "data_version",
        }
    ),
)

register(ACCOUNT)
