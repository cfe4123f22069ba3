"""Hostile input to sharing: the form that makes a link, the stop button and the shared
pages' tokens. Never a 5xx; a refusal says why and makes no link."""

from datetime import date, timedelta
from urllib.parse import quote

from hypothesis import example, given
from hypothesis import strategies as st

from sharing.models import ShareLink, ShareOpening
from tests.fuzz.cases import FUZZ, SignedInCase, everything, rows
from tests.fuzz.hostile import extra_fields, form_of

# Safe for every time zone: the person's today is never earlier than this.
YESTERDAY = date.today() - timedelta(days=1)
any_days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
ticked = st.sampled_from(["on", "1", "", "off"])

SHARE_FIELDS = form_of(
    start=any_days,
    end=any_days,
    lifetime_days=st.sampled_from(["1", "7", "14", "30", "0", "31", "-7", "1e9"]),
    **{
        f"shows_{name}": ticked
        for name in ("practice", "faces", "river", "feelings", "repair", "journal")
    },
)


class TestSharing(SignedInCase):
    @FUZZ
    @given(SHARE_FIELDS | extra_fields)
    @example({"start": "2026-01-01", "end": "2026-01-31", "lifetime_days": "30"})
    @example({"start": "0001-01-01", "end": "9999-12-31", "lifetime_days": "7"})
    def test_making_a_link(self, data):
        before = everything(self.owner)

        response = self.client.post("/progress/share/", data)

        self.assert_handled(response)
        self.assert_explained(response)
        assert response.status_code in (200, 400)
        links = ShareLink.objects.filter(user=self.owner)
        if response.status_code == 400:
            assert not links.exists()
        else:
            link = links.get()
            assert link.expires_at - link.created_at <= timedelta(days=30)
            assert (link.end - link.start).days < 366
            assert link.shows_journal == (data.get("shows_journal") in ("on", "1"))
        assert everything(self.owner) == before

    @FUZZ
    @given(st.text(max_size=300))
    @example("../../accounts/settings")
    @example("%00")
    def test_opening_any_token(self, token):
        ShareLink.objects.create_with_token(
            ShareLink(user=self.owner, start=YESTERDAY, end=YESTERDAY, shows_journal=True)
        )
        before = rows(ShareOpening)

        response = self.client.get(f"/shared/{quote(token, safe='')}/")

        self.assert_handled(response)
        assert response.status_code in (404, 429)
        assert rows(ShareOpening) == before
