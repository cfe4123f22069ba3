"""Send one notification to a person's devices through their push services.

pywebpush encrypts the payload for each device (RFC 8291, aes128gcm) and we sign
a VAPID token (RFC 8292) once per push service and batch. What each push service
answers decides what happens next: 201 delivered; 404 or 410 the device is gone
(its subscription is removed); 429, 5xx, a timeout or a refused connection are
worth retrying; any other answer is a fault that would only repeat.
"""

import json
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPusher

logger = logging.getLogger(__name__)

# A reminder is stale after a few hours: the push service may drop it after this.
TIME_TO_LIVE_SECONDS = 4 * 60 * 60
# "normal" lets a phone on battery saver hold it briefly; reminders are never urgent.
URGENCY = "normal"
# VAPID tokens may live up to 24 hours (RFC 8292); a batch needs minutes.
TOKEN_LIFETIME_SECONDS = 12 * 60 * 60
GONE = {404, 410}


@dataclass
class PushOutcome:
    """What became of one notification across a person's devices."""

    delivered: list = field(default_factory=list)
    gone: list = field(default_factory=list)
    retry_error: str = ""
    fault: str = ""


class PushSender:
    """One HTTP session and one VAPID signer for a batch of notifications."""

    def __init__(self):
        self.session = requests.Session()
        if settings.PUSH_CA_BUNDLE:
            # The tests' loopback push service has a certificate of its own. Without
            # trust_env=False, REQUESTS_CA_BUNDLE in the environment would win.
            self.session.verify = settings.PUSH_CA_BUNDLE
            self.session.trust_env = False
        self.vapid = Vapid.from_raw(settings.VAPID_PRIVATE_KEY.encode())
        self.tokens: dict[str, dict[str, str]] = {}

    def __enter__(self) -> "PushSender":
        return self

    def __exit__(self, *exc) -> None:
        self.session.close()

    def vapid_headers(self, endpoint: str) -> dict[str, str]:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        if audience not in self.tokens:
            claims = {
                "aud": audience,
                "exp": int(time.time()) + TOKEN_LIFETIME_SECONDS,
                "sub": settings.VAPID_SUBJECT,
            }
            self.tokens[audience] = self.vapid.sign(claims)
        return dict(self.tokens[audience])

    def send(self, subscriptions: list, payload: dict) -> PushOutcome:
        """Send `payload` (small JSON) to each subscription; never raises for one device."""
        data = json.dumps(payload, separators=(",", ":")).encode()
        outcome = PushOutcome()
        for subscription in subscriptions:
            headers = {"Urgency": URGENCY, **self.vapid_headers(subscription.endpoint)}
            try:
                response = WebPusher(
                    subscription.subscription_info, requests_session=self.session
                ).send(
                    data,
                    headers,
                    ttl=TIME_TO_LIVE_SECONDS,
                    content_encoding="aes128gcm",
                    timeout=settings.PUSH_TIMEOUT_SECONDS,
                )
            except requests.RequestException as error:
                # Timeouts and refused connections: the service may be back soon.
                outcome.retry_error = f"{type(error).__name__}: {error}"[:300]
                continue
            except Exception as error:
                # A key the encryption refuses, say: sending again would fail again.
                logger.exception("push to subscription=%s could not be prepared", subscription.pk)
                outcome.fault = f"{type(error).__name__}: {error}"[:300]
                continue
            status = response.status_code
            if status < 300:
                outcome.delivered.append(subscription)
            elif status in GONE:
                outcome.gone.append(subscription)
            elif status == 429 or status >= 500:
                outcome.retry_error = f"Push service answered {status}"
            else:
                logger.warning(
                    "push to subscription=%s refused: %s %s",
                    subscription.pk,
                    status,
                    response.text[:200],
                )
                outcome.fault = f"Push service refused it ({status})"
        return outcome
