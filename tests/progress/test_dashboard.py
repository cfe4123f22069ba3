import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest

from progress.scores import practice_strength
from tests.journal.factories import make_check_in, make_entry, make_faces
from tests.progress.factories import make_history, make_session

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    # Midday in Berlin (the owner's zone) and in New York (the stranger's).
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


def page(client, query="", path="/", **headers):
    response = client.get(f"{path}{query}", headers=headers)
    assert response.status_code == 200
    return response, unescape(response.content.decode())


def heat_minutes(html: str) -> dict[str, int]:
    """The practice calendar's squares: day -> minutes, from each square's title."""
    return {
        day: int(minutes)
        for day, minutes in re.findall(
            r'<rect class="heat heat-\d"[^>]*><title>([^<:]+): (\d+) minutes?</title>', html
        )
    }


def table_rows(html: str, caption: str) -> dict[str, list[str]]:
    """The rows of the data table with this caption: heading -> cells."""
    table = re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    assert table, caption
    return {
        heading: re.findall(r"<td>([^<]*)</td>", cells)
        for heading, cells in re.findall(
            r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table.group(1)
        )
    }


def patterns(client, query="", **headers):
    return page(client, query, "/progress/patterns/", **headers)


def test_a_new_person_meets_where_to_start_and_no_empty_charts(owner_client):
    _, html = page(owner_client)
    assert "Hello, Olive" in html
    assert "Start here" in html
    assert "<svg" not in html.split("<main")[1] and "Show the numbers" not in html
    for idea in ("FACES", "The river", "SIFT"):
        assert f"<dt>{idea}</dt>" in html
    # A three-minute first practice, started by the practice's own start view.
    form = re.search(r'<form method="post" action="/practices/breathwork/"(.*?)</form>', html, re.S)
    assert form and 'name="minutes" value="3"' in form.group(1)
    assert "Breathe for 3 minutes" in form.group(1)
    # Olive already has a name, so nobody asks for it.
    assert 'name="display_name"' not in html
    # The practices and journal links stay on the home page.
    assert 'href="/practices/"' in html and 'href="/journal/"' in html
    assert 'href="/progress/patterns/"' in html


def test_a_person_with_some_data_but_no_practice_sees_sentences_not_empty_charts(
    owner_client, owner
):
    make_faces(owner, local_date=TODAY - timedelta(days=3), score=3)
    _, html = page(owner_client)
    assert "Start here" not in html
    assert "Your practice strength begins with your first practice" in html
    assert "No practice in the last 12 months yet" in html
    assert "No practice in the last 26 weeks yet" in html
    assert "Nothing recorded yet today, and that's fine" in html
    assert "FACES not rated yet today" in html and 'href="/journal/faces/"' in html
    assert "Suggested for today:" in html
    assert "in a row" not in html
    assert "<svg" not in html.split("<main")[1]
    _, html = patterns(owner_client)
    assert "each one once there are at least 10 records behind it" in html
    assert "No river check-ins in the last 90 days" in html


def test_it_shows_strength_streaks_and_todays_practice(owner_client, owner):
    for days_ago in (0, 1, 2, 5, 6, 7, 8):
        make_session(owner, TODAY - timedelta(days=days_ago), minutes=10)
    make_faces(owner, local_date=TODAY, score=4)
    _, html = page(owner_client)
    days = {TODAY - timedelta(days=n) for n in (0, 1, 2, 5, 6, 7, 8)}
    strength = round(practice_strength(days, TODAY) * 100)
    assert f'value="{strength}"' in html and f"{strength}%" in html
    assert "You've practised 3 days in a row; your longest run is 4 days." in html
    assert "You've practised today: 10 minutes." in html
    assert "You've rated FACES today." in html and "FACES not rated" not in html


def test_an_unfinished_session_is_time_practised_but_not_a_practised_day(owner_client, owner):
    make_session(owner, TODAY - timedelta(days=1), minutes=10)
    make_session(owner, TODAY, minutes=4, completed=False)
    _, html = page(owner_client)
    assert "You've spent 4 minutes practising today." in html
    assert "A new run of days has begun" in html


def test_a_missed_stretch_is_described_without_blame(owner_client, owner):
    for days_ago in (10, 11, 12):
        make_session(owner, TODAY - timedelta(days=days_ago))
    _, html = page(owner_client)
    assert "Your longest run so far is 3 days. Any day is a good day to begin a new one." in html
    for word in ("broke", "lost", "failed", "missed your"):
        assert word not in html.lower()


def test_hidden_streaks_leave_only_the_forgiving_strength(owner_client, owner):
    for days_ago in range(5):
        make_session(owner, TODAY - timedelta(days=days_ago))
    owner.hide_streaks = True
    owner.save(update_fields=["hide_streaks"])
    _, html = page(owner_client)
    assert "Practice strength" in html
    assert "in a row" not in html and "longest" not in html and "run of days" not in html


def test_the_calendar_shows_minutes_per_local_day_for_twelve_months(owner_client, owner):
    make_session(owner, TODAY - timedelta(days=2), minutes=10)
    make_session(owner, TODAY - timedelta(days=2), minutes=15, completed=False)
    make_session(owner, TODAY, minutes=5)
    make_session(owner, date(2025, 11, 25), minutes=3)  # the first day shown
    make_session(owner, date(2025, 11, 24), minutes=50)  # a year ago today: not shown
    _, html = page(owner_client)
    minutes = heat_minutes(html)
    assert len(minutes) == 365
    assert next(iter(minutes)) == "Tuesday 25 November 2025"
    assert minutes["Sunday 22 November 2026"] == 25
    assert minutes["Tuesday 24 November 2026"] == 5
    assert minutes["Wednesday 18 November 2026"] == 0
    assert minutes["Tuesday 25 November 2025"] == 3
    # The busiest day is the darkest square; a day without practice is blank.
    assert re.search(r'class="heat heat-4"[^>]*><title>Sunday 22 November 2026:', html)
    assert re.search(r'class="heat heat-0"[^>]*><title>Wednesday 18 November 2026:', html)
    assert "In the last 12 months you practised on 3 days, 33 minutes in all." in html
    months = table_rows(html, "Days practised and minutes, by month, last 12 months")
    assert list(months)[0] == "November 2025" and list(months)[-1] == "November 2026"
    assert months["November 2026"] == ["2", "30"] and months["November 2025"] == ["1", "3"]


def test_minutes_per_week_are_stacked_by_kind_of_practice(owner_client, owner):
    make_session(owner, TODAY, minutes=10, slug="breathwork")
    make_session(owner, TODAY - timedelta(days=1), minutes=5, slug="body-scan")
    make_session(owner, TODAY - timedelta(days=2), minutes=7, slug="meditation-timer")
    make_session(owner, TODAY - timedelta(days=7), minutes=4, slug="grounding")
    make_session(owner, TODAY - timedelta(weeks=26), minutes=60)  # before the 26 weeks
    _, html = page(owner_client)
    weeks = table_rows(html, "Minutes practised per week, by kind of practice")
    assert len(weeks) == 26
    assert list(weeks)[0] == "Week of 1 June 2026"
    # Body, Breath, Grounding, Awareness, All
    assert weeks["Week of 23 November 2026"] == ["5", "10", "0", "0", "15"]
    assert weeks["Week of 16 November 2026"] == ["0", "0", "4", "7", "11"]
    for kind in ("body", "breath", "grounding", "awareness"):
        assert f'<rect class="category-{kind}"' in html
    assert "Week of 23 November 2026: Breath, 10 minutes" in html
    assert "body 5 minutes; breath 10 minutes; grounding 4 minutes; awareness 7 minutes" in html


def test_faces_are_five_small_charts_of_a_seven_day_rolling_mean(owner_client, owner):
    make_faces(owner, local_date=TODAY - timedelta(days=8), score=1)  # out of today's window
    make_faces(owner, local_date=TODAY - timedelta(days=6), score=5)
    make_faces(owner, local_date=TODAY - timedelta(days=1), score=4)
    make_faces(owner, local_date=TODAY, score=3)
    _, html = patterns(owner_client)
    for quality in ("flexible", "adaptive", "coherent", "energized", "stable"):
        assert re.search(rf'<g class="chart-line line-{quality}"><polyline points=', html)
        assert f'<h4 id="faces-{quality}-title">' in html
    rows = table_rows(html, "FACES 7-day rolling averages, each from 1 to 5")
    assert rows["24 November 2026"] == ["4.0"] * 5 + ["3"]
    assert rows["23 November 2026"] == ["4.5"] * 5 + ["2"]
    assert rows["22 November 2026"] == ["3.0"] * 5 + ["2"]
    assert rows["17 November 2026"] == ["1.0"] * 5 + ["1"]
    assert "15 November 2026" not in rows  # no rating in the seven days up to it
    assert "You rated FACES on 4 days in the last 90 days" in html
    assert "The lines are 7-day rolling averages." in html


@pytest.mark.parametrize(
    ("query", "words", "first_row"),
    [
        ("", "in the last 90 days", "27 August 2026"),
        ("?range=1y", "in the last year", "25 November 2025"),
        ("?range=all", "so far", "1 January 2022"),
    ],
)
def test_faces_cover_ninety_days_a_year_or_all_time(owner_client, owner, query, words, first_row):
    day = date(2022, 1, 1)
    while day <= TODAY:
        make_faces(owner, local_date=day, score=3)
        day += timedelta(days=5)
    _, html = patterns(owner_client, query)
    assert f"You rated FACES on 1 day {words}" not in html and words in html
    caption = re.search(r'<caption class="visually-hidden">(FACES [^<]+)</caption>', html).group(1)
    rows = table_rows(html, caption)
    # Never more than about a hundred points, and the last one is today.
    assert len(rows) <= 100
    assert list(rows)[-1] == "24 November 2026"
    if not query:
        assert list(rows)[0] == first_row and len(rows) == 90
    elif query == "?range=1y":
        assert ", every 4 days," in caption
    else:
        assert ", every 18 days," in caption


def test_feelings_and_the_river_are_charted_over_time(owner_client, owner):
    make_check_in(owner, chaos=6, rigidity=2, local_date=TODAY)
    make_check_in(owner, chaos=2, rigidity=4, local_date=TODAY - timedelta(days=1))
    make_check_in(owner, chaos=5, rigidity=5, local_date=TODAY - timedelta(days=14))
    make_entry(owner, local_date=TODAY, feelings=[("calm", 3), ("anxious", 4)])
    make_entry(owner, local_date=TODAY - timedelta(days=8), feelings=[("anxious", 2)])
    make_entry(owner, local_date=TODAY, feelings=[("tired", 2)], is_draft=True)
    _, html = patterns(owner_client)
    assert "You checked in on the river 3 times in the last 90 days" in html
    assert "chaos was 4.3 and rigidity 3.7" in html
    river = table_rows(html, "Average chaos and rigidity, by week, each from 0 to 10")
    assert river == {
        "Week of 9 November 2026": ["5.0", "5.0", "1"],
        "Week of 23 November 2026": ["4.0", "3.0", "2"],
    }
    # The draft's feeling is not counted until the entry is saved.
    assert "You named 3 feelings in the last 90 days: 2 high energy, unpleasant;" in html
    assert "0 high energy, pleasant; 0 low energy, unpleasant; 1 low energy, pleasant" in html
    feelings = table_rows(html, "Feelings named per week, by quadrant")
    assert feelings == {
        "Week of 16 November 2026": ["1", "0", "0", "0", "1"],
        "Week of 23 November 2026": ["1", "0", "0", "1", "2"],
    }
    assert '<rect class="quadrant-low-pleasant"' in html


def test_every_chart_has_a_text_summary_and_no_inline_style_or_script(owner_client, owner):
    make_history(owner, TODAY - timedelta(days=40), TODAY)
    today, patterns_page = page(owner_client)[1], patterns(owner_client)[1]
    for html, charts in ((today, 2), (patterns_page, 3)):
        svgs = re.findall(r'<svg class="(?:chart|heatmap)-svg"[^>]*aria-labelledby="([^"]+)"', html)
        # FACES is five small charts, each named by its quality and the figure's title.
        assert len(svgs) == charts + (4 if html is patterns_page else 0)
        for labelled_by in svgs:
            for label in labelled_by.split():
                assert re.search(rf'id="{label}"[^>]*>[^<]{{4,}}<', html), label
        summaries = re.findall(r'id="[a-z]+-(?:chart-)?summary"[^>]*>([^<]+)<', html)
        assert len(summaries) == charts and all(len(text) > 20 for text in summaries)
        assert "style=" not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), "inline script"
        assert html.count("Show the numbers") == charts


def test_a_figure_caption_is_the_first_child_of_its_figure(owner_client, owner):
    # The HTML standard allows a figcaption only first or last in a figure.
    make_history(owner, TODAY - timedelta(days=40), TODAY)
    for html in (page(owner_client)[1], patterns(owner_client)[1]):
        figures = re.findall(r"<figure[^>]*>\s*<(\w+)", html)
        assert figures and set(figures) == {"figcaption"}
        assert html.count("<figcaption") == len(figures)


def test_a_range_switch_over_htmx_returns_only_the_panel(owner_client, owner):
    make_faces(owner, local_date=TODAY - timedelta(days=200), score=4)
    response, html = patterns(owner_client, "?range=1y", HX_Request="true")
    assert html.lstrip().startswith('<section id="progress-panel"')
    assert "<header" not in html and "Your space" not in html
    assert "Your patterns: 1 year" in html
    assert "You rated FACES on 1 day in the last year" in html
    assert "HX-Request" in response["Vary"]
    full, html = patterns(owner_client, "?range=1y")
    assert "HX-Request" in full["Vary"]
    assert "Your space" in html and "Your patterns: 1 year" in html


def test_today_leads_with_the_days_figures_and_links_to_the_patterns(owner_client, owner):
    make_history(owner, TODAY - timedelta(days=40), TODAY)
    _, html = page(owner_client)
    main = html.split("<main")[1]
    assert main.index("Practice strength") < main.index("Minutes practised each day")
    assert "Suggested for today:" in main
    assert 'href="/progress/patterns/"' in main
    assert "Your patterns:" not in main  # the range's charts are a tap away


def test_range_links_work_with_and_without_javascript(owner_client):
    _, html = patterns(owner_client, "?range=1y")
    for key in ("90d", "1y", "all"):
        assert f'href="?range={key}" hx-get="?range={key}"' in html
    assert re.search(r'id="range-1y"[^>]*aria-current="true"', html)
    assert not re.search(r'id="range-90d"[^>]*aria-current', html)


def test_an_unknown_range_falls_back_to_ninety_days(owner_client):
    _, html = patterns(owner_client, "?range=forever")
    assert "Your patterns: 90 days" in html
    assert re.search(r'id="range-90d"[^>]*aria-current="true"', html)


def test_a_stranger_sees_only_their_own_progress(stranger_client, owner, stranger):
    make_history(owner, TODAY - timedelta(days=60), TODAY)
    make_session(stranger, TODAY, minutes=7)
    _, html = page(stranger_client)
    assert "Hello, Sam" in html and "Olive" not in html
    assert "In the last 12 months you practised on 1 day, 7 minutes in all." in html
    for query in ("", "?range=all"):
        _, html = patterns(stranger_client, query)
        assert "Olive" not in html
        assert "You rated FACES" not in html and "You named" not in html


def test_an_htmx_swap_after_the_session_ended_sends_the_whole_page_to_log_in(client):
    response = client.get("/progress/patterns/?range=1y", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(
        "/accounts/login/?next=/progress/patterns/%3Frange%3D1y"
    )
    assert b"progress-panel" not in response.content


# Today: session, user, the signed-in device's check, the catalog with the remembered
# settings, the sessions, today's FACES.
QUERY_BUDGET = {"/": 6, "/progress/patterns/": 11}


@pytest.mark.parametrize(
    ("path", "query", "htmx"),
    [
        ("/", "", False),
        ("/progress/patterns/", "", False),
        ("/progress/patterns/", "?range=90d", True),
        ("/progress/patterns/", "?range=1y", False),
        ("/progress/patterns/", "?range=1y", True),
        ("/progress/patterns/", "?range=all", False),
        ("/progress/patterns/", "?range=all", True),
    ],
)
def test_a_week_and_five_years_of_history_cost_the_same_queries(
    client, owner, stranger, path, query, htmx, django_assert_max_num_queries
):
    headers = {"HX-Request": "true"} if htmx else {}
    make_history(owner, TODAY - timedelta(days=6), TODAY)
    make_history(stranger, TODAY - timedelta(days=5 * 365), TODAY)
    counts = []
    for person in (owner, stranger):
        client.force_login(person)
        with django_assert_max_num_queries(QUERY_BUDGET[path]) as queries:
            response = client.get(f"{path}{query}", headers=headers)
        assert response.status_code == 200
        counts.append(len(queries))
        expected = "you rated faces on" if path != "/" else "practice strength"
        assert expected in response.content.decode().lower().replace("&#x27;", "'")
    assert counts[0] == counts[1]


def test_right_after_a_write_a_week_and_five_years_cost_the_same_queries(
    client, owner, stranger, django_assert_max_num_queries
):
    make_history(owner, TODAY - timedelta(days=6), TODAY)
    make_history(stranger, TODAY - timedelta(days=5 * 365), TODAY)
    counts = []
    for person in (owner, stranger):
        client.force_login(person)
        client.get("/")  # the cached page, then a practice logged: Today is rebuilt
        make_session(person, TODAY, minutes=37, slug="body-scan")
        with django_assert_max_num_queries(QUERY_BUDGET["/"]) as queries:
            response = client.get("/")
        counts.append(len(queries))
        html = unescape(response.content.decode())
        assert "Tuesday 24 November 2026:" in html and "Practice strength" in html
        assert heat_minutes(html)["Tuesday 24 November 2026"] >= 37
    assert counts[0] == counts[1]


def test_old_unfinished_sessions_still_count_as_having_practised(owner_client, owner):
    # More than the calendar's twelve months ago, and never finished.
    make_session(owner, TODAY - timedelta(days=400), minutes=5, completed=False)
    _, html = page(owner_client)
    assert "Practice strength" in html and 'value="0"' in html
    assert "When you finish a practice, a run of days begins." in html
    assert "Your practice strength begins with your first practice" not in html
    assert "No practice in the last 12 months yet" in html
