"""The IANA time zones a person can choose, and how a typed zone is understood."""

import difflib
import zoneinfo
from functools import cache

# Legacy aliases (US/Eastern, Etc/GMT+5, ...) confuse more than they help.
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@cache
def selectable_timezones() -> frozenset[str]:
    names = {name for name in zoneinfo.available_timezones() if name.split("/")[0] in REGIONS}
    return frozenset(names | {"UTC"})


def _key(text: str) -> str:
    """What a typed zone is compared by: case, spaces and underscores don't matter."""
    return " ".join(text.replace("_", " ").split()).casefold()


@cache
def _zones_by_key() -> dict[str, str]:
    """Each zone under its full name, and under its place alone where that is unique
    ("berlin" is Europe/Berlin; "buenos aires" is America/Argentina/Buenos_Aires)."""
    by_place: dict[str, list[str]] = {}
    for name in selectable_timezones():
        by_place.setdefault(_key(name.rsplit("/", 1)[-1]), []).append(name)
    keys = {place: names[0] for place, names in by_place.items() if len(names) == 1}
    keys.update({_key(name): name for name in selectable_timezones()})
    return keys


def find_timezone(typed: str) -> str | None:
    """The zone a person meant by what they typed, or None if it is not one of ours."""
    return _zones_by_key().get(_key(typed))


def similar_timezones(typed: str, limit: int = 3) -> list[str]:
    """Zones close to a near miss ("Europe/Berln", "Lisbn"), for the error message."""
    keys = _zones_by_key()
    close = difflib.get_close_matches(_key(typed), keys, n=limit * 2, cutoff=0.6)
    return list(dict.fromkeys(keys[key] for key in close))[:limit]
