"""A real Web Push service on loopback, over TLS, that checks what it receives.

It stands in for FCM or Mozilla's autopush: it accepts the RFC 8030 request,
checks the VAPID token (RFC 8292: signature, aud, exp, sub) against the site's
public key, and decrypts the RFC 8291 payload (aes128gcm) with the device's
private key, as the browser would. `Device` is the browser's side: a P-256 key
pair and an auth secret, made here.
"""

import base64
import datetime
import http.server
import json
import os
import secrets
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass, field

import http_ece
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Device:
    """A browser's push subscription: its keys never leave the "device" but to decrypt."""

    def __init__(self, service: "PushService"):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = secrets.token_bytes(16)
        self.path = f"/wpush/v2/{secrets.token_urlsafe(24)}"
        self.endpoint = f"{service.origin}{self.path}"
        service.devices[self.path] = self

    @property
    def p256dh(self) -> str:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(public)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription_json(self) -> dict:
        """What the browser's PushSubscription.toJSON() gives."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }

    def decrypt(self, body: bytes) -> bytes:
        return http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )


@dataclass
class PushMessage:
    path: str
    headers: dict
    payload: dict
    claims: dict
    problems: list = field(default_factory=list)


def self_signed_certificate(folder: str) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(folder, "push-service.pem")
    key_path = os.path.join(folder, "push-service.key")
    with open(cert_path, "wb") as out:
        out.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return cert_path, key_path


def verify_vapid(authorization: str, expected_key: str, audience: str) -> tuple[dict, list[str]]:
    """The token's claims, and what is wrong with it (nothing, if all is well)."""
    problems = []
    scheme, _, params = authorization.partition(" ")
    parts = dict(item.strip().split("=", 1) for item in params.split(",") if "=" in item)
    if scheme.lower() != "vapid" or "t" not in parts or "k" not in parts:
        return {}, ["not a vapid authorization"]
    if parts["k"] != expected_key:
        problems.append("k is not the site's VAPID public key")
    header_b64, claims_b64, signature_b64 = parts["t"].split(".")
    header, claims = json.loads(unb64url(header_b64)), json.loads(unb64url(claims_b64))
    if header.get("alg") != "ES256":
        problems.append(f"alg {header.get('alg')}")
    signature = unb64url(signature_b64)
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except Exception:
        problems.append("bad signature")
    if claims.get("aud") != audience:
        problems.append(f"aud {claims.get('aud')!r}")
    if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 60 * 60:
        problems.append(f"exp {claims.get('exp')!r}")
    if not str(claims.get("sub", "")).startswith("mailto:"):
        problems.append(f"sub {claims.get('sub')!r}")
    return claims, problems


class PushService:
    """Answers 201 to each good push; `answer` makes it answer something else
    (410 for a device that unsubscribed, 503 for an outage); `stop()` takes it
    off the network altogether (connections are refused) and `start()` brings
    it back on the same port."""

    def __init__(self, vapid_public_key: str):
        self.vapid_public_key = vapid_public_key
        self.folder = tempfile.mkdtemp(prefix="push-service-")
        self.cert_path, key_path = self_signed_certificate(self.folder)
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(self.cert_path, key_path)
        self.devices: dict[str, Device] = {}
        self.messages: list[PushMessage] = []
        self.refused: list[str] = []  # requests answered other than 201
        self.answer: int | None = None
        self._lock = threading.Lock()
        self.server: http.server.ThreadingHTTPServer | None = None
        self.port = 0
        self.start()

    @property
    def origin(self) -> str:
        return f"https://localhost:{self.port}"

    @property
    def allowed_host(self) -> str:
        return f"localhost:{self.port}"

    def start(self) -> "PushService":
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = service.receive(self.path, dict(self.headers.items()), body)
                self.send_response(status)
                if status == 201:
                    self.send_header("Location", f"{service.origin}/m/{secrets.token_hex(8)}")
                self.send_header("Content-Length", "0")
                self.end_headers()

        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        self.port = server.server_address[1]
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def receive(self, path: str, headers: dict, body: bytes) -> int:
        headers = {name.lower(): value for name, value in headers.items()}
        if self.answer is not None:
            with self._lock:
                self.refused.append(path)
            return self.answer
        device = self.devices.get(path)
        if device is None:
            return 404
        claims, problems = verify_vapid(
            headers.get("authorization", ""), self.vapid_public_key, self.origin
        )
        if headers.get("content-encoding") != "aes128gcm":
            problems.append(f"content-encoding {headers.get('content-encoding')!r}")
        try:
            payload = json.loads(device.decrypt(body))
        except Exception as error:
            payload = {}
            problems.append(f"could not decrypt: {error!r}")
        with self._lock:
            self.messages.append(PushMessage(path, headers, payload, claims, problems))
        return 400 if problems else 201

    def count(self) -> int:
        with self._lock:
            return len(self.messages)
