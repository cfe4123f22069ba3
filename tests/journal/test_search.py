import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from journal.models import EmotionWord, JournalEntry
from journal.search import JournalFilters, excerpt, rough_stem, search_journal
from tests.journal.factories import make_check_in, make_entry, make_faces, make_rupture
from vault.blind_index import index_new_rows
from vault.models import SearchToken

URL = "/journal/search/"
HTMX = {"HX-Request": "true"}


def found(response) -> list[str]:
    """The public ids of results, in the order shown."""
    html = response.content.decode()
    section = html[html.index('id="results"') :]
    return re.findall(r'href="/journal/(?:repair/)?([0-9a-f-]{36})/"', section)


def ids(*items) -> list[str]:
    return [str(item.public_id) for item in items]


def test_it_works(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and 'hx-push-url="true"' in html
    assert "Everything, newest first" in html


def test_better_matches_come_first(owner_client, owner):
    once = make_entry(owner, body="The river was calm today.", local_date=date(2026, 3, 9))
    often = make_entry(
        owner,
        body="River, river, river. I kept thinking of the river.",
        local_date=date(2026, 3, 1),
    )
    make_entry(owner, body="Nothing about water at all.", local_date=date(2026, 3, 10))
    rows = list(search_journal(owner, JournalFilters(q="river")))
    assert [row[1] for row in rows] == [often.public_id, once.public_id]  # older, but better
    assert rows[0][3] > rows[1][3] > 0
    if connection.vendor == "postgresql":
        # Real full-text search: words are stemmed, and every word must match.
        plural = make_entry(owner, body="Rivers and streams.", local_date=date(2026, 3, 2))
        walked = make_entry(owner, body="I walked by the water.", local_date=date(2026, 3, 3))
        assert plural.public_id in [r[1] for r in search_journal(owner, JournalFilters(q="river"))]
        assert [r[1] for r in search_journal(owner, JournalFilters(q="walking water"))] == [
            walked.public_id
        ]
        assert not list(search_journal(owner, JournalFilters(q='"river calm"')))
    else:
        # The fallback: every word must appear; more occurrences rank higher.
        both = make_entry(owner, body="A calm river, a calm sky.", local_date=date(2026, 3, 2))
        rows = list(search_journal(owner, JournalFilters(q="calm river")))
        assert [r[1] for r in rows] == [both.public_id, once.public_id]
    assert found(owner_client.get(URL, {"q": "river"}))[:2] == ids(often, once)


def test_other_forms_of_a_word_are_found_too(owner):
    walked = make_entry(owner, body="I walked by the rivers.")
    for words in ["walking", "walks", "river"]:
        assert [r[1] for r in search_journal(owner, JournalFilters(q=words))] == [
            walked.public_id
        ], words


@pytest.mark.parametrize(
    ("word", "stem"),
    [("rivers", "river"), ("walked", "walk"), ("walking", "walk"), ("kiss", "kiss"), ("is", "is")],
)
def test_the_fallbacks_rough_stem_trims_common_endings(word, stem):
    assert rough_stem(word) == stem


def test_search_finds_faces_notes_check_ins_and_ruptures_too(owner_client, owner):
    make_faces(owner, date(2026, 3, 3), note="Slept badly, felt scattered")
    make_check_in(owner, note="Meeting ran long and I felt scattered", local_date=date(2026, 3, 4))
    rupture = make_rupture(owner, what_happened="We were both scattered and snapped")
    html = owner_client.get(URL, {"q": "scattered"}).content.decode()
    assert "3 results" in html
    assert "FACES rating" in html and "Integration check-in" in html
    assert "Rupture and repair" in html
    assert "<mark>scattered</mark>" in html
    assert found(owner_client.get(URL, {"q": "snapped"})) == ids(rupture)


def test_filters_by_feeling_kind_of_feeling_tag_kind_and_dates(owner_client, owner):
    worried = make_entry(
        owner, feelings=[("anxious", 4)], tags=["work"], local_date=date(2026, 3, 1)
    )
    settled = make_entry(owner, feelings=[("calm", 2)], tags=["rest"], local_date=date(2026, 3, 5))
    rupture = make_rupture(owner, felt=["anxious"], ruptured_on=date(2026, 3, 3))
    make_faces(owner, date(2026, 3, 6))

    def search(**params):
        return found(owner_client.get(URL, params))

    assert search(emotion="anxious") == ids(rupture, worried)
    assert search(quadrant="low-pleasant") == ids(settled)
    assert search(tag="work") == ids(worried)
    assert search(kind="rupture") == ids(rupture)
    assert search(date_from="2026-03-02", date_to="2026-03-04") == ids(rupture)
    html = owner_client.get(URL, {"date_from": "2026-03-05"}).content.decode()
    assert "2 results" in html and "FACES rating" in html


def test_results_are_paginated_and_each_page_keeps_the_filters(owner_client, owner):
    for day in range(1, 26):
        make_entry(owner, body=f"Work day {day}", tags=["work"], local_date=date(2026, 2, day))
    make_entry(owner, body="A rest day", tags=["rest"])
    response = owner_client.get(URL, {"tag": "work", "q": "work"})
    html = response.content.decode()
    assert "25 results, page 1 of 2" in html
    assert 'href="/journal/search/?tag=work&amp;q=work&amp;page=2"' in html
    assert '<option value="work" selected>work</option>' in html
    second = owner_client.get(URL, {"tag": "work", "q": "work", "page": "2"})
    assert len(found(second)) == 5
    assert "A rest day" not in second.content.decode()
    assert 'href="/journal/search/?tag=work&amp;q=work&amp;page=1"' in second.content.decode()


def test_nothing_of_anyone_else_and_nothing_deleted_is_found(owner_client, owner, stranger):
    make_entry(stranger, body="river of the stranger")
    make_rupture(stranger, what_happened="river argument")
    make_entry(owner, body="river deleted").soft_delete()
    response = owner_client.get(URL, {"q": "river"})
    assert found(response) == []
    assert "Nothing found" in response.content.decode()


def test_htmx_gets_only_the_results_and_history_restore_gets_the_page(owner_client, owner):
    make_entry(owner, body="river")
    response = owner_client.get(URL, {"q": "river"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"') and "<header" not in html
    assert "HX-Request" in response["Vary"]
    restore = owner_client.get(
        URL, {"q": "river"}, headers=HTMX | {"HX-History-Restore-Request": "true"}
    )
    assert "<header" in restore.content.decode()


def test_a_backwards_date_range_is_explained(owner_client):
    response = owner_client.get(URL, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_the_search_page_query_count_does_not_grow_with_results(
    owner_client, owner, django_assert_max_num_queries
):
    for n in range(25):
        make_entry(owner, body=f"river {n}", feelings=[("calm", 2), ("sad", 1)], tags=["a", "b"])
    for n in range(3):
        make_rupture(owner, what_happened=f"river {n}", felt=["hurt", "sad"])
        make_check_in(owner, note=f"river {n}")
    make_faces(owner, note="river")
    with django_assert_max_num_queries(15):
        response = owner_client.get(URL, {"q": "river"})
    assert "32 results, page 1 of 2" in response.content.decode()
    with django_assert_max_num_queries(15):
        owner_client.get(URL)


def test_words_are_found_through_the_blind_index_not_a_full_text_index(owner):
    # Changed with encryption at rest: a full-text index would hold the words.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%to_tsvector%'")
            assert cursor.fetchone() == (0,)
    entry = make_entry(owner, body="The RIVER rose")
    assert [r[1] for r in search_journal(owner, JournalFilters(q="river"))] == [entry.public_id]
    assert [r[1] for r in search_journal(owner, JournalFilters(q="-rose river"))] == []
    assert [r[1] for r in search_journal(owner, JournalFilters(q='"river rose"'))] == [
        entry.public_id
    ]
    assert not search_journal(owner, JournalFilters(q='"rose river"'))
    # A stem that does not begin like its word is still counted (ranking stems every word).
    dying = make_entry(owner, "The dying light, the happy skies")
    for words in ["die", "happiness", "sky", '"dies light"', '"happy sky"']:
        assert [r[1] for r in search_journal(owner, JournalFilters(q=words))] == [dying.public_id]


def test_an_excerpt_is_escaped_and_marks_the_words_found():
    text = "Before " * 40 + "the <b>river</b> & the Rivers beyond " + "after " * 40
    html = str(excerpt(text, ["rivers"]))
    assert "&lt;b&gt;<mark>river</mark>&lt;/b&gt; &amp; the <mark>River</mark>s" in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html) < 400


# Five years of entries: ranked by the index's sealed counts ------------------------


def write_daily(user, days: int, body: str, first=date(2021, 3, 1)) -> list[JournalEntry]:
    """One entry a day, made in bulk and indexed as imports and the sample history are."""
    entries = [
        JournalEntry(user=user, local_date=first + timedelta(days=n), body=body)
        for n in range(days)
    ]
    JournalEntry.objects.bulk_create(entries, batch_size=500)
    index_new_rows(entries)
    return entries


def test_the_best_match_comes_first_when_a_common_word_is_in_thousands_of_entries(
    owner_client, owner
):
    write_daily(owner, 5 * 365, "Walked by the river in the morning.")
    best = make_entry(
        owner, body="River, river, river: the river all day.", local_date=date(2021, 1, 1)
    )
    second = make_entry(owner, body="The river and the river again.", local_date=date(2021, 1, 2))
    rows = search_journal(owner, JournalFilters(q="rivers"))
    assert len(rows) == 5 * 365 + 2
    assert [row.result_id for row in rows[:2]] == [best.public_id, second.public_id]
    assert [row.result_rank for row in rows[:3]] == [4.0, 2.0, 1.0]
    # Among equals the newest comes first.
    assert rows[2].result_date == date(2021, 3, 1) + timedelta(days=5 * 365 - 1)
    response = owner_client.get(URL, {"q": "rivers"})
    assert "1827 results, page 1 of 92" in response.content.decode()  # 20 a page
    assert found(response)[:2] == ids(best, second)
    last = owner_client.get(URL, {"q": "rivers", "page": "92"})
    assert "page 92 of 92" in last.content.decode()
    assert found(last) == [str(row.result_id) for row in rows[-7:]]


def test_a_left_out_word_leaves_out_every_row_holding_it_whatever_its_form(owner):
    write_daily(owner, 400, "Calm at work today.")
    calm = write_daily(owner, 3, "Calm by the water.", first=date(2026, 1, 1))
    make_entry(owner, body="Calm, though working late.", local_date=date(2026, 2, 1))
    rows = search_journal(owner, JournalFilters(q="calm -work"))
    assert [row.result_id for row in rows] == [entry.public_id for entry in reversed(calm)]


def test_entries_indexed_before_counts_were_kept_are_still_ranked_by_their_words(owner):
    once = make_entry(owner, body="The river was calm today.", local_date=date(2026, 3, 9))
    often = make_entry(owner, body="River, river, river.", local_date=date(2026, 3, 1))
    SearchToken.objects.filter(row_id=often.public_id).update(sealed_count=b"")
    rows = search_journal(owner, JournalFilters(q="river"))
    assert [(row.result_id, row.result_rank) for row in rows] == [
        (often.public_id, 3.0),
        (once.public_id, 1.0),
    ]


def test_a_phrase_is_still_checked_word_by_word_among_thousands(owner):
    write_daily(owner, 800, "A quiet morning, then the evening.")
    side_by_side = make_entry(owner, body="A quiet evening, a quiet evening.")
    rows = search_journal(owner, JournalFilters(q='"quiet evening"'))
    assert [(row.result_id, row.result_rank) for row in rows] == [(side_by_side.public_id, 4.0)]


@pytest.mark.parametrize("q", ["river", "calm river", "river -work", '"calm river"', "zeppelin"])
def test_the_search_makes_as_many_queries_over_five_years_as_over_a_week(owner, stranger, q):
    counts = []
    for user, days in ((owner, 7), (stranger, 5 * 365)):
        write_daily(user, days, "A calm river, then work.")
        make_entry(user, body="A calm river.", feelings=[("calm", 2)], tags=["water"])
        make_rupture(user, what_happened="A calm river, then a row.", felt=["hurt"])
        make_check_in(user, note="calm river")
        make_faces(user, note="calm river")
        client = Client()
        client.force_login(user)
        client.get("/progress/data/")  # the session and the key are read once before
        EmotionWord.vocabulary()  # and a running process has its copy of the words
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"q": q})
        assert response.status_code == 200
        counts.append(len(queries))
    week, five_years = counts
    assert week == five_years <= 17  # as many as before counts were kept


def test_among_equal_matches_on_one_day_the_one_written_last_comes_first(owner):
    day = date(2026, 3, 10)
    first = make_entry(owner, body="The river.", local_date=day)
    check_in = make_check_in(owner, note="The river.", local_date=day)
    last = make_entry(owner, body="The river.", local_date=day)
    written = {
        first: datetime(2026, 3, 10, 8, 0, 0, tzinfo=UTC),
        check_in: datetime(2026, 3, 10, 8, 0, 0, 500000, tzinfo=UTC),  # half a second later
        last: datetime(2026, 3, 10, 21, 5, 0, tzinfo=UTC),
    }
    for row, created_at in written.items():
        type(row).objects.filter(pk=row.pk).update(created_at=created_at)
    for q in ("river", '"the river"'):
        rows = search_journal(owner, JournalFilters(q=q))
        assert [row.result_id for row in rows] == [
            last.public_id,
            check_in.public_id,
            first.public_id,
        ], q


def test_a_page_of_results_loads_only_the_searchers_own_rows(owner, stranger):
    from journal.search import load_results

    theirs = make_entry(stranger, body="A calm river walk.")
    mine = make_entry(owner, body="A calm river walk too.")
    rows = [("entry", theirs.public_id, None, 1.0), ("entry", mine.public_id, None, 1.0)]
    results = load_results(owner, rows, ["river"])
    assert [result.item.public_id for result in results] == [mine.public_id]
