"""Results remembered between runs, so a weekly job does not hammer hosts and a re-run checks only what changed.

The file is JSON, replaced atomically: ``{"version": 2, "entries": {url: {status, http_status, final_url,
detail, checked_at, policy}}}``. ``policy`` is the fingerprint of the host rule the verdict was made under;
editing the rule invalidates the entry. Only lasting verdicts are stored (ok, moved, broken, blocked):
timeouts and errors, which include refused connections, DNS outages, 429 and 5xx, are passing trouble, and
the next run should look again. The file is input like any other: an entry of the wrong shape is dropped
with a warning, and an entry dated in the future counts as stale.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..catalog.writer import write_atomic
from .model import LinkResult, Status

CACHE_VERSION = 2  # 2: refused connections and DNS outages are no longer stored as broken
CACHEABLE = {Status.OK, Status.MOVED, Status.BROKEN, Status.BLOCKED}
Entry = dict[str, Any]  # one URL's entry as JSON holds it; `_entry_result` checks its shape

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ResultCache:
    def __init__(self, path: Path, ttl: dt.timedelta, *, clock: Clock = utc_now):
        self.path = Path(path)
        self.ttl = ttl
        self.clock = clock
        self.entries: dict[str, Entry] = {}
        self.warning: str | None = None  # set when an unreadable file or malformed entries were ignored
        self.save_error: str | None = None  # set when `save_quietly` could not write the file

    @classmethod
    def load(cls, path: Path, ttl: dt.timedelta, *, clock: Clock = utc_now) -> ResultCache:
        """The cache stored at `path`; a missing or damaged file gives an empty cache, never an error."""
        cache = cls(path, ttl, clock=clock)
        try:
            data = json.loads(cache.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cache
        except (OSError, ValueError, RecursionError) as exc:  # RecursionError: absurdly nested JSON
            cache.warning = f"ignored unreadable cache {path}: {str(exc)[:200]}"
            return cache
        if (
            not isinstance(data, dict)
            or data.get("version") != CACHE_VERSION
            or not isinstance(data.get("entries"), dict)
        ):
            cache.warning = f"ignored {path}: not a cache written by this version of the checker"
            return cache
        good = {url: entry for url, entry in data["entries"].items() if _entry_result(url, entry) is not None}
        if len(good) < len(data["entries"]):
            cache.warning = f"ignored {len(data['entries']) - len(good)} malformed entries of {path}"
        cache.entries = good
        return cache

    def get(self, url: str, policy_fingerprint: str) -> LinkResult | None:
        entry = self.entries.get(url)
        if entry is None or entry.get("policy") != policy_fingerprint:
            return None
        result = _entry_result(url, entry)
        if result is None or not self._fresh(result.checked_at):
            return None
        return result

    def put(self, result: LinkResult, policy_fingerprint: str) -> None:
        if result.status not in CACHEABLE or result.cached:
            return
        self.entries[result.url] = {
            "status": result.status.value,
            "http_status": result.http_status,
            "final_url": result.final_url,
            "detail": result.detail,
            "checked_at": result.checked_at.isoformat(),
            "policy": policy_fingerprint,
        }

    def save(self) -> None:
        """Write the fresh entries; expired ones are dropped so the file does not grow forever."""
        fresh = {
            url: e
            for url, e in self.entries.items()
            if (result := _entry_result(url, e)) is not None and self._fresh(result.checked_at)
        }
        write_atomic(self.path, json.dumps({"version": CACHE_VERSION, "entries": fresh}, indent=1, sort_keys=True))

    def save_quietly(self) -> None:
        """`save`, with a failure recorded in `save_error` instead of raised: the verdicts matter more."""
        try:
            self.save()
        except OSError as exc:
            self.save_error = f"cannot write the cache {self.path}: {exc.strerror or exc}"

    def _fresh(self, checked_at: dt.datetime) -> bool:
        """Checked within the TTL; a date in the future is a clock error or a forgery, so it is stale."""
        age = self.clock() - checked_at
        return dt.timedelta(0) <= age < self.ttl


def _entry_result(url: Any, entry: Any) -> LinkResult | None:
    """The verdict an entry holds, or None when the entry is not of the documented shape."""
    if not isinstance(url, str) or not isinstance(entry, dict):
        return None
    try:
        status = Status(entry["status"])
        checked_at = dt.datetime.fromisoformat(entry["checked_at"])
        http_status, final_url, detail = entry["http_status"], entry["final_url"], entry["detail"]
    except (KeyError, TypeError, ValueError):
        return None
    if (
        status not in CACHEABLE
        or checked_at.tzinfo is None
        or not isinstance(entry.get("policy"), str)
        or not (http_status is None or (type(http_status) is int and 100 <= http_status <= 999))
        or not (final_url is None or isinstance(final_url, str))
        or not isinstance(detail, str)
    ):
        return None
    return LinkResult(url, status, http_status, final_url, detail, checked_at, cached=True)
