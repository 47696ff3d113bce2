"""The async engine: aiohttp (a compiled HTTP parser), a global and an adaptive per-host limit, retries,
redirects by hand.

Each URL is probed with HEAD; any error answer, and a HEAD that hangs, is confirmed with GET, because many
servers answer HEAD wrongly. A GET reads at most `max_body_bytes` of the body, and only briefly: the verdict
comes from the status line, the body is read only so a small page's connection can be reused.
Redirects are followed one hop at a time (each hop takes a slot of its own host) so loops are caught,
permanent moves are reported, and a host policy can stop at a resolver's redirect.

Verdicts distinguish a dead link from passing trouble. Broken means the page is gone: 404/410, or a host
name that does not exist. A refused connection, a DNS outage, 429 or 5xx after the retries and timeouts are
reported as error or timeout, which are never cached and never fail a run without --strict. Permanent
failures (protocol errors, odd status codes, refused connections, unknown hosts) are not retried.
Any exception while checking one URL becomes that URL's `error` verdict: one hostile server cannot stop
the run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import errno
import random
import socket
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urldefrag, urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from yarl import URL

from .cache import ResultCache, utc_now
from .model import InvalidURL, Link, LinkResult, Report, Status, merge_links, require_http_url, shown
from .policy import HostPolicy, LinkPolicy, load_policy

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
GONE = frozenset({404, 410})
SLOW_DOWN = frozenset({429, 503})  # answers that halve a host's concurrency
NO_SUCH_HOST = {getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, name)}

Progress = Callable[[int, int], None]  # (links done, links to check)


@dataclass(frozen=True)
class CheckerConfig:
    concurrency: int = 32  # requests in flight, all hosts together
    per_host: int = 4  # requests in flight to one host, at most: halved on 429/503, grown back on success
    timeout: float = 15.0  # seconds for one request: connect, send, and the status line with the headers
    retries: int = 3  # extra attempts after a timeout, a connection failure, a DNS outage, 429 or 5xx
    backoff: float = 1.0  # seconds before the first retry; doubles each time, with jitter
    max_retry_after: float = 60.0  # the longest Retry-After honoured; a host asking for more is not retried
    budget: float = 1800.0  # seconds for the whole run; links not done by then are reported as timeouts
    max_redirects: int = 10
    max_body_bytes: int = 8192  # of a GET body; enough to let small pages keep the connection alive
    body_timeout: float = 1.0  # seconds to read that much; a slower body does not change the verdict
    generic_page_threshold: int = 3  # this many links of one host landing on one page make it a generic page

    def __post_init__(self) -> None:
        for name in ("concurrency", "per_host", "timeout", "budget", "max_redirects", "generic_page_threshold"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        for name in ("retries", "backoff", "max_retry_after", "max_body_bytes", "body_timeout"):
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
    retry: bool = False  # passing trouble worth another attempt: timeouts, connection trouble, 429, 5xx
    retry_after: float | None = None  # seconds the server asked us to wait
    hung: bool = False  # no answer in time: a HEAD that hangs is tried again as GET


class _HostGate:
    """A host's share of the requests: an adaptive limit, the pause it asked for, and who still needs it.

    The limit starts at `cap`, halves on 429 or 503 and grows back by one after twice `limit` good answers
    in a row (additive increase, multiplicative decrease), so a host that allows only K requests at a time
    is soon asked about K at a time. Refusals of requests sent before the last decrease do not count again:
    a burst of 429s to one full window halves the limit once.
    """

    def __init__(self, cap: int):
        self.cap = cap
        self.limit = cap
        self.active = 0
        self.successes = 0
        self.epoch = 0  # increases with each decrease
        self.waiters: deque[asyncio.Future[None]] = deque()
        self.resume_at = 0.0
        self.workers = 0  # workers still taking this host's links
        self.in_flight = 0

    @property
    def unused(self) -> bool:
        return self.workers == 0 and self.in_flight == 0 and self.active == 0

    async def acquire(self) -> None:
        if self.active < self.limit and not self.waiters:
            self.active += 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await waiter  # the slot is ours when woken: `_wake` counted it
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()
            elif waiter in self.waiters:
                self.waiters.remove(waiter)
            raise

    def release(self) -> None:
        self.active -= 1
        self._wake()

    def _wake(self) -> None:
        while self.waiters and self.active < self.limit:
            waiter = self.waiters.popleft()
            if not waiter.done():
                self.active += 1
                waiter.set_result(None)

    def slow_down(self, sent_in_epoch: int | None = None) -> None:
        if sent_in_epoch is not None and sent_in_epoch != self.epoch:
            return  # sent at the old width: that overload was already answered
        self.limit = max(1, self.limit // 2)
        self.successes = 0
        self.epoch += 1

    def succeeded(self) -> None:
        if self.limit < self.cap:
            self.successes += 1
            if self.successes >= 2 * self.limit:
                self.limit += 1
                self.successes = 0
                self._wake()

    async def wait_for_pause(self) -> None:
        loop = asyncio.get_running_loop()
        while (delay := self.resume_at - loop.time()) > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        self.resume_at = max(self.resume_at, asyncio.get_running_loop().time() + seconds)


class _Sessions:
    """One aiohttp session, with its own small connection pool, per host.

    A host's pool is closed once nothing needs it, so thousands of hosts never mean thousands of idle
    sockets, and one host's idle connections are never evicted for another's.
    """

    def __init__(self, per_host: int, resolver: AbstractResolver | None = None):
        self.per_host = per_host
        self.resolver = resolver
        self.sessions: dict[str, aiohttp.ClientSession] = {}

    def get(self, host: str) -> aiohttp.ClientSession:
        session = self.sessions.get(host)
        if session is None:
            connector = aiohttp.TCPConnector(
                limit=self.per_host, limit_per_host=0, resolver=self.resolver, ttl_dns_cache=300
            )
            session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                timeout=aiohttp.ClientTimeout(total=None),
                requote_redirect_url=False,
                trust_env=False,
            )
            if hasattr(session, "_retry_connection"):
                # aiohttp silently resends an idempotent request once when a connection drops; the checker
                # retries by its own rules (with back-off, counted), so a resetting host sees what we report.
                session._retry_connection = False
            self.sessions[host] = session
        return session

    async def release(self, host: str) -> None:
        session = self.sessions.pop(host, None)
        if session is not None:
            await session.close()

    async def aclose(self) -> None:
        while self.sessions:
            await self.release(next(iter(self.sessions)))


class _Checker:
    def __init__(self, sessions: _Sessions, config: CheckerConfig, policy: LinkPolicy, deadline: float):
        self.sessions = sessions
        self.config = config
        self.policy = policy
        self.deadline = deadline
        self.all_hosts = asyncio.Semaphore(config.concurrency)
        self.gates: dict[str, _HostGate] = defaultdict(lambda: _HostGate(config.per_host))
        self.sent: Counter[str] = Counter()  # requests per checked URL, redirect hops included
        self.rules: dict[str, HostPolicy] = {}  # netloc -> its rule: looked up once per host, not per request
        self.headers = {browser: policy.headers_for(HostPolicy(browser=browser)) for browser in (False, True)}

    def rule(self, url: str) -> HostPolicy:
        netloc = url.split("/", 3)[2]  # a checked URL is always scheme://netloc[/...]
        rule = self.rules.get(netloc)
        if rule is None:
            rule = self.rules[netloc] = self.policy.for_url(url)
        return rule

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
                results[link.url] = await self.check_safely(link)
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
        return LinkResult(
            link.url,
            Status.TIMEOUT,
            detail="not finished within the time budget",
            origins=link.origins,
            requests_sent=self.sent[link.url],
        )

    async def check_safely(self, link: Link) -> LinkResult:
        """`check`, with any exception turned into this link's `error` verdict."""
        try:
            return await self.check(link)
        except Exception as exc:
            return LinkResult(
                link.url,
                Status.ERROR,
                detail=f"unexpected failure: {_describe(exc)}",
                origins=link.origins,
                requests_sent=self.sent[link.url],
            )

    async def check(self, link: Link) -> LinkResult:
        method = self.rule(link.url).method
        attempt = 0
        while True:
            verdict = await self._follow(link.url, method)
            if method == "HEAD" and (_refused_head(verdict) or verdict.hung):
                method = "GET"  # many servers answer HEAD wrongly or never: confirm with GET
                continue
            delay = self._retry_delay(attempt, verdict)
            if delay is None:
                break
            attempt += 1
            await asyncio.sleep(delay)
        if verdict.retry and attempt:
            verdict = replace(verdict, detail=f"{verdict.detail} (after {attempt + 1} attempts)")
        return LinkResult(
            link.url,
            verdict.status,
            verdict.http_status,
            verdict.final_url,
            verdict.detail,
            origins=link.origins,
            requests_sent=self.sent[link.url],
        )

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
            rule = self.rule(current)
            try:
                answer = await self._request(method, current, rule, counted_for=url)
            except Exception as exc:
                return _failure(exc, current, self.config.timeout)
            if not rule.follow_redirects or answer.status not in REDIRECTS:
                return self._judge(url, answer, chain, rule)
            location = answer.headers.get("location", "").strip()
            if not location:
                return self._judge(url, answer, chain, rule)
            target, problem = _redirect_target(answer.url, location)
            if problem:
                return _Verdict(
                    Status.ERROR,
                    f"HTTP {answer.status} redirect to {problem}: {shown(location)}",
                    answer.status,
                    answer.url,
                )
            if target == url or any(target == seen for _, seen in chain):
                return _Verdict(Status.ERROR, f"redirect loop through {shown(target)}", answer.status, target)
            if len(chain) >= self.config.max_redirects:
                return _Verdict(Status.ERROR, f"more than {self.config.max_redirects} redirects", answer.status, target)
            chain.append((answer.status, target))
            current = target

    async def _request(self, method: str, url: str, rule: HostPolicy, counted_for: str) -> _Answer:
        address = URL(url)
        host = address.host or ""
        gate = self.gates[host]
        headers = self.headers[rule.browser]
        await gate.acquire()
        gate.in_flight += 1
        try:
            await gate.wait_for_pause()
            epoch = gate.epoch
            async with self.all_hosts:
                self.sent[counted_for] += 1
                async with asyncio.timeout(self.config.timeout):
                    response = await self.sessions.get(host).request(
                        method, address, headers=headers, allow_redirects=False, max_line_size=8190, max_field_size=8190
                    )
                try:
                    await self._read_some(response)
                except BaseException:
                    response.close()
                    raise
            if response.status in SLOW_DOWN:
                gate.slow_down(epoch)
            else:
                gate.succeeded()
            return _Answer(url, response.status, response.headers)
        finally:
            gate.in_flight -= 1
            gate.release()
            await self._release_if_unused(host)

    async def _release_if_unused(self, host: str) -> None:
        """Close a host's connections once no worker and no redirect needs them: bounded sockets."""
        if self.gates[host].unused:
            await self.sessions.release(host)

    async def _read_some(self, response: aiohttp.ClientResponse) -> None:
        """Read a small body to its end so the connection is reused; give up early on anything larger,
        slower, or shorter than announced. The verdict never depends on the body."""
        limit = self.config.max_body_bytes
        length = response.content_length
        if response.method == "HEAD":
            response.release()  # no body: the connection goes back to the pool
            return
        if length is not None and length > limit:
            response.close()  # too large to be worth reading: drop the connection instead
            return
        try:
            async with asyncio.timeout(min(self.config.timeout, self.config.body_timeout)):
                received = 0
                while chunk := await response.content.readany():
                    received += len(chunk)
                    if received > limit:
                        response.close()
                        return
            response.release()
        except Exception:
            response.close()

    def _judge(self, url: str, answer: _Answer, chain: list[tuple[int, str]], rule: HostPolicy) -> _Verdict:
        status, final = answer.status, answer.url
        redirected = f" (redirected to {shown(final)})" if chain else ""
        if 200 <= status < 300 or status in rule.accept:
            return _alive(url, answer, chain)
        if self.policy.is_blocked(rule, status, answer.headers):
            return _Verdict(
                Status.BLOCKED, f"HTTP {status}: the host turns automated clients away{redirected}", status, final
            )
        if status in GONE:
            return _Verdict(Status.BROKEN, f"HTTP {status}: page not found{redirected}", status, final)
        if status == 429:
            wait = _retry_after(answer.headers)
            asked = f", asked to wait {wait:g} s" if wait else ""
            return _Verdict(Status.ERROR, f"HTTP 429: rate limited{asked}", status, final, retry=True, retry_after=wait)
        if 500 <= status <= 599:
            return _Verdict(
                Status.ERROR,
                f"HTTP {status}: server error{redirected}",
                status,
                final,
                retry=True,
                retry_after=_retry_after(answer.headers),
            )
        if status in REDIRECTS:
            why = "without a usable Location" if rule.follow_redirects else "that the host policy does not follow"
            return _Verdict(Status.ERROR, f"HTTP {status} redirect {why}", status, final)
        return _Verdict(Status.ERROR, f"HTTP {status}{redirected}", status, final)


def _alive(url: str, answer: _Answer, chain: list[tuple[int, str]]) -> _Verdict:
    status, final = answer.status, answer.url
    if status in REDIRECTS:  # a redirect the host policy accepts as proof of life (DOI resolvers)
        location = answer.headers.get("location", "").strip()
        target, problem = _redirect_target(final, location) if location else (None, "none")
        target = final if problem else target
        return _Verdict(Status.OK, f"HTTP {status} to {shown(target)}, accepted by the host policy", status, target)
    if chain and _is_home_page(url, final):
        return _Verdict(
            Status.MOVED, f"redirects to the site's home page {shown(final)}: the page is probably gone", status, final
        )
    moves = [target for code, target in chain if code in PERMANENT_REDIRECTS]
    if moves:
        return _Verdict(Status.MOVED, f"moved permanently: update the link to {shown(moves[-1])}", status, final)
    return _Verdict(Status.OK, f"redirects to {shown(final)}" if chain else "", status, final)


def _refused_head(verdict: _Verdict) -> bool:
    return (
        verdict.status is not Status.OK
        and verdict.http_status is not None
        and verdict.http_status >= 400
        and verdict.http_status != 429
    )


def _redirect_target(base: str, location: str) -> tuple[str, str | None]:
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


def _retry_after(headers: Mapping[str, str]) -> float | None:
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


def _failure(exc: Exception, url: str, timeout: float) -> _Verdict:
    """The verdict on a request that got no answer: dead, passing trouble (retried), or a permanent fault."""
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        return _Verdict(Status.TIMEOUT, f"no answer within {timeout:g} s", final_url=url, retry=True, hung=True)
    if isinstance(exc, aiohttp.ClientConnectorDNSError) or isinstance(_os_error(exc), socket.gaierror):
        code = getattr(_os_error(exc), "errno", None)
        if code in NO_SUCH_HOST:
            return _Verdict(Status.BROKEN, "host not found (DNS: no such host)", final_url=url)
        return _Verdict(
            Status.ERROR,
            f"DNS lookup failed, probably for a while: {shown(str(_os_error(exc)))}",
            final_url=url,
            retry=True,
        )
    if isinstance(exc, aiohttp.ClientSSLError):
        return _Verdict(Status.ERROR, f"TLS failure: {_describe(exc)}", final_url=url)
    if isinstance(exc, aiohttp.ClientConnectorError):
        os_error = _os_error(exc)
        if isinstance(os_error, ConnectionRefusedError) or getattr(os_error, "errno", None) == errno.ECONNREFUSED:
            return _Verdict(Status.ERROR, "connection refused", final_url=url)
        return _Verdict(Status.ERROR, f"cannot connect: {_describe(os_error or exc)}", final_url=url, retry=True)
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, ConnectionError)):
        return _Verdict(Status.ERROR, f"connection failed: {_describe(exc)}", final_url=url, retry=True)
    if isinstance(exc, (aiohttp.InvalidURL, InvalidURL, ValueError)):
        return _Verdict(Status.ERROR, f"cannot request this address: {_describe(exc)}", final_url=url)
    if isinstance(exc, aiohttp.ClientResponseError):
        return _Verdict(Status.ERROR, f"protocol error: {_describe(exc)}", final_url=url)
    return _Verdict(Status.ERROR, f"unexpected failure: {_describe(exc)}", final_url=url)


def _os_error(exc: BaseException) -> BaseException | None:
    """The socket's own error behind aiohttp's wrapper, if any."""
    found = getattr(exc, "os_error", None)
    if found is None and isinstance(exc.__cause__, OSError):
        found = exc.__cause__
    return found


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return shown(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def _host(url: str) -> str:
    """The host as the request will see it, so limits, pauses and connection pools share one key."""
    try:
        return URL(url).host or ""
    except (ValueError, TypeError):
        return urlsplit(url).hostname or ""


def mark_generic_pages(results: Iterable[LinkResult], threshold: int) -> list[LinkResult]:
    """Links of one host that all land on the same page were retired to a generic page (a soft 404)."""
    results = list(results)
    landings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for result in results:
        if result.status in (Status.OK, Status.MOVED) and result.final_url and result.final_url != result.url:
            if urldefrag(result.url).url != result.final_url:
                landings[(_host(result.url), result.final_url)].add(urldefrag(result.url).url)
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
        if (page := urldefrag(r.url).url) in generic
        else r
        for r in results
    ]


async def check_links(
    links: Iterable[Link],
    config: CheckerConfig | None = None,
    policy: LinkPolicy | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    *,
    resolver: AbstractResolver | None = None,
) -> Report:
    """Check each unique page once (or take a fresh verdict from `cache`, which is then updated and saved).

    `#fragment` variants of one page share one check. `resolver` replaces DNS (tests use it to give names
    to loopback servers and to simulate DNS failures).
    """
    config = config or CheckerConfig()
    policy = policy or load_policy()
    started_at = utc_now()
    loop = asyncio.get_running_loop()
    start = loop.time()
    known: list[LinkResult] = []
    pages: dict[str, list[Link]] = {}  # the address without fragment -> the links written to it
    for link in merge_links(links):
        rule = policy.for_url(link.url)
        hit = cache.get(link.url, rule.fingerprint) if cache and not rule.skip else None
        if rule.skip:
            known.append(
                LinkResult(
                    link.url, Status.SKIPPED, detail=rule.reason or "skipped by the host policy", origins=link.origins
                )
            )
        elif hit:
            known.append(replace(hit, origins=link.origins))
        else:
            pages.setdefault(urldefrag(link.url).url, []).append(link)

    sessions = _Sessions(config.per_host, resolver)
    try:
        checker = _Checker(sessions, config, policy, deadline=start + config.budget)
        checked = await checker.run(
            [group[0] if group[0].url == page else Link(page) for page, group in pages.items()], progress
        )
    finally:
        await sessions.aclose()
    for page_result in checked:
        for index, link in enumerate(pages[page_result.url]):
            known.append(
                replace(
                    page_result,
                    url=link.url,
                    origins=link.origins,
                    requests_sent=page_result.requests_sent if index == 0 else 0,
                )
            )
    results = mark_generic_pages(known, config.generic_page_threshold)
    if cache:
        for result in results:
            cache.put(result, policy.for_url(result.url).fingerprint)
        cache.save_quietly()
    return Report(sorted(results, key=lambda r: r.url), started_at, loop.time() - start)
