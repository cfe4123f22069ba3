"""Planning a rest day on a phone: one tap, in place, with the focus kept."""

from datetime import timedelta

from playwright.sync_api import expect

from practices.models import RestDay
from tests.browser.measure import Journey, phone, widest_overflow
from tests.browser.test_feelings_on_a_phone import signed_in  # noqa: F401 (a fixture)


@phone
def test_a_rest_day_is_one_tap_and_a_second_tap_takes_it_back(page, a11y, signed_in):  # noqa: F811
    page.goto("/progress/rest-days/")
    a11y()
    assert widest_overflow(page) == []
    journey = Journey(page)
    tomorrow = page.get_by_role("button", name="Rest day,").nth(1)
    journey.tap(tomorrow)
    tomorrow = page.get_by_role("button", name="Rest day,").nth(1)
    expect(tomorrow).to_have_attribute("aria-pressed", "true")
    expect(tomorrow).to_be_focused()  # the swap keeps the place of the tap
    assert journey.taps == 1 and journey.scrolled == 0
    (rest_day,) = RestDay.objects.filter(user=signed_in)
    assert rest_day.local_date == signed_in.local_today() + timedelta(days=1)
    a11y()
    journey.tap(tomorrow)
    expect(page.get_by_role("button", name="Rest day,").nth(1)).to_have_attribute(
        "aria-pressed", "false"
    )
    assert not RestDay.objects.filter(user=signed_in).exists()
