"""A session from the before check-in to the summary, with and without htmx."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from practices.models import ABANDON_AFTER
from tests.practices.conftest import htmx, reread, start, started

pytestmark = pytest.mark.django_db


def url(session, action: str = "") -> str:
    base = f"/practices/sessions/{session.public_id}/"
    return base + (f"{action}/" if action else "")


def is_fragment(response) -> bool:
    html = response.content.decode()
    return html.lstrip().startswith('<section id="session-stage"') and "<header" not in html


# The before check-in -----------------------------------------------------------------


def test_the_session_page_opens_on_the_before_check_in(owner_client, owner):
    session = start(owner, "breathwork")
    response = owner_client.get(url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>How settled do you feel right now?</legend>" in html
    # Each number is a button that answers and begins in one tap.
    for rating in range(11):
        assert f'<button type="submit" name="rating" value="{rating}"' in html
    assert html.count('name="skip"') == 1
    assert 'hx-post="' + url(session, "before") + '"' in html
    assert 'hx-history="false"' in html
    assert "no-store" in response["Cache-Control"]
    assert reread(session).stage == "before"


def test_checking_in_before_saves_the_answers_and_starts_the_practice(owner_client, owner, frozen):
    session = start(owner, "body-scan", minutes=5)
    response = owner_client.post(url(session, "before"), {"rating": "3", "emotion": " restless "})
    assert response.status_code == 302
    assert response["Location"] == url(session)
    session = reread(session)
    assert (session.before_rating, session.before_emotion) == (3, "restless")
    assert session.stage == "guide"
    assert session.clock_started_at == timezone.now()
    html = owner_client.get(url(session)).content.decode()
    assert "Feet" in html and "Step 1 of 12" in html
    assert "5:00</span> left" in html


def test_with_htmx_the_practice_swaps_in_as_a_fragment(owner_client, owner):
    session = start(owner, "breathwork", pattern="4-7-8")
    response = owner_client.post(url(session, "before"), {"rating": "5"}, headers=htmx())
    assert response.status_code == 200
    assert is_fragment(response)
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "data-pacer" in html
    assert "Breathe in for 4 seconds, hold for 7 seconds, breathe out for 8 seconds." in html
    assert "&quot;label&quot;: &quot;Hold&quot;, &quot;seconds&quot;: 7" in html


def test_skipping_the_check_in_starts_without_a_rating(owner_client, owner):
    session = start(owner, "grounding")
    owner_client.post(url(session, "before"), {"skip": "1", "rating": "9"})
    session = reread(session)
    assert session.stage == "guide"
    assert session.before_rating is None


# The error is tied to what it is about: the word's box, or the group of number buttons.
TIED_TO_THE_RATING = 'aria-describedby="id_rating_helptext id_rating_error"'
TIED_TO_THE_WORD = 'aria-invalid="true"'


@pytest.mark.parametrize(
    ("data", "message", "tied"),
    [
        ({"rating": "11"}, "Choose a number from 0 to 10.", TIED_TO_THE_RATING),
        ({"rating": "calm"}, "Choose a number from 0 to 10.", TIED_TO_THE_RATING),
        ({"emotion": "x" * 41}, "Ensure this value has at most 40 characters", TIED_TO_THE_WORD),
    ],
)
@pytest.mark.parametrize("headers", [{}, htmx()])
def test_a_bad_check_in_gets_a_field_error_and_starts_nothing(
    owner_client, owner, data, message, tied, headers
):
    session = start(owner, "grounding")
    response = owner_client.post(url(session, "before"), data, headers=headers)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert tied in html
    if tied == TIED_TO_THE_RATING:
        assert 'id="id_rating_error"' in html
    assert is_fragment(response) == bool(headers)
    session = reread(session)
    assert (session.stage, session.before_rating, session.before_emotion) == ("before", None, "")


def test_a_replayed_check_in_changes_nothing(owner_client, owner):
    session = start(owner, "grounding")
    owner_client.post(url(session, "before"), {"rating": "2"})
    owner_client.post(url(session, "before"), {"rating": "9"})
    assert reread(session).before_rating == 2


# Moving through the steps ----------------------------------------------------------------


def test_next_moves_one_step_and_a_replay_does_not_skip_another(owner_client, owner):
    session = started(owner, "body-scan", minutes=3)
    first = owner_client.post(url(session, "next"), {"step": "0"}, headers=htmx())
    assert is_fragment(first)
    assert "Ankles and lower legs" in first.content.decode()
    assert "Step 2 of 12" in first.content.decode()
    owner_client.post(url(session, "next"), {"step": "0"}, headers=htmx())
    assert reread(session).step == 1


def test_without_htmx_next_redirects_back_to_the_session(owner_client, owner):
    session = started(owner, "wheel-of-awareness")
    response = owner_client.post(url(session, "next"), {"step": "0"})
    assert response.status_code == 302
    assert response["Location"] == url(session)
    assert "Rim: the five senses" in owner_client.get(url(session)).content.decode()


def test_grounding_saves_what_was_written_for_each_sense(owner_client, owner):
    session = started(owner, "grounding")
    response = owner_client.post(
        url(session, "next"),
        {"step": "0", "answer_1": " a lamp ", "answer_2": "", "answer_3": "rain on the window"},
        headers=htmx(),
    )
    html = response.content.decode()
    assert "4 things you can touch" in html
    assert "<legend>4 things you can touch: write them down if you like</legend>" in html
    assert '<label for="id_touch_answer_4">4 of 4</label>' in html
    assert reread(session).grounding_answers == {"see": ["a lamp", "rain on the window"]}


def test_a_too_long_grounding_answer_gets_an_error_and_stays_on_the_step(owner_client, owner):
    session = started(owner, "grounding")
    response = owner_client.post(
        url(session, "next"), {"step": "0", "answer_1": "x" * 201}, headers=htmx()
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.content.decode()
    session = reread(session)
    assert (session.step, session.grounding_answers) == (0, {})


def test_the_last_sense_is_finished_with_its_answers(owner_client, owner):
    session = started(owner, "grounding")
    for step in range(4):
        owner_client.post(url(session, "next"), {"step": str(step)})
    response = owner_client.post(url(session, "finish"), {"step": "4", "answer_1": "mint tea"})
    assert response.status_code == 302
    session = reread(session)
    assert session.completed is True
    assert session.grounding_answers["taste"] == ["mint tea"]
    assert session.stage == "after"


# Pausing, reloading, finishing ------------------------------------------------------------


def test_pause_and_resume_keep_the_time_right_across_a_reload(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "meditation-timer", minutes=10)
    time_machine.move_to("2026-03-10 09:04:00+00:00", tick=False)
    response = owner_client.post(url(session, "pause"), headers=htmx())
    html = response.content.decode()
    assert "Paused, with <span data-clock-left>6:00</span> left" in html
    assert ">Resume</button>" in html
    assert 'data-running="0"' in html

    time_machine.move_to("2026-03-10 09:30:00+00:00", tick=False)
    reloaded = owner_client.get(url(session)).content.decode()
    assert "6:00</span> left" in reloaded

    owner_client.post(url(session, "resume"))
    time_machine.move_to("2026-03-10 09:31:00+00:00", tick=False)
    reloaded = owner_client.get(url(session)).content.decode()
    assert "5:00</span> left" in reloaded
    assert "until about 10:36" in reloaded  # in Berlin
    assert 'data-elapsed="300.00"' in reloaded
    assert ">Pause</button>" in reloaded


def test_a_stepped_practice_resumes_mid_step_after_a_reload(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "body-scan", minutes=3)  # 15 seconds a region
    time_machine.move_to("2026-03-10 09:00:15+00:00", tick=False)
    owner_client.post(url(session, "next"), {"step": "0"})
    time_machine.move_to("2026-03-10 09:00:20+00:00", tick=False)
    html = owner_client.get(url(session)).content.decode()
    assert 'data-step-seconds="15.00"' in html
    assert 'data-step-elapsed="5.00"' in html
    assert "Ankles and lower legs" in html


def test_finishing_when_the_time_is_up_completes_the_session(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "breathwork", minutes=3)
    time_machine.move_to("2026-03-10 09:03:00+00:00", tick=False)
    response = owner_client.post(url(session, "finish"), {"step": "0"}, headers=htmx())
    html = response.content.decode()
    assert "You've reached the end" in html
    assert "How settled do you feel now?" in html
    session = reread(session)
    assert (session.completed, session.seconds_practised) == (True, 180)


def test_ending_early_is_saved_kindly_as_not_complete(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "meditation-timer", minutes=20)
    time_machine.move_to("2026-03-10 09:07:00+00:00", tick=False)
    html = owner_client.post(url(session, "finish"), headers=htmx()).content.decode()
    assert "You practised for 7 minutes" in html
    assert "Stopping when you need to is part of listening to yourself." in html
    session = reread(session)
    assert (session.completed, session.seconds_practised) == (False, 420)


def test_keep_alive_remembers_that_the_page_is_open(owner_client, owner, time_machine):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "meditation-timer")
    time_machine.move_to("2026-03-10 09:05:00+00:00", tick=False)
    response = owner_client.post(url(session, "keep-alive"), headers=htmx())
    assert response.status_code == 204
    assert reread(session).last_seen_at == timezone.now()


def test_a_session_left_open_for_hours_is_shown_as_left_unfinished(
    owner_client, owner, time_machine
):
    time_machine.move_to("2026-03-10 09:00:00+00:00", tick=False)
    session = started(owner, "meditation-timer", minutes=30)
    time_machine.move_to(timezone.now() + ABANDON_AFTER + timedelta(minutes=1), tick=False)
    html = owner_client.get(url(session)).content.decode()
    assert "This session was left open" in html
    # A late "finish" from a forgotten tab cannot turn it into a complete session.
    owner_client.post(url(session, "finish"))
    session = reread(session)
    assert (session.stage, session.completed) == ("abandoned", False)


@pytest.mark.parametrize("action", ["before", "next", "pause", "resume", "finish", "after"])
def test_session_moves_only_accept_posts(owner_client, owner, action):
    session = start(owner, "grounding")
    assert owner_client.get(url(session, action)).status_code == 405


# The after check-in and the summary ------------------------------------------------------


def finished(owner, slug="breathwork", **parameters):
    session = started(owner, slug, **parameters)
    session.finish(timezone.now())
    return reread(session)


def test_checking_in_after_saves_the_rating_and_note_and_shows_a_summary(owner_client, owner):
    session = started(owner, "breathwork", pattern="resonance", breaths_per_minute=6.0)
    session.before_rating = 3
    session.save()
    session.finish(session.started_at + timedelta(minutes=5))
    response = owner_client.post(
        url(session, "after"), {"rating": "7", "notes": "Calmer."}, headers=htmx()
    )
    assert response.status_code == 200 and is_fragment(response)
    html = response.content.decode()
    assert "Saved. Thank you for taking this time, Olive." in html
    assert "5 minutes" in html
    assert "3 before, 7 after" in html
    assert "Resonance breathing, 6 breaths a minute" in html
    assert "Calmer." in html
    assert f'href="{reverse("journal:index")}"' in html
    session = reread(session)
    assert (session.after_rating, session.notes, session.stage) == (7, "Calmer.", "done")


def test_skipping_the_after_check_in_still_shows_the_summary(owner_client, owner):
    session = finished(owner, "grounding")
    response = owner_client.post(url(session, "after"), {"skip": "1", "rating": "4"})
    assert response.status_code == 302
    session = reread(session)
    assert (session.stage, session.after_rating) == ("done", None)
    assert "Thank you for taking this time" in owner_client.get(url(session)).content.decode()


def test_someone_who_skipped_their_name_is_not_thanked_by_their_email_address(owner_client, owner):
    owner.display_name = ""
    owner.save(update_fields=["display_name"])
    session = finished(owner, "grounding")
    owner_client.post(url(session, "after"), {"skip": "1"})
    html = owner_client.get(url(session)).content.decode()
    assert "Saved. Thank you for taking this time." in html
    assert "Thank you for taking this time, owner" not in html


def test_a_bad_after_rating_gets_an_error_and_saves_nothing(owner_client, owner):
    session = finished(owner)
    response = owner_client.post(url(session, "after"), {"rating": "-1", "notes": "Hmm"})
    assert response.status_code == 400
    assert "Choose a number from 0 to 10." in response.content.decode()
    session = reread(session)
    assert (session.stage, session.after_rating, session.notes) == ("after", None, "")


def test_the_wheel_offers_a_sift_note_that_is_kept_as_the_note(owner_client, owner):
    session = finished(owner, "wheel-of-awareness")
    page = owner_client.get(url(session)).content.decode()
    assert "<legend>SIFT: what came up? All optional.</legend>" in page
    owner_client.post(
        url(session, "after"),
        {
            "sensations": "Warm hands",
            "images": "",
            "feelings": "Tender",
            "thoughts": "",
            "notes": "x",
        },
    )
    assert reread(session).notes == "Sensations: Warm hands\n\nFeelings: Tender\n\nx"


def test_the_summary_lists_what_was_noticed_in_grounding(owner_client, owner):
    session = started(owner, "grounding")
    session.advance(timezone.now(), from_step=0, answers=["a lamp", "a cup"])
    session.finish(timezone.now())
    session.check_in_after(timezone.now())
    html = owner_client.get(url(session)).content.decode()
    assert "<strong>5 things you can see:</strong> a lamp, a cup" in html


@pytest.mark.parametrize("action", ["before", "next", "finish", "after", "note"])
def test_what_a_person_writes_is_kept_out_of_error_reports(owner_client, owner, action):
    session = start(owner, "grounding")
    response = owner_client.post(url(session, action), {"answer_1": "private words"})
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


def test_sift_answers_that_together_pass_the_note_limit_are_not_kept(owner_client, owner):
    session = finished(owner, "wheel-of-awareness")
    long_answers = dict.fromkeys(["sensations", "images", "feelings"], "x" * 2000)
    response = owner_client.post(url(session, "after"), {**long_answers, "notes": ""})
    assert response.status_code == 400
    assert "Together these notes are longer than we can keep (5,000 characters)." in (
        response.content.decode()
    )
    assert reread(session).notes == ""
