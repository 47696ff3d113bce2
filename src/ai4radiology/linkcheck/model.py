"""The link checker's data: what is checked, where it comes from, and what was found."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..catalog.httpurl import require_http_url as http_url_rule


class Status(StrEnum):
    OK = "ok"
    MOVED = "moved"  # works, but from a new address the record should use (or lands on a generic page)
    BROKEN = "broken"  # 404/410, unknown host, connection refused: the link is dead
    BLOCKED = "blocked"  # the host refuses automated clients; says nothing about the page
    TIMEOUT = "timeout"
    ERROR = "error"  # anything else: 5xx after retries, redirect loops, TLS or protocol failures
    SKIPPED = "skipped"  # the host policy says not to check it

    @property
    def is_problem(self) -> bool:
        return self not in (Status.OK, Status.SKIPPED)


REPORT_ORDER = [Status.BROKEN, Status.MOVED, Status.ERROR, Status.TIMEOUT, Status.BLOCKED, Status.SKIPPED, Status.OK]


CATEGORIES = ("paper", "code", "dataset", "reference")
SHOWN_CHARACTERS = 300


class InvalidURL(ValueError):
    """Only http(s) URLs with a host (and a valid port, if any) can be checked."""


def require_http_url(url: str) -> str:
    try:
        return http_url_rule(url)
    except ValueError as exc:
        raise InvalidURL(f"not an http(s) URL ({exc}): {url!r}") from None


def shown(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """Text from a server (a Location, an error message) made safe to print: control characters escaped,
    length bounded. Markdown reports still put it in code spans."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, order=True)
class LinkOrigin:
    """Where a URL is written: the record and field to fix, and its position in the file."""

    path: str
    line: int
    column: int
    record_id: str
    field: str

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Link:
    url: str
    origins: tuple[LinkOrigin, ...] = ()

    def __post_init__(self) -> None:
        require_http_url(self.url)


def merge_links(links: Iterable[Link]) -> list[Link]:
    """One Link per URL, carrying every place the URL is written."""
    merged: dict[str, Link] = {}
    for link in links:
        seen = merged.get(link.url)
        merged[link.url] = link if seen is None else Link(link.url, seen.origins + link.origins)
    return [
        link if len(link.origins) < 2 else Link(link.url, tuple(sorted(set(link.origins)))) for link in merged.values()
    ]


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: Status
    http_status: int | None = None  # of the last answer, after redirects
    final_url: str | None = None  # where redirects ended (the URL itself when there were none)
    detail: str = ""
    checked_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    origins: tuple[LinkOrigin, ...] = ()
    requests_sent: int = 0  # in this run; 0 for results from the cache or skipped hosts
    cached: bool = False


@dataclass(repr=False)
class Report:
    results: list[LinkResult]
    started_at: dt.datetime
    duration: float

    def __repr__(self) -> str:
        # Short: asyncio's runner formats the finished main task, result included, when it restores the
        # SIGINT handler; a full repr of thousands of results cost tens of milliseconds there.
        return f"Report({len(self.results)} results, {self.duration:.2f} s)"

    @property
    def counts(self) -> dict[Status, int]:
        found = Counter(r.status for r in self.results)
        return {status: found[status] for status in REPORT_ORDER}

    @property
    def problems(self) -> list[LinkResult]:
        return [r for r in self.results if r.status.is_problem]

    def failed(self, strict: bool = False) -> bool:
        """Broken links fail the job; with `strict` so do blocked, timed-out and errored ones."""
        failing = {Status.BROKEN} | ({Status.BLOCKED, Status.TIMEOUT, Status.ERROR} if strict else set())
        return any(r.status in failing for r in self.results)
