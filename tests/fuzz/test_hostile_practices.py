"""Hostile input to every practice form and htmx endpoint.

Never a 5xx, never live markup (in the answer or on the pages that show what
was kept), a refusal says why and changes nothing, and a move made at the
wrong stage changes nothing either.
"""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from practices import breathing
from practices.models import MAX_MINUTES, SENSES, Practice, PracticeSession
from tests.fuzz.cases import FUZZ, HTMX, SLOW, SignedInCase, everything, htmx_headers, rows
from tests.fuzz.hostile import extra_fields, form_of
from tests.practices.conftest import reread, start

SLUGS = ["body-scan", "grounding", "breathwork", "wheel-of-awareness", "meditation-timer"]
STAGES = ["before", "guide", "paused", "last-step", "after", "done"]
# Safe for every time zone: the person's today is never earlier than this.
YESTERDAY = date.today() - timedelta(days=1)

START_FIELDS = form_of(
    request_id=st.uuids(),
    minutes=st.sampled_from([3, 5, 10, 15, 20, 30, 45, 60]),
    sound=st.sampled_from(["on", "1", ""]),
    pattern=st.sampled_from(list(breathing.PATTERNS)),
    breaths_per_minute=st.decimals(Decimal("4.5"), Decimal("7"), places=1),
    inhale=st.integers(1, 15),
    hold_in=st.integers(0, 15),
    exhale=st.integers(1, 20),
    hold_out=st.integers(0, 15),
    sense_order=st.permutations(SENSES).map("-".join),
    interval_minutes=st.sampled_from([0, 1, 2, 5, 10]),
)

MOVE_FIELDS = form_of(
    skip=st.sampled_from(["1", "on", ""]),
    rating=st.integers(0, 10),
    emotion=st.text(max_size=40),
    step=st.integers(0, 5),
    notes=st.text(max_size=300),
    sensations=st.text(max_size=100),
    images=st.text(max_size=100),
    feelings=st.text(max_size=100),
    thoughts=st.text(max_size=100),
    **{f"answer_{n}": st.text(max_size=200) for n in range(1, 6)},
)

LOG_FIELDS = form_of(
    request_id=st.uuids(),
    practice=st.sampled_from(SLUGS),
    date=st.dates(min_value=date(1, 1, 1), max_value=YESTERDAY),
    minutes=st.integers(1, MAX_MINUTES),
    notes=st.text(max_size=300),
)


def url(session: PracticeSession, action: str = "") -> str:
    return f"/practices/sessions/{session.public_id}/" + (f"{action}/" if action else "")


def session_at(user, slug: str, stage: str) -> PracticeSession:
    """One of the person's sessions, at the stage a test wants."""
    session = start(user, slug)
    now = timezone.now()
    if stage == "before":
        return session
    session.begin(now)
    if stage == "paused":
        session.pause(now)
    if stage == "last-step":
        while not session.is_last_step:
            answers = ["a lamp"] if session.current_step.count else None
            session.advance(now, from_step=session.step, answers=answers)
    if stage in ("after", "done"):
        session.finish(now)
    if stage == "done":
        session.check_in_after(now, rating=6, notes="Calmer than before.")
    return reread(session)


def assert_sane(session: PracticeSession) -> None:
    """What any sequence of requests may leave in a session row."""
    practice = session.practice
    for rating in (session.before_rating, session.after_rating):
        assert rating is None or 0 <= rating <= 10
    assert len(session.before_emotion) <= 40
    for text in (session.before_emotion, session.notes):
        assert "\x00" not in text
    for key, answers in session.grounding_answers.items():
        assert key in SENSES
        assert all(isinstance(answer, str) and 0 < len(answer) <= 200 for answer in answers)
        assert not any("\x00" in answer for answer in answers)
    assert 0 <= session.step < max(1, len(session.guide_steps))
    minutes = session.parameters.get("minutes")
    if session.logged_manually:
        assert minutes in range(1, MAX_MINUTES + 1)
        assert session.seconds_practised == minutes * 60
    elif practice.is_timed:
        assert minutes in practice.duration_choices
        assert session.planned_seconds is not None
        assert session.seconds_practised <= session.planned_seconds


def assert_valid_parameters(practice: Practice, parameters: dict) -> None:
    """What a started session may keep about how it was set up."""
    if practice.guide == Practice.Guide.GROUNDING:
        assert sorted(parameters["sense_order"]) == sorted(SENSES)
        return
    assert parameters["minutes"] in practice.duration_choices
    assert isinstance(parameters["sound"], bool)
    if practice.guide == Practice.Guide.BREATHWORK:
        pattern = parameters["pattern"]
        assert pattern in breathing.PATTERNS
        if pattern == "resonance":
            assert 4.5 <= parameters["breaths_per_minute"] <= 7
        if pattern == "custom":
            assert parameters["inhale"] in range(1, 16) and parameters["exhale"] in range(1, 21)
            assert 0 <= parameters["hold_in"] <= 15 and 0 <= parameters["hold_out"] <= 15
    if practice.guide == Practice.Guide.TIMER:
        interval = parameters["interval_minutes"]
        assert interval in (0, 1, 2, 5, 10)
        assert interval == 0 or interval < parameters["minutes"]


def is_canonical_uuid(value) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False


class TestStartingAPractice(SignedInCase):
    def check_start(self, slug: str, data: dict, htmx: bool) -> None:
        before = rows(PracticeSession)
        response = self.client.post(f"/practices/{slug}/", data, headers=htmx_headers(htmx))
        self.assert_handled(response, self.get(f"/practices/{slug}/"), self.get("/practices/"))
        self.assert_explained(response)
        if response.status_code != 302:
            assert response.status_code == 400
            assert rows(PracticeSession) == before
            return
        session = PracticeSession.objects.get()
        assert response["Location"] == url(session)
        assert (session.practice.slug, session.stage) == (slug, "before")
        assert_valid_parameters(session.practice, session.parameters)
        assert_sane(session)
        # The same form sent again (a double click) finds the same session.
        again = self.client.post(f"/practices/{slug}/", data, headers=htmx_headers(htmx))
        assert again.status_code == 302
        if is_canonical_uuid(data.get("request_id")):
            assert again["Location"] == url(session)
            assert PracticeSession.objects.count() == 1
        # Whatever was chosen, the practice itself shows.
        page = self.get(url(session))
        moved = self.client.post(url(session, "before"), {"skip": "1"}, headers=HTMX)
        self.assert_handled(page, moved, self.get(url(session)), self.get("/practices/history/"))
        assert moved.status_code == 200 and reread(session).stage == "guide"

    @FUZZ
    @given(START_FIELDS, st.booleans())
    # Bug found: a NUL in the hidden request id was a 400 that showed no error at all.
    @example({"minutes": "10", "request_id": "a\x00b"}, False)
    def test_body_scan(self, data, htmx):
        self.check_start("body-scan", data, htmx)

    @FUZZ
    @given(START_FIELDS, st.booleans())
    def test_grounding(self, data, htmx):
        self.check_start("grounding", data, htmx)

    @FUZZ
    @given(START_FIELDS, st.booleans())
    def test_breathwork(self, data, htmx):
        self.check_start("breathwork", data, htmx)

    @FUZZ
    @given(START_FIELDS, st.booleans())
    def test_wheel_of_awareness(self, data, htmx):
        self.check_start("wheel-of-awareness", data, htmx)

    @FUZZ
    @given(START_FIELDS, st.booleans())
    def test_meditation_timer(self, data, htmx):
        self.check_start("meditation-timer", data, htmx)

    @FUZZ
    @given(st.text(min_size=1, max_size=60), START_FIELDS, st.booleans())
    def test_unknown_practice(self, slug, data, htmx):
        response = self.client.post(f"/practices/{slug}/", data, headers=htmx_headers(htmx))
        self.assert_handled(response)
        if slug not in SLUGS:
            assert not PracticeSession.objects.exists()


class TestSessionMoves(SignedInCase):
    def check_move(self, slug, stage, action, data, htmx):
        session = session_at(self.owner, slug, stage)
        other = session_at(self.owner, "breathwork", "guide")
        before, others_before = (
            rows(PracticeSession, pk=session.pk),
            rows(PracticeSession, pk=other.pk),
        )
        response = self.client.post(url(session, action), data, headers=htmx_headers(htmx))
        self.assert_handled(response, self.get(url(session)), self.get("/practices/history/"))
        self.assert_explained(response)
        assert rows(PracticeSession, pk=other.pk) == others_before
        if response.status_code >= 400:
            assert response.status_code == 400
            assert rows(PracticeSession, pk=session.pk) == before
        elif action == "keep-alive":
            assert response.status_code == 204
        else:
            assert response.status_code == (200 if htmx else 302)
        after = reread(session)
        assert_sane(after)
        return before[0], after, response

    @FUZZ
    @given(st.sampled_from(SLUGS), st.sampled_from(STAGES), MOVE_FIELDS, st.booleans())
    def test_check_in_before(self, slug, stage, data, htmx):
        before, after, response = self.check_move(slug, stage, "before", data, htmx)
        if stage != "before":
            assert rows(PracticeSession, pk=after.pk) == [before]
        elif response.status_code != 400:
            assert after.stage == "guide"

    @FUZZ
    @given(
        st.sampled_from(SLUGS),
        st.sampled_from(STAGES),
        st.sampled_from(["next", "finish"]),
        MOVE_FIELDS,
        st.booleans(),
    )
    def test_next_step_and_finish(self, slug, stage, action, data, htmx):
        before, after, response = self.check_move(slug, stage, action, data, htmx)
        if before["stage"] != "guide":
            assert rows(PracticeSession, pk=after.pk) == [before]
        elif response.status_code != 400 and action == "next":
            assert after.step in (before["step"], before["step"] + 1)
            assert after.stage == "guide"
        elif response.status_code != 400:
            assert after.stage == "after"
            if after.practice.is_stepped:
                assert after.completed == (stage == "last-step")

    @FUZZ
    @given(
        st.sampled_from(SLUGS),
        st.sampled_from(STAGES),
        st.sampled_from(["pause", "resume", "keep-alive"]),
        MOVE_FIELDS,
        st.booleans(),
    )
    def test_pause_resume_and_keep_alive(self, slug, stage, action, data, htmx):
        before, after, _ = self.check_move(slug, stage, action, data, htmx)
        if before["stage"] != "guide" and action != "keep-alive":
            assert rows(PracticeSession, pk=after.pk) == [before]
        assert after.stage == before["stage"]

    @FUZZ
    @given(st.sampled_from(SLUGS), st.sampled_from(STAGES), MOVE_FIELDS, st.booleans())
    def test_check_in_after(self, slug, stage, data, htmx):
        before, after, response = self.check_move(slug, stage, "after", data, htmx)
        if before["stage"] != "after":
            assert rows(PracticeSession, pk=after.pk) == [before]
        elif response.status_code != 400:
            assert after.stage == "done"


class TestPastSessions(SignedInCase):
    @FUZZ
    @given(
        st.sampled_from(SLUGS),
        st.sampled_from(STAGES),
        form_of(notes=st.text(max_size=300), cancel=st.sampled_from(["1", ""])),
        st.sampled_from(["get", "post"]),
        st.booleans(),
    )
    def test_edit_note(self, slug, stage, data, method, htmx):
        session = session_at(self.owner, slug, stage)
        before = rows(PracticeSession)
        response = getattr(self.client, method)(
            url(session, "note"), data, headers=htmx_headers(htmx)
        )
        self.assert_handled(response, self.get(url(session)), self.get("/practices/history/"))
        self.assert_explained(response)
        if method == "get" or response.status_code == 400:
            assert rows(PracticeSession) == before
        else:
            assert response.status_code == (200 if htmx else 302)
        assert response.status_code in (200, 302, 400)
        assert_sane(reread(session))

    @FUZZ
    @given(st.sampled_from(STAGES), extra_fields, st.sampled_from(["get", "post"]), st.booleans())
    def test_delete(self, stage, data, method, htmx):
        session = session_at(self.owner, "grounding", stage)
        kept = session_at(self.owner, "meditation-timer", "done")
        kept_before = rows(PracticeSession, pk=kept.pk)
        response = getattr(self.client, method)(
            url(session, "delete"), data, headers=htmx_headers(htmx)
        )
        self.assert_handled(response, self.get("/practices/history/"))
        assert rows(PracticeSession, pk=kept.pk) == kept_before
        if method == "get":
            assert response.status_code == 200
            assert PracticeSession.objects.filter(pk=session.pk).exists()
        else:
            assert response.status_code == 302
            assert not PracticeSession.objects.filter(pk=session.pk).exists()

    @SLOW
    @given(LOG_FIELDS, st.booleans())
    @example({"practice": "grounding", "date": "0001-01-01", "minutes": "240"}, False)
    @example(
        {"practice": "grounding", "date": "2026-01-01", "minutes": "9", "request_id": "\x00"}, True
    )
    def test_manual_log(self, data, htmx):
        response = self.client.post("/practices/log/", data, headers=htmx_headers(htmx))
        self.assert_handled(
            response,
            self.get("/practices/history/"),
            self.get("/progress/patterns/?range=all"),
            self.get("/practices/log/", {"practice": data.get("practice", "")}),
        )
        self.assert_explained(response)
        if response.status_code != 302:
            assert response.status_code == 400
            assert not PracticeSession.objects.exists()
            return
        assert response["Location"] == "/practices/history/"
        session = PracticeSession.objects.get()
        assert session.logged_manually and session.stage == "done" and session.completed
        assert session.local_date <= self.owner.local_today()
        assert len(session.notes) <= 5000
        assert_sane(session)
        self.assert_handled(self.get(url(session)), self.get(url(session, "note")))

    @FUZZ
    @given(
        form_of(practice=st.sampled_from(SLUGS), page=st.integers(-3, 5)) | extra_fields,
        st.booleans(),
    )
    def test_history_filter(self, params, htmx):
        for slug, stage in (("grounding", "done"), ("breathwork", "guide"), ("body-scan", "after")):
            session_at(self.owner, slug, stage)
        before = rows(PracticeSession)
        response = self.client.get("/practices/history/", params, headers=htmx_headers(htmx))
        self.assert_handled(response)
        # The htmx answer is the list alone, so it says itself why the filter was refused.
        self.assert_explained(response)
        assert response.status_code in (200, 400)
        assert rows(PracticeSession) == before


# Another person's sessions ---------------------------------------------------------------

# (method, action, the stage at which the move would take effect, what is sent)
MOVES = [
    ("get", "", "guide", {}),
    ("post", "before/", "before", {"rating": "3", "emotion": "<script>alert(1)</script>"}),
    ("post", "before/", "before", {"skip": "1"}),
    ("post", "next/", "guide", {"step": "0", "answer_1": "<b>not yours</b>"}),
    ("post", "pause/", "guide", {}),
    ("post", "resume/", "paused", {}),
    ("post", "finish/", "guide", {"step": "0"}),
    ("post", "after/", "after", {"rating": "10", "notes": "<script>alert(1)</script>"}),
    ("post", "after/", "after", {"skip": "1"}),
    ("post", "keep-alive/", "guide", {}),
    ("get", "note/", "done", {}),
    ("post", "note/", "done", {"notes": "<script>alert(1)</script>"}),
    ("get", "delete/", "done", {}),
    ("post", "delete/", "done", {"id": "1", "user": "1"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
@pytest.mark.parametrize(("method", "action", "stage", "data"), MOVES)
def test_another_persons_session_is_a_404_and_unchanged(
    owner_client, owner, stranger, method, action, stage, data, headers
):
    theirs = session_at(stranger, "grounding", stage)
    mine = session_at(owner, "grounding", stage)
    before, mine_before = everything(stranger), everything(owner)
    response = getattr(owner_client, method)(url(theirs) + action, data, headers=headers)
    assert response.status_code == 404
    assert everything(stranger) == before
    assert everything(owner) == mine_before
    # The same request on the owner's own session does take effect (so the 404 means something).
    response = getattr(owner_client, method)(url(mine) + action, data, headers=headers)
    assert response.status_code in (200, 204, 302)
    if method == "post" and action != "keep-alive/":
        assert everything(owner) != mine_before
