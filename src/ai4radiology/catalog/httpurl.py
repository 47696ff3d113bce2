"""The one rule for an http(s) URL, kept free of pydantic so the link checker's `--urls` starts fast."""

from __future__ import annotations

from urllib.parse import urlsplit

from ai4radiology.catalog.characters import unseen_character


def require_http_url(value: str) -> str:
    """`value` if it is an http(s) URL with a host that a browser can open; ValueError saying why not.

    The one rule for every URL the catalog stores and the link checker fetches.
    """
    found = unseen_character(value)
    if found:
        raise ValueError(f"contains an invisible or control character ({found}): delete it")
    try:
        parts = urlsplit(value)
    except ValueError:  # urlsplit's only complaint: a '[' or ']' without its partner in the host
        raise ValueError(
            "the host has a '[' without ']' or the reverse (an IPv6 address is written http://[::1]/)"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or not value.isprintable() or " " in value:
        raise ValueError("must be an http(s) URL such as https://example.org/page")
    try:
        parts.port  # noqa: B018 -- reading it is the check: a port outside 0-65535 or not a number raises
    except ValueError:
        port = parts.netloc.rpartition("@")[2].rpartition(":")[2]
        raise ValueError(f"port '{port}' is not a port number (0 to 65535)") from None
    return value
