"""The fortnightly look back: off until turned on, a fortnight side by side in
plain sentences, three questions kept as a journal entry, and care offered
gently when the weeks look hard."""

import re
from datetime import UTC, date, datetime, time, timedelta
from html import unescape

import pytest

from journal.look_back import LookBack
from journal.models import JournalEntry, LookBackPlan, WindowCheckIn, look_back_key
from portability.export import export_data
from tests.journal.factories import make_check_in, make_faces
from tests.progress.factories import ensure_catalog_and_vocabulary, make_session

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)  # the owner's day in Berlin
FIRST, LAST = date(2026, 11, 10), date(2026, 11, 23)  # the fortnight just gone
ANSWERS = {
    "helped": "Slow breathing after work.",
    "hard": "Sleeping badly.",
    "next": "A walk at lunch.",
}


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


@pytest.fixture(autouse=True)
def catalog(db):
    ensure_catalog_and_vocabulary()


def words(response) -> str:
    html = unescape(response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def at(user, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=user.zone)


def turn_on(client) -> None:
    assert client.post("/journal/look-back/plan/", {"on": "1"}).status_code == 302


# Off by default, on from the page or from settings --------------------------------


def test_it_is_off_until_the_person_turns_it_on(owner_client, owner):
    response = owner_client.get("/journal/look-back/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    said = words(response)
    assert "It's off until you turn it on." in said
    assert "Three questions" not in said
    assert not LookBackPlan.objects.exists()
    assert "Your look back is ready" not in words(owner_client.get("/"))


def test_turned_on_from_the_page_the_two_weeks_just_gone_are_ready_at_once(owner_client, owner):
    turn_on(owner_client)
    assert LookBackPlan.objects.get(user=owner).starts_on == TODAY - timedelta(days=14)
    said = words(owner_client.get("/journal/look-back/"))
    assert "Tuesday 10 November to Monday 23 November" in said
    assert "Three questions" in said
    assert "Turn off the fortnightly look back" in said


def test_it_can_be_turned_on_and_off_in_settings(owner_client, owner):
    assert "Off. When on, every two weeks" in words(owner_client.get("/accounts/settings/"))
    response = owner_client.post(
        "/journal/look-back/plan/", {"on": "1", "next": "/accounts/settings/"}
    )
    assert response["Location"] == "/accounts/settings/"
    assert "Turn it off" in words(owner_client.get("/accounts/settings/"))
    owner_client.post("/journal/look-back/plan/", {"on": "0", "next": "/accounts/settings/"})
    assert not LookBackPlan.objects.filter(user=owner).exists()


def test_turning_it_on_twice_keeps_the_first_days(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=date(2026, 10, 1))
    turn_on(owner_client)
    assert LookBackPlan.objects.get(user=owner).starts_on == date(2026, 10, 1)


# The fortnight, side by side -----------------------------------------------------------


def test_the_fortnight_is_set_side_by_side_in_plain_sentences(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    make_faces(owner, FIRST, score=4)
    make_faces(owner, LAST, score=2)
    make_faces(owner, FIRST - timedelta(days=1), score=1)  # the fortnight before: not counted
    make_check_in(owner, chaos=3, rigidity=3, local_date=FIRST + timedelta(days=2))
    make_check_in(owner, chaos=2, rigidity=2, local_date=FIRST + timedelta(days=3))
    make_check_in(owner, chaos=9, rigidity=1, local_date=FIRST + timedelta(days=4))
    for state in ("within", "within", "above"):
        WindowCheckIn.objects.record(owner, state, now=at(owner, FIRST + timedelta(days=5), 9))
    make_session(owner, FIRST, minutes=10)
    make_session(owner, LAST, minutes=15)
    make_session(owner, TODAY, minutes=40)  # today: the next fortnight's

    said = words(owner_client.get("/journal/look-back/"))

    assert "You rated FACES on 2 days." in said
    assert "at about 3.0 of 5 on average" in said
    assert (
        "You checked in on the river 3 times; most often (2) you were in the flowing middle."
        in said
    )
    assert "You checked in with your window 3 times: 1 above, 2 within and 0 below." in said
    assert "You practised on 2 days, 25 minutes in all." in said
    assert "These weeks may have asked a lot of you" not in said
    # A reflection: it says so, and never scores or diagnoses; no hard stretch, no care note.
    assert "nothing here is a score" in said
    rest = said.lower().replace("nothing here is a score", "")
    for word in ("score", "diagnos", "people you can talk to"):
        assert word not in rest


def test_an_empty_fortnight_is_said_kindly(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    said = words(owner_client.get("/journal/look-back/"))
    assert "No practice recorded these two weeks, and that's all right." in said
    assert "No window check-ins these two weeks." in said


@pytest.mark.parametrize("state", ["above", "below"])
def test_mostly_outside_the_window_the_crisis_link_is_offered_gently(owner_client, owner, state):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    for day, chosen in enumerate([state, state, "within"]):
        WindowCheckIn.objects.record(owner, chosen, now=at(owner, FIRST + timedelta(days=day), 9))
    response = owner_client.get("/journal/look-back/")
    said = words(response)
    assert "These weeks may have asked a lot of you" in said
    assert 'href="/crisis/">people you can talk to, any time</a>' in unescape(
        response.content.decode()
    )


def test_mostly_near_a_bank_of_the_river_the_crisis_link_is_offered_too(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    for day in range(3):
        make_check_in(owner, chaos=9, rigidity=1, local_date=FIRST + timedelta(days=day))
    assert "These weeks may have asked a lot of you" in words(
        owner_client.get("/journal/look-back/")
    )


def test_answers_that_sound_very_heavy_bring_the_crisis_link(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    owner_client.post("/journal/look-back/", {"hard": "Honestly it felt hopeless most days."})
    assert "These weeks may have asked a lot of you" in words(
        owner_client.get("/journal/look-back/")
    )


# The answers, kept in the journal ----------------------------------------------------


def test_the_answers_are_kept_as_a_journal_entry_with_its_prompt(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    response = owner_client.post("/journal/look-back/", ANSWERS)
    assert response.status_code == 302 and response["Location"] == "/journal/look-back/"
    entry = JournalEntry.objects.get(user=owner)
    assert entry.prompt_key == look_back_key(FIRST) == "look-back-2026-11-10"
    assert entry.prompt_text == "Looking back on two weeks, 10 November to 23 November 2026"
    assert entry.local_date == TODAY and not entry.is_draft
    assert entry.body == (
        "What helped, these two weeks?\nSlow breathing after work.\n\n"
        "What was hard?\nSleeping badly.\n\n"
        "One small thing to try in the next two weeks?\nA walk at lunch."
    )
    said = words(owner_client.get("/journal/look-back/"))
    assert "Kept in your journal" in said and "Three questions" not in said
    assert "The next look back is ready on Tuesday 8 December" in said
    # Found by search, and in the data file.
    assert "Slow breathing after work" in words(owner_client.get("/journal/search/?q=breathing"))
    (exported,) = export_data(owner)["journal_entries"]
    assert exported["prompt_key"] == "look-back-2026-11-10"


def test_only_the_questions_answered_are_kept(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    owner_client.post("/journal/look-back/", {"next": "Bed by eleven."})
    assert JournalEntry.objects.get().body == (
        "One small thing to try in the next two weeks?\nBed by eleven."
    )


def test_no_answer_at_all_keeps_nothing(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    response = owner_client.post("/journal/look-back/", {"helped": "  ", "hard": ""})
    assert response.status_code == 400
    assert "Answer any one of the questions" in words(response)
    assert not JournalEntry.objects.exists()


def test_an_answer_too_long_is_refused(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    response = owner_client.post("/journal/look-back/", {"helped": "x" * 2001})
    assert response.status_code == 400
    assert not JournalEntry.objects.exists()


def test_answering_again_replaces_the_fortnights_entry(owner):
    plan = LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    looking = LookBack(plan, FIRST, LAST)
    first = looking.keep([("Q", "one")], "prompt")
    again = LookBack(plan, FIRST, LAST).keep([("Q", "two")], "prompt")
    assert first.pk == again.pk and JournalEntry.objects.get().body == "Q\ntwo"


def test_editing_the_entry_in_the_journal_keeps_it_the_fortnights_look_back(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    owner_client.post("/journal/look-back/", ANSWERS)
    entry = JournalEntry.objects.get()
    response = owner_client.post(
        f"/journal/{entry.public_id}/edit/",
        {"local_date": TODAY.isoformat(), "body": "Shorter now.", "tags": "", "prompt_key": ""},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "Shorter now." and entry.prompt_key == "look-back-2026-11-10"
    assert entry.prompt_text.startswith("Looking back on two weeks")
    assert "Kept in your journal" in words(owner_client.get("/journal/look-back/"))


def test_today_says_when_a_look_back_is_ready_and_stops_once_it_is_answered(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    said = words(owner_client.get("/"))
    assert "Your look back is ready : two weeks, 10 Nov to 23 Nov" in said
    owner_client.post("/journal/look-back/", ANSWERS)
    assert "Your look back is ready" not in words(owner_client.get("/"))


def test_before_the_first_fortnight_has_ended_the_page_says_when(owner_client, owner):
    LookBackPlan.objects.create(user=owner, starts_on=TODAY - timedelta(days=3))
    said = words(owner_client.get("/journal/look-back/"))
    assert "Your first look back is ready on Saturday 5 December." in said
    assert "Your look back is ready" not in words(owner_client.get("/"))
    assert owner_client.post("/journal/look-back/", ANSWERS).status_code == 400
    assert not JournalEntry.objects.exists()


# The fortnight's edges across a change of the clocks ---------------------------------


def test_the_fortnights_edges_are_the_persons_own_days_across_the_clocks_going_back(
    client, owner, time_machine
):
    # Berlin's clocks went back on Sunday 25 October 2026 (03:00 CEST became 02:00 CET).
    time_machine.move_to(datetime(2026, 10, 26, 12, 0, tzinfo=UTC), tick=False)
    client.force_login(owner)
    LookBackPlan.objects.create(user=owner, starts_on=date(2026, 10, 12))
    inside = [
        at(owner, date(2026, 10, 12), 0, 10),  # 22:10 UTC the day before
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02:30 CEST, the first 02:30
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02:30 CET, the same hour again
        at(owner, date(2026, 10, 25), 23, 30),  # 22:30 UTC
    ]
    outside = [
        at(owner, date(2026, 10, 11), 23, 50),  # the day before the fortnight
        at(owner, date(2026, 10, 26), 0, 30),  # 23:30 UTC on the 25th, but the 26th in Berlin
    ]
    for moment in inside:
        WindowCheckIn.objects.record(owner, "above", now=moment)
    for moment in outside:
        WindowCheckIn.objects.record(owner, "below", now=moment)
    make_session(owner, date(2026, 10, 25), minutes=20, at=time(23, 30))
    make_session(owner, date(2026, 10, 26), minutes=30, at=time(0, 30))

    looking = LookBack.latest_for(owner)
    assert (looking.first_day, looking.last_day) == (date(2026, 10, 12), date(2026, 10, 25))
    assert looking.window.counts == {"above": 4, "within": 0, "below": 0}
    assert looking.practice == {"seconds": 20 * 60, "days": 1}
    assert looking.next_day == date(2026, 11, 9)


def test_a_new_fortnight_begins_at_the_persons_midnight_not_at_utcs(owner, time_machine):
    LookBackPlan.objects.create(user=owner, starts_on=date(2026, 3, 16))
    # 23:30 UTC on Sunday 29 March is 01:30 on Monday the 30th in Berlin (summer time
    # began that morning): the fortnight 16 to 29 March has just ended there.
    time_machine.move_to(datetime(2026, 3, 29, 23, 30, tzinfo=UTC), tick=False)
    assert (LookBack.latest_for(owner).first_day, LookBack.latest_for(owner).last_day) == (
        date(2026, 3, 16),
        date(2026, 3, 29),
    )
    time_machine.move_to(datetime(2026, 3, 29, 21, 30, tzinfo=UTC), tick=False)  # 23:30 CEST
    assert LookBack.latest_for(owner) is None


# Another person ------------------------------------------------------------------------


def test_another_person_sees_none_of_it_and_changes_nothing(stranger_client, owner, stranger):
    LookBackPlan.objects.create(user=owner, starts_on=FIRST)
    WindowCheckIn.objects.record(owner, "above", now=at(owner, FIRST, 9))
    plan = LookBack.latest_for(owner)
    entry = plan.keep([("What helped?", "Olive's own words")], "prompt")

    said = words(stranger_client.get("/journal/look-back/"))
    assert "It's off until you turn it on." in said and "Olive" not in said
    assert stranger_client.get(f"/journal/{entry.public_id}/").status_code == 404
    response = stranger_client.post(
        f"/journal/{entry.public_id}/edit/",
        {"local_date": TODAY.isoformat(), "body": "Changed by Sam", "tags": ""},
    )
    assert response.status_code == 404
    stranger_client.post("/journal/look-back/plan/", {"on": "0"})
    stranger_client.post("/journal/look-back/", ANSWERS)

    entry.refresh_from_db()
    assert entry.body == "What helped?\nOlive's own words"
    assert LookBackPlan.objects.filter(user=owner).exists()
    assert JournalEntry.objects.filter(user=stranger).count() == 0


def test_signing_in_is_needed(client, owner):
    for url in ("/journal/look-back/", "/journal/look-back/plan/"):
        response = client.post(url, {"on": "1", **ANSWERS})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not LookBackPlan.objects.exists() and not JournalEntry.objects.exists()
