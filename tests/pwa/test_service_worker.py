import re

import pytest

from pwa import offline


@pytest.fixture
def worker(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    return response


def test_it_is_javascript_from_the_root_checked_on_every_visit(worker):
    assert worker["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in worker["Cache-Control"]
    assert "no-store" not in worker["Cache-Control"]


def test_it_is_the_same_for_everyone(client, owner):
    anonymous = client.get("/sw.js").content
    client.force_login(owner)
    signed_in = client.get("/sw.js")
    assert signed_in.content == anonymous
    assert "no-store" not in signed_in["Cache-Control"]


def test_it_lists_the_static_files_and_every_practice_page(worker):
    text = worker.content.decode()
    for url in [
        "/static/css/site.css",
        "/static/js/practices-guide.js",
        "/static/js/practices-on-this-device.js",
        "/static/django_htmx/htmx-2.min.js",
        "/practices/breathwork/on-this-device/",
        "/practices/meditation-timer/on-this-device/",
        "/offline/",
        "/crisis/",
    ]:
        assert f'"{url}"' in text
    # The push handlers' file comes last, its icon one of the app's own.
    push = text.index('self.addEventListener("push"')
    assert push > text.index('self.addEventListener("fetch"')
    assert 'self.addEventListener("notificationclick"' in text[push:]
    assert "/static/img/icon-192" in text[push:]


def test_its_cache_name_carries_the_version_of_the_static_files(worker):
    version = re.search(r'const VERSION = "([0-9a-f]{12})"', worker.content.decode()).group(1)
    assert version == offline.offline_version()


def test_the_version_changes_when_a_static_file_changes(client, db, settings, tmp_path):
    (tmp_path / "css").mkdir()
    style = tmp_path / "css" / "site.css"
    style.write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [tmp_path]
    before = client.get("/sw.js").content.decode()
    style.write_text("body { color: navy; }")
    after = client.get("/sw.js").content.decode()
    version = re.compile(r'const VERSION = "(\w+)"')
    assert version.search(before).group(1) != version.search(after).group(1)


def test_the_version_stays_when_nothing_changed(client, db):
    first = client.get("/sw.js").content
    assert client.get("/sw.js").content == first


def test_the_offline_page_names_nobody(client, owner):
    page = client.get("/offline/")
    assert page.status_code == 200
    assert "data-pwa-owner" not in page.content.decode()
    assert "no-cache" in page["Cache-Control"]
    client.force_login(owner)
    signed_in = client.get("/offline/")
    assert "no-store" in signed_in["Cache-Control"]
    assert str(owner.public_id) not in signed_in.content.decode()


def test_signed_in_pages_name_their_owner_for_the_offline_copies(client, owner):
    client.force_login(owner)
    assert f'data-pwa-owner="{owner.public_id}"' in client.get("/").content.decode()


def test_signed_out_pages_name_nobody_so_the_copies_are_cleared(client, db):
    assert 'data-pwa-owner=""' in client.get("/accounts/login/").content.decode()


def test_the_help_page_is_linked_from_the_footer_and_settings(client, owner):
    assert client.get("/add-to-home-screen/").status_code == 200
    assert 'href="/add-to-home-screen/"' in client.get("/").content.decode()
    client.force_login(owner)
    assert 'href="/add-to-home-screen/"' in client.get("/accounts/settings/").content.decode()


def test_it_costs_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):  # the practices' addresses
        client.get("/sw.js")
