"""How an answer, or the failure to get one, becomes a verdict.

Verdicts distinguish a dead link from passing trouble. Broken means the page is gone: 404/410, or a host
name that does not exist. A refused connection, a DNS outage, 429 or 5xx after the retries and timeouts are
reported as error or timeout, which are never cached and never fail a run without --strict. Permanent
failures (protocol errors, odd status codes, refused connections, unknown hosts) are not retried.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import socket
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urldefrag, urljoin, urlsplit

from yarl import URL

from .cache import utc_now
from .hosts import host_key
from .model import InvalidURL, LinkResult, Status, require_http_url, shown
from .policy import HostPolicy, LinkPolicy
from .transport import ConnectError, ProtocolError, TLSError

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
GONE = frozenset({404, 410})
NO_SUCH_HOST = {getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, name)}


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    headers: Mapping[str, str]


@dataclass(frozen=True)
class Verdict:
    status: Status
    detail: str
    http_status: int | None = None
    final_url: str | None = None
    retry: bool = False  # passing trouble worth another attempt: timeouts, connection trouble, 429, 5xx
    retry_after: float | None = None  # seconds the server asked us to wait
    hung: bool = False  # no answer in time: a HEAD that hangs is tried again as GET

    @property
    def refused_head(self) -> bool:
        """An error answer that a HEAD may have earned wrongly: worth confirming with GET."""
        return (
            self.status is not Status.OK
            and self.http_status is not None
            and self.http_status >= 400
            and self.http_status != 429
        )


def judge(url: str, answer: Answer, chain: list[tuple[int, str]], rule: HostPolicy, policy: LinkPolicy) -> Verdict:
    """The verdict on the last answer for `url`, reached through the redirects in `chain`."""
    status, final = answer.status, answer.url
    redirected = f" (redirected to {shown(final)})" if chain else ""
    if 200 <= status < 300 or status in rule.accept:
        return _alive(url, answer, chain)
    if policy.is_blocked(rule, status, answer.headers):
        return Verdict(
            Status.BLOCKED, f"HTTP {status}: the host turns automated clients away{redirected}", status, final
        )
    if status in GONE:
        return Verdict(Status.BROKEN, f"HTTP {status}: page not found{redirected}", status, final)
    if status == 429:
        wait = retry_after(answer.headers)
        asked = f", asked to wait {wait:g} s" if wait else ""
        return Verdict(Status.ERROR, f"HTTP 429: rate limited{asked}", status, final, retry=True, retry_after=wait)
    if 500 <= status <= 599:
        return Verdict(
            Status.ERROR,
            f"HTTP {status}: server error{redirected}",
            status,
            final,
            retry=True,
            retry_after=retry_after(answer.headers),
        )
    if status in REDIRECTS:
        why = "without a usable Location" if rule.follow_redirects else "that the host policy does not follow"
        return Verdict(Status.ERROR, f"HTTP {status} redirect {why}", status, final)
    return Verdict(Status.ERROR, f"HTTP {status}{redirected}", status, final)


def _alive(url: str, answer: Answer, chain: list[tuple[int, str]]) -> Verdict:
    status, final = answer.status, answer.url
    if status in REDIRECTS:  # a redirect the host policy accepts as proof of life (DOI resolvers)
        target = final
        location = answer.headers.get("location", "").strip()
        if location:
            candidate, problem = redirect_target(final, location)
            target = final if problem else candidate
        return Verdict(Status.OK, f"HTTP {status} to {shown(target)}, accepted by the host policy", status, target)
    if chain and _is_home_page(url, final):
        return Verdict(
            Status.MOVED, f"redirects to the site's home page {shown(final)}: the page is probably gone", status, final
        )
    moves = [target for code, target in chain if code in PERMANENT_REDIRECTS]
    if moves:
        return Verdict(Status.MOVED, f"moved permanently: update the link to {shown(moves[-1])}", status, final)
    return Verdict(Status.OK, f"redirects to {shown(final)}" if chain else "", status, final)


def redirect_target(base: str, location: str) -> tuple[str, str | None]:
    """The absolute address a Location points to, without its fragment, or why it cannot be followed."""
    try:
        target = urldefrag(urljoin(base, location)).url
    except ValueError:
        return "", "an address that cannot be parsed"
    if urlsplit(target).scheme not in ("http", "https"):
        return target, "a non-web address"
    try:
        require_http_url(target)
        URL(target)  # what the request will parse: it must not fail there
    except (InvalidURL, ValueError, TypeError):
        return target, "an invalid address"
    return target, None


def _is_home_page(url: str, final: str) -> bool:
    """A link to a specific page that lands on a site's root: the usual soft 404 of a retired site."""
    asked, landed = urlsplit(url), urlsplit(final)
    return asked.path.strip("/") != "" and landed.path.strip("/") == "" and not landed.query


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Retry-After as seconds: delay-seconds (fractions tolerated) or an HTTP date."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
        return max(0.0, seconds) if seconds == seconds else None  # NaN is no answer
    except (ValueError, OverflowError):
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - utc_now()).total_seconds())


def failure(exc: Exception, url: str, timeout: float) -> Verdict:
    """The verdict on a request that got no answer: dead, passing trouble (retried), or a permanent fault."""
    if isinstance(exc, TimeoutError):
        return Verdict(Status.TIMEOUT, f"no answer within {timeout:g} s", final_url=url, retry=True, hung=True)
    if isinstance(exc, socket.gaierror):
        if exc.errno in NO_SUCH_HOST:
            return Verdict(Status.BROKEN, "host not found (DNS: no such host)", final_url=url)
        return Verdict(
            Status.ERROR, f"DNS lookup failed, probably for a while: {shown(str(exc))}", final_url=url, retry=True
        )
    if isinstance(exc, TLSError):
        return Verdict(Status.ERROR, f"TLS failure: {describe(exc.os_error)}", final_url=url)
    if isinstance(exc, ConnectError):
        if isinstance(exc.os_error, ConnectionRefusedError) or exc.os_error.errno == errno.ECONNREFUSED:
            return Verdict(Status.ERROR, "connection refused", final_url=url)
        return Verdict(Status.ERROR, f"cannot connect: {describe(exc.os_error)}", final_url=url, retry=True)
    if isinstance(exc, OSError):  # reset, closed or broken while asking: ConnectionError, ssl.SSLError
        return Verdict(Status.ERROR, f"connection failed: {describe(exc)}", final_url=url, retry=True)
    if isinstance(exc, ProtocolError):
        return Verdict(Status.ERROR, f"protocol error: {describe(exc)}", final_url=url)
    if isinstance(exc, (InvalidURL, ValueError)):
        return Verdict(Status.ERROR, f"cannot request this address: {describe(exc)}", final_url=url)
    return Verdict(Status.ERROR, f"unexpected failure: {describe(exc)}", final_url=url)


def describe(exc: BaseException) -> str:
    """An exception as one printable line: its type and message, bounded."""
    text = str(exc)
    return shown(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def page_of(url: str) -> str:
    """The address without its #fragment: the page a browser fetches."""
    return urldefrag(url).url if "#" in url else url


def mark_generic_pages(results: Iterable[LinkResult], threshold: int) -> list[LinkResult]:
    """Links of one host that all land on the same page were retired to a generic page (a soft 404)."""
    results = list(results)
    landings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for result in results:
        page, landing = page_of(result.url), result.final_url
        if result.status in (Status.OK, Status.MOVED) and landing and landing not in (result.url, page):
            landings[(host_key(result.url), landing)].add(page)
    generic = {
        url: (landing, len(urls)) for (_, landing), urls in landings.items() if len(urls) >= threshold for url in urls
    }
    return [
        replace(
            r,
            status=Status.MOVED,
            detail=f"lands on a generic page {shown(generic[page][0])}, like {generic[page][1] - 1} other "
            "links of this host: the page is probably gone",
        )
        if (page := page_of(r.url)) in generic
        else r
        for r in results
    ]
