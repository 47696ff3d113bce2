"""The async engine: one shared httpx client, a global and a per-host limit, retries, redirects by hand.

Each URL is probed with HEAD; any error answer is confirmed with GET, because many servers answer HEAD
wrongly. GET is streamed and reads at most `max_body_bytes`, so a dataset archive is never downloaded.
Redirects are followed one hop at a time (each hop takes a slot of its own host) so loops are caught,
permanent moves are reported, and a host policy can stop at a resolver's redirect.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import random
import socket
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping
from urllib.parse import urljoin, urlsplit

import httpx

from .cache import ResultCache, utc_now
from .model import Link, LinkResult, Report, Status, merge_links
from .policy import HostPolicy, LinkPolicy, load_policy

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
GONE = frozenset({404, 410})

Progress = Callable[[int, int], None]  # (links done, links to check)


@dataclass(frozen=True)
class CheckerConfig:
    concurrency: int = 32  # requests in flight, all hosts together
    per_host: int = 4  # requests in flight to one host
    timeout: float = 15.0  # seconds for one request: connect, headers and the first bytes of the body
    retries: int = 2  # extra attempts after a timeout, connection error, 429 or 5xx
    backoff: float = 1.0  # seconds before the first retry; doubles each time, with jitter
    max_retry_after: float = 60.0  # the longest Retry-After honoured; a host asking for more is not retried
    budget: float = 1800.0  # seconds for the whole run; links not done by then are reported as timeouts
    max_redirects: int = 10
    max_body_bytes: int = 8192  # of a GET body; enough to let small pages keep the connection alive
    generic_page_threshold: int = 3  # this many links of one host landing on one page make it a generic page

    def __post_init__(self) -> None:
        for name in ("concurrency", "per_host", "timeout", "budget", "max_redirects", "generic_page_threshold"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        for name in ("retries", "backoff", "max_retry_after", "max_body_bytes"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")


@dataclass(frozen=True)
class _Answer:
    url: str
    status: int
    headers: Mapping[str, str]


@dataclass(frozen=True)
class _Verdict:
    status: Status
    detail: str
    http_status: int | None = None
    final_url: str | None = None
    retry: bool = False  # worth another attempt: timeouts, connection trouble, 429, 5xx
    retry_after: float | None = None  # seconds the server asked us to wait


class _HostGate:
    """A host's share of the requests, the pause it asked for with Retry-After, and who still needs it."""

    def __init__(self, limit: int):
        self.slots = asyncio.Semaphore(limit)
        self.resume_at = 0.0
        self.workers = 0  # workers still taking this host's links
        self.in_flight = 0

    @property
    def unused(self) -> bool:
        return self.workers == 0 and self.in_flight == 0

    async def wait_for_pause(self) -> None:
        loop = asyncio.get_running_loop()
        while (delay := self.resume_at - loop.time()) > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        self.resume_at = max(self.resume_at, asyncio.get_running_loop().time() + seconds)


class _HostPools(httpx.AsyncBaseTransport):
    """One small connection pool per host.

    httpcore scans every connection of a pool on each request, and a shared pool smaller than
    hosts x per_host keeps evicting one host's idle connections for another's: with one pool per host
    the scan is short and keep-alive connections survive. A host's pool is closed once nothing needs it.
    """

    def __init__(self, per_host: int):
        self.limits = httpx.Limits(max_connections=per_host, max_keepalive_connections=per_host)
        self.ssl_context = httpx.create_ssl_context()  # built once: it costs tens of ms
        self.pools: dict[str, httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        pool = self.pools.get(request.url.host)
        if pool is None:
            pool = httpx.AsyncHTTPTransport(verify=self.ssl_context, limits=self.limits)
            self.pools[request.url.host] = pool
        return await pool.handle_async_request(request)

    async def release(self, host: str) -> None:
        pool = self.pools.pop(host, None)
        if pool is not None:
            await pool.aclose()

    async def aclose(self) -> None:
        while self.pools:
            await self.release(next(iter(self.pools)))


class _Checker:
    def __init__(self, client: httpx.AsyncClient, pools: _HostPools | None, config: CheckerConfig,
                 policy: LinkPolicy, deadline: float):
        self.client = client
        self.pools = pools
        self.config = config
        self.policy = policy
        self.deadline = deadline
        self.all_hosts = asyncio.Semaphore(config.concurrency)
        self.gates: dict[str, _HostGate] = defaultdict(lambda: _HostGate(config.per_host))
        self.sent: Counter[str] = Counter()  # requests per checked URL, redirect hops included

    async def run(self, links: list[Link], progress: Progress | None) -> list[LinkResult]:
        """Check every link before the deadline; links left over are reported as timeouts."""
        queues: dict[str, deque[Link]] = defaultdict(deque)
        for link in links:
            queues[_host(link.url)].append(link)
        results: dict[str, LinkResult] = {}
        if progress:
            progress(0, len(links))

        async def worker(host: str, queue: deque[Link]) -> None:
            while queue:
                link = queue.popleft()
                results[link.url] = await self.check(link)
                if progress:
                    progress(len(results), len(links))
            self.gates[host].workers -= 1
            await self._release_if_unused(host)

        # A few workers per host (not one task per URL): bounded tasks, and no worker waits on a busy host
        # while another host is idle.
        try:
            async with asyncio.timeout_at(self.deadline):
                async with asyncio.TaskGroup() as group:
                    for host, queue in queues.items():
                        self.gates[host].workers = min(self.config.per_host, len(queue))
                        for _ in range(self.gates[host].workers):
                            group.create_task(worker(host, queue))
        except TimeoutError:
            pass  # the budget ran out: what is unfinished is reported below
        return [results.get(link.url) or self._out_of_time(link) for link in links]

    def _out_of_time(self, link: Link) -> LinkResult:
        return LinkResult(link.url, Status.TIMEOUT, detail="not finished within the time budget",
                          origins=link.origins, requests_sent=self.sent[link.url])

    async def check(self, link: Link) -> LinkResult:
        method = self.policy.for_url(link.url).method
        attempt = 0
        while True:
            verdict = await self._follow(link.url, method)
            if method == "HEAD" and _refused_head(verdict):
                method = "GET"  # many servers answer HEAD wrongly: confirm every error with GET
                continue
            delay = self._retry_delay(attempt, verdict)
            if delay is None:
                break
            attempt += 1
            await asyncio.sleep(delay)
        return LinkResult(link.url, verdict.status, verdict.http_status, verdict.final_url, verdict.detail,
                          origins=link.origins, requests_sent=self.sent[link.url])

    def _retry_delay(self, attempt: int, verdict: _Verdict) -> float | None:
        """Seconds to wait before another attempt, or None when there should be none."""
        if not verdict.retry or attempt >= self.config.retries:
            return None
        if verdict.retry_after is not None:
            if verdict.retry_after > self.config.max_retry_after:
                return None  # the host wants a longer pause than we can give: report, do not hammer
            self.gates[_host(verdict.final_url or "")].pause(verdict.retry_after)
            delay = verdict.retry_after
        else:
            delay = self.config.backoff * 2**attempt * random.uniform(0.5, 1.0)
        if asyncio.get_running_loop().time() + delay >= self.deadline:
            return None
        return delay

    async def _follow(self, url: str, method: str) -> _Verdict:
        chain: list[tuple[int, str]] = []  # (status, target) of each redirect followed
        current = url
        while True:
            rule = self.policy.for_url(current)
            try:
                answer = await self._request(method, current, rule, counted_for=url)
            except (httpx.HTTPError, httpx.InvalidURL, TimeoutError) as exc:
                return _failure(exc, current, self.config.timeout)
            target = _redirect_target(answer) if rule.follow_redirects else None
            if target is None:
                return self._judge(url, answer, chain, rule)
            if urlsplit(target).scheme not in ("http", "https"):
                return _Verdict(Status.ERROR, f"redirects to a non-web address: {target}", answer.status, target)
            if target == url or any(target == seen for _, seen in chain):
                return _Verdict(Status.ERROR, f"redirect loop through {target}", answer.status, target)
            if len(chain) >= self.config.max_redirects:
                return _Verdict(Status.ERROR, f"more than {self.config.max_redirects} redirects", answer.status,
                                target)
            chain.append((answer.status, target))
            current = target

    async def _request(self, method: str, url: str, rule: HostPolicy, counted_for: str) -> _Answer:
        request = self.client.build_request(method, url, headers=self.policy.headers_for(rule))
        host = request.url.host
        gate = self.gates[host]
        async with gate.slots:
            await gate.wait_for_pause()
            gate.in_flight += 1
            try:
                async with self.all_hosts, asyncio.timeout(self.config.timeout):
                    self.sent[counted_for] += 1
                    response = await self.client.send(request, stream=True)
                    try:
                        await self._read_some(response)
                    finally:
                        await response.aclose()
            finally:
                gate.in_flight -= 1
                await self._release_if_unused(host)
        return _Answer(url, response.status_code, response.headers)

    async def _release_if_unused(self, host: str) -> None:
        """Close a host's connections once no worker and no redirect needs them: bounded sockets."""
        if self.pools is not None and self.gates[host].unused:
            await self.pools.release(host)

    async def _read_some(self, response: httpx.Response) -> None:
        """Read a small body to its end so the connection is reused; give up early on anything larger."""
        limit = self.config.max_body_bytes
        length = response.headers.get("content-length", "")
        if response.is_stream_consumed or (response.request.method != "HEAD" and length.isdigit()
                                           and int(length) > limit):
            return  # already in memory (a mock transport), or too large to be worth reading
        received = 0
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received > limit:
                return

    def _judge(self, url: str, answer: _Answer, chain: list[tuple[int, str]], rule: HostPolicy) -> _Verdict:
        status, final = answer.status, answer.url
        redirected = f" (redirected to {final})" if chain else ""
        if 200 <= status < 300 or status in rule.accept:
            return _alive(url, answer, chain)
        if self.policy.is_blocked(rule, status, answer.headers):
            return _Verdict(Status.BLOCKED, f"HTTP {status}: the host turns automated clients away{redirected}",
                            status, final)
        if status in GONE:
            return _Verdict(Status.BROKEN, f"HTTP {status}: page not found{redirected}", status, final)
        if status == 429:
            wait = _retry_after(answer.headers)
            asked = f", asked to wait {wait:g} s" if wait else ""
            return _Verdict(Status.BLOCKED, f"HTTP 429: rate limited{asked}", status, final, retry=True,
                            retry_after=wait)
        if status >= 500:
            return _Verdict(Status.ERROR, f"HTTP {status}: server error{redirected}", status, final, retry=True,
                            retry_after=_retry_after(answer.headers))
        if status in REDIRECTS:
            why = "without a usable Location" if rule.follow_redirects else "that the host policy does not follow"
            return _Verdict(Status.ERROR, f"HTTP {status} redirect {why}", status, final)
        return _Verdict(Status.ERROR, f"HTTP {status}{redirected}", status, final)


def _alive(url: str, answer: _Answer, chain: list[tuple[int, str]]) -> _Verdict:
    status, final = answer.status, answer.url
    if status in REDIRECTS:  # a redirect the host policy accepts as proof of life (DOI resolvers)
        target = _redirect_target(answer) or final
        return _Verdict(Status.OK, f"HTTP {status} to {target}, accepted by the host policy", status, target)
    if chain and _is_home_page(url, final):
        return _Verdict(Status.MOVED, f"redirects to the site's home page {final}: the page is probably gone",
                        status, final)
    moves = [target for code, target in chain if code in PERMANENT_REDIRECTS]
    if moves:
        return _Verdict(Status.MOVED, f"moved permanently: update the link to {moves[-1]}", status, final)
    return _Verdict(Status.OK, f"redirects to {final}" if chain else "", status, final)


def _refused_head(verdict: _Verdict) -> bool:
    return (verdict.status is not Status.OK and verdict.http_status is not None
            and verdict.http_status >= 400 and verdict.http_status != 429)


def _redirect_target(answer: _Answer) -> str | None:
    location = answer.headers.get("location")
    if answer.status not in REDIRECTS or not location:
        return None
    return urljoin(answer.url, location.strip())


def _is_home_page(url: str, final: str) -> bool:
    """A link to a specific page that lands on a site's root: the usual soft 404 of a retired site."""
    asked, landed = urlsplit(url), urlsplit(final)
    return asked.path.strip("/") != "" and landed.path.strip("/") == "" and not landed.query


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Retry-After as seconds: delay-seconds (fractions tolerated) or an HTTP date."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - utc_now()).total_seconds())


def _failure(exc: Exception, url: str, timeout: float) -> _Verdict:
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return _Verdict(Status.TIMEOUT, f"no answer within {timeout:g} s", final_url=url, retry=True)
    if isinstance(exc, httpx.ConnectError):
        causes = _causes(exc)
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            return _Verdict(Status.BROKEN, "host not found (DNS)", final_url=url, retry=True)
        if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
            return _Verdict(Status.BROKEN, "connection refused", final_url=url, retry=True)
        return _Verdict(Status.ERROR, f"cannot connect: {causes[-1]}", final_url=url, retry=True)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return _Verdict(Status.ERROR, f"invalid URL: {exc}", final_url=url)
    if isinstance(exc, httpx.TransportError):
        return _Verdict(Status.ERROR, f"connection failed: {causes[-1] if (causes := _causes(exc)) else exc}",
                        final_url=url, retry=True)
    return _Verdict(Status.ERROR, f"{type(exc).__name__}: {exc}", final_url=url)


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything behind it: httpx, httpcore and anyio each wrap the socket's error."""
    found: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        pending += [current.__cause__, current.__context__, *getattr(current, "exceptions", ())]
    return found


def _host(url: str) -> str:
    """The host as httpx sees it, so limits, pauses and connection pools share one key."""
    try:
        return httpx.URL(url).host
    except httpx.InvalidURL:
        return urlsplit(url).hostname or ""


def mark_generic_pages(results: Iterable[LinkResult], threshold: int) -> list[LinkResult]:
    """Links of one host that all land on the same page were retired to a generic page (a soft 404)."""
    results = list(results)
    landings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for result in results:
        if result.status in (Status.OK, Status.MOVED) and result.final_url and result.final_url != result.url:
            landings[(_host(result.url), result.final_url)].add(result.url)
    generic = {url: (landing, len(urls)) for (_, landing), urls in landings.items() if len(urls) >= threshold
               for url in urls}
    return [
        replace(r, status=Status.MOVED,
                detail=f"lands on a generic page {generic[r.url][0]}, like {generic[r.url][1] - 1} other links "
                       "of this host: the page is probably gone")
        if r.url in generic else r
        for r in results
    ]


async def check_links(
    links: Iterable[Link],
    config: CheckerConfig | None = None,
    policy: LinkPolicy | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Report:
    """Check each unique URL once (or take a fresh verdict from `cache`, which is then updated and saved)."""
    config = config or CheckerConfig()
    policy = policy or load_policy()
    started_at = utc_now()
    loop = asyncio.get_running_loop()
    start = loop.time()
    known: list[LinkResult] = []
    to_check: list[Link] = []
    for link in merge_links(links):
        rule = policy.for_url(link.url)
        hit = cache.get(link.url, rule.fingerprint) if cache and not rule.skip else None
        if rule.skip:
            known.append(LinkResult(link.url, Status.SKIPPED, detail=rule.reason or "skipped by the host policy",
                                    origins=link.origins))
        elif hit:
            known.append(replace(hit, origins=link.origins))
        else:
            to_check.append(link)

    pools = _HostPools(config.per_host) if transport is None else None
    timeout = httpx.Timeout(config.timeout, pool=None)  # our own limits decide who waits, not the pool
    async with httpx.AsyncClient(transport=transport or pools, timeout=timeout, follow_redirects=False) as client:
        checker = _Checker(client, pools, config, policy, deadline=start + config.budget)
        checked = await checker.run(to_check, progress)
    results = mark_generic_pages(known + checked, config.generic_page_threshold)
    if cache:
        for result in results:
            cache.put(result, policy.for_url(result.url).fingerprint)
        cache.save()
    return Report(sorted(results, key=lambda r: r.url), started_at, loop.time() - start)

