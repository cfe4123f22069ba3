"""How the throttles find a client's address behind N proxies (read by settings.py).

Each proxy in front appends the address it received the request from to
X-Forwarded-For, so with N proxies the client is the N-th entry from the right;
anything to its left was written by the client and proves nothing. django-ipware
counts only the proxies listed in the header (the nearest one is REMOTE_ADDR,
not listed), hence N - 1, and `strict` off so a forged prefix cannot hide the
client. With no proxy the header is ignored and REMOTE_ADDR is the client.
"""


def address_settings(proxies_in_front: int) -> dict:
    if proxies_in_front <= 0:
        return {
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
            "IPWARE_STRICT": True,
        }
    return {
        "AXES_IPWARE_PROXY_COUNT": proxies_in_front - 1,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "IPWARE_STRICT": False,
    }
