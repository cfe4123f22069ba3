"""The IANA time zones a person can choose, grouped by region for the picker."""

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


@cache
def timezone_choices() -> list:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(selectable_timezones()):
        region = name.split("/")[0] if "/" in name else "Other"
        place = name.split("/", 1)[1] if "/" in name else name
        grouped.setdefault(region, []).append((name, place.replace("_", " ")))
    return list(grouped.items())
