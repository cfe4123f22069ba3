"""What we keep about a device: the browser and system families and the kind of
device, read from the user agent by ua-parser. No version, no address, no place."""

from dataclasses import dataclass

from django.db import models
from ua_parser import parse

# Longer user agents are cut before parsing: the families are always near the start.
USER_AGENT_READ_LIMIT = 512


class DeviceKind(models.TextChoices):
    PHONE = "phone", "phone"
    TABLET = "tablet", "tablet"
    COMPUTER = "computer", "computer"


@dataclass(frozen=True)
class Device:
    browser: str
    system: str
    kind: str

    @property
    def label(self) -> str:
        """How the device is named on the pages and in the email: "Firefox on an Android phone"."""
        kind = DeviceKind(self.kind).label
        on = f"{self.system} {kind}" if self.system != UNKNOWN_SYSTEM else kind
        article = "an" if on[0].lower() in "aeiou" else "a"
        return f"{self.browser} on {article} {on}"


UNKNOWN_BROWSER = "An unknown browser"
UNKNOWN_SYSTEM = ""


def _family(value: str | None, unknown: str) -> str:
    return value if value and value != "Other" else unknown  # ua-parser says "Other"


def device_from_user_agent(user_agent: str) -> Device:
    text = user_agent[:USER_AGENT_READ_LIMIT]
    result = parse(text)
    browser = _family(result.user_agent.family if result.user_agent else None, UNKNOWN_BROWSER)
    system = _family(result.os.family if result.os else None, UNKNOWN_SYSTEM)
    model = result.device.family if result.device else ""
    if model == "iPad" or (system == "Android" and "Mobile" not in text):
        kind = DeviceKind.TABLET
    elif "Mobile" in text or system in {"iOS", "Android"}:
        kind = DeviceKind.PHONE
    else:
        kind = DeviceKind.COMPUTER
    return Device(browser=browser[:60], system=system[:60], kind=kind)


def device_of(request) -> Device:
    return device_from_user_agent(request.META.get("HTTP_USER_AGENT", ""))
