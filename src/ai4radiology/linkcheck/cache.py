"""Results remembered between runs, so a weekly job does not hammer hosts and a re-run checks only what changed.

The file is JSON, replaced atomically: ``{"version": 1, "entries": {url: {status, http_status, final_url,
detail, checked_at, policy}}}``. ``policy`` is the fingerprint of the host rule the verdict was made under;
editing the rule invalidates the entry. Timeouts and errors are never stored: they are usually passing
trouble, and the next run should look again.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Callable

from ..catalog.writer import write_atomic
from .model import LinkResult, Status

CACHE_VERSION = 1
CACHEABLE = {Status.OK, Status.MOVED, Status.BROKEN, Status.BLOCKED}

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class ResultCache:
    def __init__(self, path: Path, ttl: dt.timedelta, *, clock: Clock = utc_now):
        self.path = Path(path)
        self.ttl = ttl
        self.clock = clock
        self.entries: dict[str, dict] = {}
        self.warning: str | None = None  # set when an unreadable file was ignored

    @classmethod
    def load(cls, path: Path, ttl: dt.timedelta, *, clock: Clock = utc_now) -> "ResultCache":
        """The cache stored at `path`; a missing or damaged file gives an empty cache, never an error."""
        cache = cls(path, ttl, clock=clock)
        try:
            data = json.loads(cache.path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION and isinstance(data.get("entries"), dict):
                cache.entries = data["entries"]
            else:
                cache.warning = f"ignored {path}: written by another version of the checker"
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as exc:
            cache.warning = f"ignored unreadable cache {path}: {exc}"
        return cache

    def get(self, url: str, policy_fingerprint: str) -> LinkResult | None:
        entry = self.entries.get(url)
        if entry is None or entry.get("policy") != policy_fingerprint:
            return None
        try:
            checked_at = dt.datetime.fromisoformat(entry["checked_at"])
            if not self._fresh(checked_at):
                return None
            return LinkResult(url, Status(entry["status"]), entry["http_status"], entry["final_url"],
                              entry["detail"], checked_at, cached=True)
        except (KeyError, TypeError, ValueError):
            return None  # a hand-edited or damaged entry is simply checked again

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
        fresh = {url: e for url, e in self.entries.items() if self._fresh_entry(e)}
        write_atomic(self.path, json.dumps({"version": CACHE_VERSION, "entries": fresh}, indent=1, sort_keys=True))

    def _fresh(self, checked_at: dt.datetime) -> bool:
        return self.clock() - checked_at < self.ttl

    def _fresh_entry(self, entry: dict) -> bool:
        try:
            return self._fresh(dt.datetime.fromisoformat(entry["checked_at"]))
        except (KeyError, TypeError, ValueError):
            return False
