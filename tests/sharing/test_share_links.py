"""The person's own page: making a link (shown once), seeing its openings, stopping it."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.test import Client

from sharing.models import LIVE_LINKS_PER_PERSON, ShareLink
from sharing.tasks import forget_old_share_links
from tests.sharing.conftest import FIREFOX_ON_ANDROID, NOW, share

pytestmark = pytest.mark.django_db

URL = "/progress/share/"
MAKE = {
    "start": "2026-10-01",
    "end": "2026-10-31",
    "shows_practice": "on",
    "shows_river": "on",
    "lifetime_days": "14",
}


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_making_a_link_shows_it_once(frozen_now, owner, owner_client):
    response = owner_client.post(URL, MAKE)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = unescape(response.content.decode())
    address = re.search(r'value="(http://localhost:8000/shared/([\w-]+)/)"', html)
    assert address, html[:3000]
    link = ShareLink.objects.for_user(owner).get()
    assert link.sections == {"practice", "river"} and not link.shows_journal
    assert link.expires_at == NOW + timedelta(days=14)
    assert 'data-copy="new-link-address" hidden' in html
    assert 'src="/static/js/share-link.js"' in html
    # Only its hash is kept: the list shows it no more, and the address opens the report.
    assert address[2] not in page(owner_client)
    assert Client().get(address[1].removeprefix("http://localhost:8000")).status_code == 200


def test_the_journal_is_off_unless_ticked_and_every_section_starts_on(frozen_now, owner_client):
    html = page(owner_client)

    for name in ("practice", "faces", "river", "feelings", "repair"):
        assert re.search(rf'name="shows_{name}"[^>]*checked', html), name
    assert not re.search(r'name="shows_journal"[^>]*checked', html)
    assert 'value="2026-10-26"' in html and 'value="2026-11-24"' in html  # the last 30 days


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": "2026-09-01"}, "The end date is before the start date."),
        ({"start": "2025-01-01"}, "A report can cover up to 366 days."),
        ({"lifetime_days": "31"}, "Select a valid choice."),
        ({"lifetime_days": "365"}, "Select a valid choice."),
        ({"shows_practice": "", "shows_river": ""}, "Choose at least one part of the report"),
    ],
)
def test_a_link_the_rules_refuse_is_not_made(frozen_now, owner, owner_client, change, message):
    data = {key: value for key, value in {**MAKE, **change}.items() if value}

    response = owner_client.post(URL, data)

    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not ShareLink.objects.exists()


def test_the_model_refuses_a_lifetime_over_thirty_days(frozen_now, owner):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    with pytest.raises(ValidationError, match="30 days at most"):
        share(owner, lifetime_days=60)
    assert not ShareLink.objects.exists()
    # And the database itself, for any write that skips the model's checks.
    link, _ = share(owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareLink.objects.filter(pk=link.pk).update(lifetime_days=60)


def test_a_person_can_keep_only_so_many_live_links(frozen_now, owner, owner_client):
    for _ in range(LIVE_LINKS_PER_PERSON):
        share(owner)

    response = owner_client.post(URL, MAKE)

    assert response.status_code == 400
    assert "Stop one you no longer need" in unescape(response.content.decode())
    assert ShareLink.objects.count() == LIVE_LINKS_PER_PERSON


def test_openings_show_beside_the_link(frozen_now, owner, owner_client):
    _, token = share(owner)
    Client(headers={"User-Agent": FIREFOX_ON_ANDROID}).get(f"/shared/{token}/")

    html = page(owner_client)

    assert "Opened 1 time, last on 24 Nov, 16:00" in html  # in Europe/Berlin
    assert "Tue 24 Nov, 16:00: Firefox on Android" in html
    assert "Works until 1 Dec, 16:00." in html


def test_stopping_a_link_takes_one_tap_and_shows_in_the_list(frozen_now, owner, owner_client):
    link, token = share(owner)

    response = owner_client.post(f"{URL}{link.public_id}/stop/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert html.lstrip().startswith(f'<li class="card share-link" id="link-{link.public_id}">')
    assert "Stopped on 24 Nov, 16:00. It no longer opens." in html
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert Client().get(f"/shared/{token}/").status_code == 404
    # Without script the form posts and comes back to the list.
    again = owner_client.post(f"{URL}{link.public_id}/stop/")
    assert again.status_code == 302 and again["Location"] == URL


def test_a_stranger_can_neither_see_nor_stop_someone_elses_links(
    frozen_now, owner, stranger_client
):
    link, token = share(owner)

    html = page(stranger_client)
    response = stranger_client.post(f"{URL}{link.public_id}/stop/")

    assert f"link-{link.public_id}" not in html and "No links yet." in html
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert Client().get(f"/shared/{token}/").status_code == 200


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_reads_in_a_fixed_number_of_queries(
    frozen_now, owner, owner_client, django_assert_max_num_queries
):
    for _ in range(5):
        _, token = share(owner)
        Client().get(f"/shared/{token}/")
    # The session, the person, the device (activity), the links and their openings.
    with django_assert_max_num_queries(5):
        page(owner_client)


def test_links_that_ended_a_month_ago_are_forgotten_with_their_openings(frozen_now, owner):
    old, old_token = share(owner, lifetime_days=1)
    Client().get(f"/shared/{old_token}/")
    stopped, _ = share(owner, lifetime_days=30)
    stopped.revoke()
    frozen_now.shift(timedelta(days=31))
    recent, _ = share(owner, lifetime_days=7)
    stopped_later, _ = share(owner)
    stopped_later.revoke()

    assert forget_old_share_links() == 3  # two links and one opening

    assert set(ShareLink.objects.values_list("pk", flat=True)) == {recent.pk, stopped_later.pk}


def test_the_model_rejects_an_expiry_past_thirty_days(frozen_now, owner):
    from django.core.exceptions import ValidationError

    link, _ = share(owner)
    link.expires_at = link.created_at + timedelta(days=31)
    with pytest.raises(ValidationError, match="30 days at most"):
        link.full_clean()


def test_the_report_range_rule_is_the_models(frozen_now, owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="up to 366 days"):
        share(owner, start=date(2025, 1, 1), end=date(2026, 10, 1))


def test_the_page_sits_under_me_in_the_navigation(owner_client):
    html = page(owner_client)
    me = re.search(r'<a href="/accounts/me/"([^>]*)>', html)
    assert 'aria-current="page"' in me[1]
    assert 'href="/progress/share/"' in owner_client.get("/accounts/me/").content.decode()
