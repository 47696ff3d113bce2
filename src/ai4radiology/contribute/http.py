"""A polite HTTP client for the bibliographic services: their published pace, a User-Agent that names us,
retries on 429/503 that honour Retry-After, and a small JSON cache with a time to live.

Where the services live, how fast we may ask and who to contact come from `Settings`, which the CLI fills
from options and environment variables; tests point it at servers on loopback and set the pace to 0.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ai4radiology import __version__
from ai4radiology.catalog.writer import write_atomic

ARXIV_URL = "https://export.arxiv.org"
CROSSREF_URL = "https://api.crossref.org"
ARXIV_INTERVAL = 3.0  # arXiv's terms of use: no more than one request every three seconds
CROSSREF_INTERVAL = 0.2  # Crossref's public and polite pools both allow at least five requests a second
RETRIED = {429, 502, 503, 504}
MAX_RETRIES = 3
LONGEST_WAIT = 120.0  # a Retry-After beyond this is a service that is down, not busy
CACHE_VERSION = 1


class ServiceError(Exception):
    """A service could not answer usefully (down, slow, refusing, garbage); the message is one line."""


@dataclass(frozen=True)
class Settings:
    arxiv_url: str = ARXIV_URL
    crossref_url: str = CROSSREF_URL
    interval: float = ARXIV_INTERVAL
    """Seconds between arXiv requests; 0 turns every wait off (pacing and back-off), for local test servers."""
    contact: str | None = None
    """An e-mail address for Crossref's polite pool and the User-Agent."""
    timeout: float = 20.0
    cache_path: Path | None = Path(".cache/lookups.json")
    ttl: dt.timedelta = dt.timedelta(days=7)

    @classmethod
    def from_base_url(cls, base_url: str | None, **kwargs: object) -> Settings:
        """One base URL for both services (a local test server answers /api/query and /works/...)."""
        if base_url:
            base = base_url.rstrip("/")
            return cls(arxiv_url=base, crossref_url=base, **kwargs)  # type: ignore[arg-type]
        return cls(**kwargs)  # type: ignore[arg-type]

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.contact}" if self.contact else ""
        return f"ai4radiology/{__version__} (catalog maintenance tool{contact})"


class JsonCache:
    """Answers remembered by URL for `ttl`: {"version": 1, "entries": {key: {"at": iso, "body": text}}}."""

    def __init__(self, path: Path | None, ttl: dt.timedelta, clock: Callable[[], dt.datetime]):
        self.path, self.ttl, self.clock = path, ttl, clock
        self.entries: dict[str, dict[str, str]] = {}
        self.changed = False
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data.get("entries") if isinstance(data, dict) else None
            if data.get("version") == CACHE_VERSION and isinstance(entries, dict):
                self.entries = entries
        except (OSError, ValueError):
            pass  # a missing or damaged cache is an empty one

    @staticmethod
    def key(url: str, params: Mapping[str, str]) -> str:
        return hashlib.sha256(json.dumps([url, sorted(params.items())]).encode()).hexdigest()

    def get(self, key: str) -> str | None:
        entry = self.entries.get(key)
        return entry["body"] if entry and self._fresh(entry) else None

    def put(self, key: str, body: str) -> None:
        if self.path is not None:
            self.entries[key] = {"at": self.clock().isoformat(), "body": body}
            self.changed = True

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        fresh = {key: entry for key, entry in self.entries.items() if self._fresh(entry)}
        write_atomic(self.path, json.dumps({"version": CACHE_VERSION, "entries": fresh}, sort_keys=True))

    def _fresh(self, entry: Mapping[str, str]) -> bool:
        try:
            return self.clock() - dt.datetime.fromisoformat(entry["at"]) < self.ttl
        except (KeyError, TypeError, ValueError):
            return False


@dataclass
class Pacer:
    """Keeps at least `interval` seconds between the starts of two requests to one service."""

    interval: float
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: float | None = field(default=None, repr=False)

    def wait(self) -> None:
        if self._last is not None and self.interval > 0:
            remaining = self._last + self.interval - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self._last = self.clock()


class PoliteClient:
    """GET with pacing, retries and the cache; one instance per command run, closed by `close()`."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        transport: httpx.BaseTransport | None = None,
    ):
        self.settings = settings
        self.sleep = sleep
        self.waits_enabled = settings.interval > 0
        self.pacers = {
            "arXiv": Pacer(settings.interval, sleep, clock),
            "Crossref": Pacer(min(settings.interval, CROSSREF_INTERVAL), sleep, clock),
        }
        self.cache = JsonCache(settings.cache_path, settings.ttl, now)
        self.http = httpx.Client(
            headers={"User-Agent": settings.user_agent},
            timeout=settings.timeout,
            follow_redirects=True,
            transport=transport,
        )
        self.requests_sent = 0

    def close(self) -> None:
        self.http.close()

    def get(self, service: str, url: str, params: Mapping[str, str] | None = None) -> tuple[int, str]:
        """(status, body) of the final answer; 200s are cached. Raises ServiceError when none comes."""
        params = dict(params or {})
        key = JsonCache.key(url, params)
        cached = self.cache.get(key)
        if cached is not None:
            return 200, cached
        for attempt in range(MAX_RETRIES + 1):
            self.pacers[service].wait()
            response = self._send(service, url, params)
            if response.status_code not in RETRIED or attempt == MAX_RETRIES:
                break
            self._back_off(service, response, attempt)
        if response.status_code in RETRIED:
            raise ServiceError(f"{service} is unavailable (HTTP {response.status_code} after {MAX_RETRIES} retries)")
        if response.status_code == 200:
            self.cache.put(key, response.text)
        return response.status_code, response.text

    def forget(self, url: str, params: Mapping[str, str] | None = None) -> None:
        """Drop a cached answer that turned out to say 'not found': the paper may appear tomorrow."""
        self.cache.entries.pop(JsonCache.key(url, dict(params or {})), None)

    def _send(self, service: str, url: str, params: dict[str, str]) -> httpx.Response:
        self.requests_sent += 1
        try:
            return self.http.get(url, params=params)
        except httpx.TimeoutException:
            raise ServiceError(f"{service} did not answer within {self.settings.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise ServiceError(f"cannot reach {service} at {self.settings_url(service)}: {exc}") from None

    def settings_url(self, service: str) -> str:
        return self.settings.arxiv_url if service == "arXiv" else self.settings.crossref_url

    def _back_off(self, service: str, response: httpx.Response, attempt: int) -> None:
        asked = retry_after(response.headers.get("Retry-After"), dt.datetime.now(dt.UTC))
        if asked is not None and asked > LONGEST_WAIT:
            raise ServiceError(f"{service} asks to wait {asked:.0f} s (HTTP {response.status_code}); try again later")
        delay = asked if asked is not None else max(self.pacers[service].interval, 1.0) * 2**attempt
        if self.waits_enabled and delay > 0:
            self.sleep(delay)


def retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds a Retry-After header asks for: a number of seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())
