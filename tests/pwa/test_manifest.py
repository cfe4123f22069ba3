import json

import pytest
from django.contrib.staticfiles import finders


@pytest.fixture
def manifest(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    return response


def test_it_is_served_as_a_web_app_manifest(manifest):
    assert manifest["Content-Type"] == "application/manifest+json"
    assert "public" in manifest["Cache-Control"]


def test_it_has_what_browsers_need_to_install_the_app(manifest):
    data = json.loads(manifest.content)
    assert data["name"] == "Riverwise"
    assert data["short_name"] == "Riverwise"
    assert data["description"]
    assert data["display"] == "standalone"
    assert data["scope"] == "/"
    assert data["id"] == "/"
    assert data["start_url"].startswith("/?")
    assert data["theme_color"] and data["background_color"]


def test_its_icons_are_the_sizes_browsers_ask_for_including_a_maskable_one(manifest):
    icons = json.loads(manifest.content)["icons"]
    plain = {icon["sizes"] for icon in icons if icon.get("purpose", "any") == "any"}
    maskable = {icon["sizes"] for icon in icons if icon.get("purpose") == "maskable"}
    assert plain == {"192x192", "512x512"}
    assert maskable == {"512x512"}
    for icon in icons:
        assert icon["type"] == "image/png"
        path = finders.find(icon["src"].removeprefix("/static/"))
        with open(path, "rb") as png:
            header = png.read(24)
        width, height = int.from_bytes(header[16:20]), int.from_bytes(header[20:24])
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"{width}x{height}" == icon["sizes"]


def test_every_page_links_the_manifest_theme_colours_and_apple_icon(client, db):
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'name="theme-color" content="#fbfaf7" media="(prefers-color-scheme: light)"' in page
    assert 'name="theme-color" content="#121819" media="(prefers-color-scheme: dark)"' in page
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in page


def test_the_apple_touch_icon_is_180_pixels():
    with open(finders.find("img/apple-touch-icon.png"), "rb") as png:
        header = png.read(24)
    assert (int.from_bytes(header[16:20]), int.from_bytes(header[20:24])) == (180, 180)


def test_it_is_the_same_for_everyone(client, owner):
    anonymous = client.get("/manifest.webmanifest").content
    client.force_login(owner)
    assert client.get("/manifest.webmanifest").content == anonymous
