"""What a device is called, from its user agent (and nothing else)."""

import pytest

from activity.devices import USER_AGENT_READ_LIMIT, device_from_user_agent
from tests.activity.devices import CHROME_ON_ANDROID, FIREFOX_ON_LINUX, SAFARI_ON_IPHONE

IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (FIREFOX_ON_LINUX, "Firefox on a Linux computer"),
        (CHROME_ON_ANDROID, "Chrome Mobile on an Android phone"),
        (SAFARI_ON_IPHONE, "Mobile Safari on an iOS phone"),
        (IPAD, "Mobile Safari on an iOS tablet"),
        (ANDROID_TABLET, "Chrome on an Android tablet"),
        ("", "An unknown browser on a computer"),
        ("curl/8.5.0", "curl on a computer"),
    ],
)
def test_a_device_is_named_by_browser_system_and_kind(user_agent, label):
    assert device_from_user_agent(user_agent).label == label


def test_versions_are_not_kept_so_an_update_is_not_a_new_device():
    older = FIREFOX_ON_LINUX.replace("133.0", "128.0")
    assert device_from_user_agent(older) == device_from_user_agent(FIREFOX_ON_LINUX)


def test_a_huge_user_agent_is_read_only_as_far_as_the_limit():
    device = device_from_user_agent(FIREFOX_ON_LINUX + "x" * 100_000)
    assert device.browser == "Firefox"
    assert len(FIREFOX_ON_LINUX) < USER_AGENT_READ_LIMIT
