"""Each host's share of the requests: which host a URL belongs to, and an adaptive limit per host."""

from __future__ import annotations

import asyncio
from collections import deque
from urllib.parse import urlsplit

from yarl import URL

SLOW_DOWN = frozenset({429, 503})  # answers that halve a host's concurrency


def host_key(url: str) -> str:
    """The host as the request will see it, so limits, pauses and connection pools share one key."""
    try:
        return URL(url).host or ""
    except (ValueError, TypeError):
        return urlsplit(url).hostname or ""


class Slots:
    """At most `limit` holders at a time, woken first come first served. asyncio.Semaphore does the same,
    but in Python 3.11 scans all its waiters on every acquire and release: with a hundred workers waiting
    that was a tenth of the checker's CPU."""

    def __init__(self, limit: int):
        self.limit = limit
        self.active = 0
        self.waiters: deque[asyncio.Future[None]] = deque()

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


class HostGate(Slots):
    """A host's share of the requests: an adaptive limit, the pause it asked for, and who still needs it.

    The limit starts at `cap`, halves on 429 or 503 and grows back by one after twice `limit` good answers
    in a row (additive increase, multiplicative decrease), so a host that allows only K requests at a time
    is soon asked about K at a time. Refusals of requests sent before the last decrease do not count again:
    a burst of 429s to one full window halves the limit once.
    """

    def __init__(self, cap: int):
        super().__init__(cap)
        self.cap = cap
        self.successes = 0
        self.epoch = 0  # increases with each decrease
        self.resume_at = 0.0
        self.workers = 0  # workers still taking this host's links
        self.in_flight = 0

    @property
    def unused(self) -> bool:
        return self.workers == 0 and self.in_flight == 0 and self.active == 0

    def answered(self, status: int, sent_in_epoch: int) -> None:
        """Adapt the limit to an answer to a request sent when the epoch was `sent_in_epoch`."""
        if status in SLOW_DOWN:
            self.slow_down(sent_in_epoch)
        else:
            self.succeeded()

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
