import re

from journal.models import JournalEntry
from journal.prompts import prompt_for
from tests.journal.factories import make_check_in, make_entry, make_faces, make_rupture

URL = "/journal/"
HTMX = {"HX-Request": "true"}


def test_it_works(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Your journal</h1>" in html
    # The main nav's Journal tab (an icon, then the word).
    assert re.search(
        r'href="/journal/"\s+aria-current="page">[^<]*<svg.*?<span>Journal</span></a>', html, re.S
    )
    prompt = prompt_for(owner, owner.local_today())
    assert f'href="/journal/new/?prompt={prompt.key}"' in html
    assert "Rate FACES for today" in html and "Do an integration check-in" in html
    assert "Nothing here yet." in html
    assert "no-store" in response["Cache-Control"]


def test_it_needs_a_login(client):
    assert client.get(URL)["Location"].startswith("/accounts/login/?next=/journal/")


def test_it_shows_what_was_done_today_and_what_is_still_open(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    today = owner.local_today()
    make_faces(owner, today)
    make_check_in(owner, local_date=today)
    make_check_in(owner, local_date=today)
    make_rupture(owner, ruptured_on=today)
    make_entry(owner, body="Half written", is_draft=True)
    html = owner_client.get(URL).content.decode()
    assert "You rated FACES today." in html
    assert "You checked in 2 times today." in html
    assert "1 moment of disconnection is waiting for repair, whenever you feel ready." in html
    assert "Unfinished drafts" in html and "Half written" in html


def test_another_prompt_is_swapped_in_and_remembered_for_the_day(owner_client, owner):
    today = owner.local_today()
    first = prompt_for(owner, today)
    response = owner_client.get("/journal/prompt/?skip=1", headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="prompt-card"')
    second = prompt_for(owner, today, 1)
    assert second.key != first.key
    assert f"?prompt={second.key}" in html and "?skip=2" in html
    assert f"?prompt={second.key}" in owner_client.get(URL).content.decode()


def test_without_script_asking_for_another_prompt_reloads_the_home(owner_client):
    response = owner_client.get("/journal/prompt/?skip=1")
    assert response.status_code == 302 and response["Location"] == "/journal/"


def test_the_entry_form_can_switch_prompts_or_go_without(owner_client, owner):
    today = owner.local_today()
    html = owner_client.get("/journal/prompt/?place=form&skip=2", headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div id="form-prompt"')
    assert f'name="prompt_key" value="{prompt_for(owner, today, 2).key}"' in html
    none = owner_client.get("/journal/prompt/?place=form&none=1", headers=HTMX).content.decode()
    assert 'name="prompt_key" value=""' in none and "Would a prompt help?" in none


def test_the_home_page_query_count_does_not_grow_with_entries(
    owner_client, owner, django_assert_max_num_queries
):
    for n in range(12):
        make_entry(owner, body=f"entry {n}", feelings=[("calm", 2), ("sad", 3)], tags=["a", "b"])
    with django_assert_max_num_queries(14):
        response = owner_client.get(URL)
    assert response.content.decode().count('class="entry-summary"') == 10
    assert JournalEntry.objects.count() == 12
