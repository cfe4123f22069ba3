"""A GET never writes a person's data: reading a page can't change what it shows.

Sessions left open too long are closed by the scheduled task or the person's
next start; until then, pages show them as left unfinished without saving.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practices.models import ABANDON_AFTER, PracticeSession
from tests.portability.factories import make_rich_history
from tests.practices.conftest import started
from tests.site.addresses import addresses_of

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"(\w+)"', re.IGNORECASE)

# The only writes a GET may make, by address, and why.
ALLOWED_WRITES = {
    # Django's own reset flow keeps the link's token in the session and redirects,
    # so the token never sits in the address bar or a Referer header.
    "accounts:password_reset_confirm": {"django_session"},
    # Which of today's prompts the person skipped to, so the journal keeps showing
    # it: per-browser state in their session, not their journal.
    "journal:prompt": {"django_session"},
    # Each opening of a shared report is recorded for the person who shared it
    # (time and kind of browser): that record is what they asked to see.
    "sharing:shared_report": {"sharing_shareopening"},
    "sharing:shared_report_pdf": {"sharing_shareopening"},
    # Making a printable report is a line on the person's Activity page (once per ten
    # minutes for the same dates): what happened to their data, not their data.
    "portability:report": {"activity_activityevent"},
}


def leave_open_sessions_behind(owner) -> list[PracticeSession]:
    """Every open session of the owner, untouched for longer than ABANDON_AFTER."""
    long_ago = timezone.now() - ABANDON_AFTER - timedelta(minutes=5)
    left = PracticeSession.objects.for_user(owner).open()
    left.update(started_at=long_ago, last_seen_at=long_ago)
    left.filter(clock_started_at__isnull=False).update(clock_started_at=long_ago)
    return list(left)


@pytest.mark.parametrize(
    "headers",
    [{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}],
    ids=["page", "htmx", "history-restore"],
)
def test_no_get_to_any_address_writes(owner_client, owner, headers):
    make_rich_history(owner, owner.local_today())
    started(owner, "meditation-timer", minutes=20)
    addresses = addresses_of(owner)
    left_behind = leave_open_sessions_behind(owner)
    assert len(left_behind) == 2

    writes, walked = [], []
    for name, url in addresses.items():
        with CaptureQueriesContext(connection) as queries:
            response = owner_client.get(url, headers=headers)
        if response.status_code != 405:
            walked.append(name)
        for query in queries:
            written = WRITE.match(query["sql"])
            if written and written[1] not in ALLOWED_WRITES.get(name, set()):
                writes.append(f"{name} {url}: {query['sql'][:160]}")

    assert {"home", "practices:history", "practices:session", "practices:edit_note"} <= set(walked)
    assert {"practices:delete_session", "journal:index", "portability:data"} <= set(walked)
    assert not writes, "GET requests that wrote:\n" + "\n".join(writes)
    assert all(
        session.is_open
        for session in PracticeSession.objects.filter(pk__in=[s.pk for s in left_behind])
    )


def test_pages_show_a_session_left_behind_as_unfinished(owner_client, owner):
    session = started(owner, "meditation-timer", minutes=20)
    leave_open_sessions_behind(owner)
    history = owner_client.get("/practices/history/").content.decode()
    assert "Left unfinished" in history
    assert "continue</a>" not in history
    page = owner_client.get(session.get_absolute_url()).content.decode()
    assert "This session was left open" in page
    assert PracticeSession.objects.get(pk=session.pk).is_open
