"""Every address the site answers, reversed with real ids of the owner's own things.

A new URL pattern that takes an id fails `addresses_of()` with NoReverseMatch
until it gets an entry in `_kwargs`, so the site-wide tests cannot miss it.
"""

import re

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from activity.models import DeviceSession
from journal.models import WindowCheckIn, WindowState
from portability.export import export_json
from reminders.emails import unsubscribe_token
from sharing.models import ShareLink
from tests.journal.factories import make_check_in, make_entry, make_rupture
from tests.mfa.factories import make_passkey
from tests.practices.conftest import start
from tests.push.factories import make_subscription
from tests.reminders.conftest import make_reminder

# Django's admin is for staff, and it marks every one of its views never_cache itself.
NOT_WALKED = {"admin"}


def url_names(patterns=None, namespace: str = ""):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in NOT_WALKED:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        else:
            assert pattern.name, f"every URL pattern has a name: {pattern}"
            yield namespace + pattern.name


def _pending_import(owner) -> str:
    """A real import preview: the owner's own export, uploaded through the page."""
    uploader = Client()
    uploader.force_login(owner)
    upload = SimpleUploadedFile("riverwise.json", export_json(owner), "application/json")
    response = uploader.post(reverse("portability:import_upload"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return re.search(r"/import/([0-9a-f-]{36})/", response["Location"]).group(1)


def _other_device(owner) -> str:
    """Another browser signed in to the owner's account, as the sessions page lists it."""
    Client().force_login(owner)
    newest = DeviceSession.objects.filter(user=owner).order_by("-signed_in_at", "-id").first()
    assert newest is not None
    return str(newest.public_id)


def _pending_history_import(owner) -> str:
    """A real preview of another app's history: a small Daylio file, uploaded."""
    uploader = Client()
    uploader.force_login(owner)
    content = (
        b"full_date,date,weekday,time,mood,activities,note_title,note\n"
        b"2026-03-01,March 1,Sunday,09:00,good,walk,,My private words.\n"
    )
    upload = SimpleUploadedFile("daylio.csv", content, "text/csv")
    response = uploader.post(reverse("portability:history_upload"), {"history-file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return re.search(r"/import-history/([0-9a-f-]{36})/", response["Location"]).group(1)


def _kwargs(owner) -> dict[str, dict]:
    entry = make_entry(owner, body="My private words.", feelings=[("sad", 3)])
    session = start(owner, "breathwork")
    check_in = make_check_in(owner, note="A private note.")
    rupture = make_rupture(owner)
    reminder = make_reminder(owner)
    pending = _pending_import(owner)
    link, token = ShareLink.objects.create_with_token(
        ShareLink(
            user=owner, start=owner.local_today(), end=owner.local_today(), shows_journal=True
        )
    )
    other_device = _other_device(owner)
    pending_history = _pending_history_import(owner)
    passkey = make_passkey(owner)
    subscription = make_subscription(owner)
    window_check_in = WindowCheckIn.objects.record(owner, WindowState.WITHIN)
    by_kind = {
        "entry": {"public_id": entry.public_id},
        "named": {"public_id": entry.named_emotions.get().public_id},
        "check_in": {"public_id": check_in.public_id},
        "rupture": {"public_id": rupture.public_id},
        "session": {"public_id": session.public_id},
        "reminder": {"public_id": reminder.public_id},
        "pending": {"public_id": pending},
    }
    return {
        "accounts:password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
            "token": default_token_generator.make_token(owner),
        },
        "accounts:signup_finish": {
            "token": User.objects.signup_token(
                email="newcomer@example.com", display_name="", timezone="UTC"
            )
        },
        "journal:entry": by_kind["entry"],
        "journal:edit": by_kind["entry"],
        "journal:autosave": by_kind["entry"],
        "journal:delete": by_kind["entry"],
        "journal:restore": by_kind["entry"],
        "journal:rerate": by_kind["named"],
        "journal:delete_check_in": by_kind["check_in"],
        "journal:restore_check_in": by_kind["check_in"],
        "journal:edit_rupture": by_kind["rupture"],
        "journal:delete_rupture": by_kind["rupture"],
        "journal:restore_rupture": by_kind["rupture"],
        "journal:window_check_in_undo": {"public_id": window_check_in.public_id},
        **{
            f"practices:{name}": by_kind["session"]
            for name in [
                "session",
                "check_in_before",
                "next_step",
                "pause",
                "resume",
                "finish",
                "check_in_after",
                "keep_alive",
                "edit_note",
                "close_session",
                "delete_session",
            ]
        },
        "practices:detail": {"slug": "breathwork"},
        "practices:begin": {"slug": "breathwork"},
        "practices:on_this_device": {"slug": "breathwork"},
        "reminders:row": by_kind["reminder"],
        "reminders:edit": by_kind["reminder"],
        "reminders:delete": by_kind["reminder"],
        "reminders:unsubscribe": {"token": unsubscribe_token(owner, "practice")},
        "portability:import_preview": by_kind["pending"],
        "portability:import_cancel": by_kind["pending"],
        "sharing:revoke": {"public_id": link.public_id},
        "sharing:shared_report": {"token": token},
        "sharing:shared_report_pdf": {"token": token},
        "activity:sign_out_device": {"public_id": other_device},
        "portability:history_preview": {"public_id": pending_history},
        "mfa:passkey_remove": {"public_id": passkey.public_id},
        "mfa:passkey_options": {"purpose": "sign-in"},
        "push:remove": {"public_id": subscription.public_id},
    }


def addresses_of(owner) -> dict[str, str]:
    """URL name -> address, for every URL pattern of the site outside the admin."""
    kwargs = _kwargs(owner)
    return {name: reverse(name, kwargs=kwargs.get(name)) for name in url_names()}
