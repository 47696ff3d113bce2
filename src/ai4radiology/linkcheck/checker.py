"""The async engine: a global and an adaptive per-host limit, retries, redirects by hand.

Each URL is probed with HEAD; any error answer, and a HEAD that hangs, is confirmed with GET, because many
servers answer HEAD wrongly. A GET reads at most `max_body_bytes` of the body, and only briefly: the verdict
comes from the status line, the body is read only so a small page's connection can be reused.
HEAD first costs a second request for pages that refuse HEAD or are gone (1.10 requests per URL on the
farm of benchmarks/bench_linkcheck.py, where GET-only lychee sends 1.03), but keeps connections alive: a GET
of a page larger than `max_body_bytes` must drop its connection, and a TLS handshake per link would cost
real hosts far more than the rare second request.
Redirects are followed one hop at a time (each hop takes a slot of its own host) so loops are caught,
permanent moves are reported, and a host policy can stop at a resolver's redirect.

The pieces live next door: `hosts` (the per-host limit), `transport` (connection pools and one request),
`verdicts` (how an answer or a failure becomes a verdict). Any exception while checking one URL becomes
that URL's `error` verdict: one hostile server cannot stop the run.
"""

from __future__ import annotations

import asyncio
import random
import ssl
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from yarl import URL

from .cache import ResultCache, utc_now
from .hosts import HostGate, Slots, host_key
from .model import Link, LinkResult, Report, Status, merge_links, shown
from .policy import HostPolicy, LinkPolicy, Rules, load_policy
from .transport import Resolver, Sessions, encode_headers, send
from .verdicts import (
    REDIRECTS,
    Answer,
    Verdict,
    describe,
    failure,
    judge,
    mark_generic_pages,
    page_of,
    redirect_target,
)

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


class _Checker:
    def __init__(self, sessions: Sessions, config: CheckerConfig, policy: LinkPolicy, deadline: float):
        self.sessions = sessions
        self.config = config
        self.policy = policy
        self.deadline = deadline
        self.all_hosts = Slots(config.concurrency)
        self.gates: dict[str, HostGate] = defaultdict(lambda: HostGate(config.per_host))
        self.sent: Counter[str] = Counter()  # requests per checked URL, redirect hops included
        self.rule = Rules(policy)
        self.headers = {
            browser: encode_headers(policy.headers_for(HostPolicy(browser=browser))) for browser in (False, True)
        }

    async def run(self, links: list[Link], progress: Progress | None) -> list[LinkResult]:
        """Check every link before the deadline; links left over are reported as timeouts."""
        queues: dict[str, deque[Link]] = defaultdict(deque)
        for link in links:
            queues[host_key(link.url)].append(link)
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
                detail=f"unexpected failure: {describe(exc)}",
                origins=link.origins,
                requests_sent=self.sent[link.url],
            )

    async def check(self, link: Link) -> LinkResult:
        method = self.rule(link.url).method
        attempt = 0
        while True:
            verdict = await self._follow(link.url, method)
            if method == "HEAD" and (verdict.refused_head or verdict.hung):
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

    def _retry_delay(self, attempt: int, verdict: Verdict) -> float | None:
        """Seconds to wait before another attempt, or None when there should be none."""
        if not verdict.retry or attempt >= self.config.retries:
            return None
        if verdict.retry_after is not None:
            if verdict.retry_after > self.config.max_retry_after:
                return None  # the host wants a longer pause than we can give: report, do not hammer
            self.gates[host_key(verdict.final_url or "")].pause(verdict.retry_after)
            delay = verdict.retry_after
        else:
            delay = self.config.backoff * 2**attempt * random.uniform(0.5, 1.0)
        if asyncio.get_running_loop().time() + delay >= self.deadline:
            return None
        return delay

    async def _follow(self, url: str, method: str) -> Verdict:
        chain: list[tuple[int, str]] = []  # (status, target) of each redirect followed
        current = url
        while True:
            rule = self.rule(current)
            try:
                answer = await self._request(method, current, rule, counted_for=url)
            except Exception as exc:
                return failure(exc, current, self.config.timeout)
            if not rule.follow_redirects or answer.status not in REDIRECTS:
                return judge(url, answer, chain, rule, self.policy)
            location = answer.headers.get("location", "").strip()
            if not location:
                return judge(url, answer, chain, rule, self.policy)
            target, problem = redirect_target(answer.url, location)
            if problem:
                return Verdict(
                    Status.ERROR,
                    f"HTTP {answer.status} redirect to {problem}: {shown(location)}",
                    answer.status,
                    answer.url,
                )
            if target == url or any(target == seen for _, seen in chain):
                return Verdict(Status.ERROR, f"redirect loop through {shown(target)}", answer.status, target)
            if len(chain) >= self.config.max_redirects:
                return Verdict(Status.ERROR, f"more than {self.config.max_redirects} redirects", answer.status, target)
            chain.append((answer.status, target))
            current = target

    async def _request(self, method: str, url: str, rule: HostPolicy, counted_for: str) -> Answer:
        address = URL(url)
        host = address.host or ""
        gate = self.gates[host]
        headers = self.headers[rule.browser]
        await gate.acquire()
        gate.in_flight += 1
        try:
            if gate.resume_at:  # the host once asked for a pause (Retry-After)
                await gate.wait_for_pause()
            epoch = gate.epoch
            await self.all_hosts.acquire()
            try:
                self.sent[counted_for] += 1
                response = await send(
                    self.sessions.get(host),
                    method,
                    address,
                    headers,
                    timeout=self.config.timeout,
                    max_body_bytes=self.config.max_body_bytes,
                    body_timeout=self.config.body_timeout,
                )
            finally:
                self.all_hosts.release()
            gate.answered(response.status, epoch)
            return Answer(url, response.status, response.headers)
        finally:
            gate.in_flight -= 1
            gate.release()
            if gate.unused:
                await self.sessions.release(host)

    async def _release_if_unused(self, host: str) -> None:
        """Close a host's connections once no worker and no redirect needs them: bounded sockets."""
        if self.gates[host].unused:
            await self.sessions.release(host)


async def check_links(
    links: Iterable[Link],
    config: CheckerConfig | None = None,
    policy: LinkPolicy | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    *,
    resolver: Resolver | None = None,
    tls: ssl.SSLContext | None = None,
) -> Report:
    """Check each unique page once (or take a fresh verdict from `cache`, which is then updated and saved).

    `#fragment` variants of one page share one check. `resolver` replaces DNS and `tls` the system's trust
    store for https (tests use them to give names to loopback servers, simulate DNS failures and trust a
    test certificate authority).
    """
    config = config or CheckerConfig()
    policy = policy or load_policy()
    started_at = utc_now()
    loop = asyncio.get_running_loop()
    start = loop.time()
    known: list[LinkResult] = []
    pages: dict[str, list[Link]] = {}  # the address without fragment -> the links written to it
    rules = Rules(policy)
    for link in merge_links(links):
        rule = rules(link.url)
        hit = cache.get(link.url, rules.fingerprint(rule)) if cache and not rule.skip else None
        if rule.skip:
            known.append(
                LinkResult(
                    link.url, Status.SKIPPED, detail=rule.reason or "skipped by the host policy", origins=link.origins
                )
            )
        elif hit:
            known.append(replace(hit, origins=link.origins))
        else:
            pages.setdefault(page_of(link.url), []).append(link)

    sessions = Sessions(config.per_host, resolver, tls)
    try:
        checker = _Checker(sessions, config, policy, deadline=start + config.budget)
        checked = await checker.run(
            [group[0] if group[0].url == page else Link(page) for page, group in pages.items()], progress
        )
    finally:
        await sessions.aclose()
    for page_result in checked:
        group = pages[page_result.url]
        if len(group) == 1 and group[0].url == page_result.url:
            known.append(page_result)  # the usual case: the page was written without a fragment, once
            continue
        for index, link in enumerate(group):
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
            cache.put(result, rules.fingerprint(rules(result.url)))
        cache.save_quietly()
    return Report(sorted(results, key=lambda r: r.url), started_at, loop.time() - start)
