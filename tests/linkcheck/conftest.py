"""A session-wide loopback farm: each 127.0.0.x address plays one host."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from dataclasses import replace

import msgspec
import pytest

from ai4radiology.linkcheck import CheckerConfig, HostPolicy, Link, LinkPolicy, ResultCache, check_links, load_policy
from ai4radiology.linkcheck.model import Report

from .farm import Farm

MAIN, OTHER, CAPPED, RESOLVER, WALL, RETIRED, SPARE = (f"127.0.0.{n}" for n in range(2, 9))
HOSTS = [MAIN, OTHER, CAPPED, RESOLVER, WALL, RETIRED, SPARE]

# Small numbers keep the suite fast; the behaviour is the same at production sizes. The timeout is generous
# so a loaded machine does not turn healthy answers into timeouts; tests about timeouts use QUICK.
FAST = CheckerConfig(concurrency=16, per_host=4, timeout=2.0, retries=2, backoff=0.01, max_retry_after=1.0, budget=20.0)
QUICK = replace(FAST, timeout=0.3)


@pytest.fixture(scope="session")
def farm() -> Iterable[Farm]:
    farm = Farm(HOSTS).start()
    yield farm
    farm.stop()


@pytest.fixture(scope="session")
def policy() -> LinkPolicy:
    """The packaged policy plus rules for two farm hosts, as a maintainer would write them."""
    base = load_policy()
    hosts = {
        **base.hosts,
        RESOLVER: HostPolicy(follow_redirects=False, accept=frozenset({301, 302, 303, 307, 308})),
        WALL: HostPolicy(browser=True),
    }
    return msgspec.structs.replace(base, hosts=hosts)


@pytest.fixture
def path(request: pytest.FixtureRequest):
    """Unique paths per test, since the farm and its counters live for the whole session."""
    prefix = "/" + request.node.name.replace("[", "-").replace("]", "")
    return lambda name="": f"{prefix}/{name}"


def run(
    links: Iterable[Link | str],
    policy: LinkPolicy,
    config: CheckerConfig = FAST,
    cache: ResultCache | None = None,
    **kwargs,
) -> Report:
    links = [link if isinstance(link, Link) else Link(link) for link in links]
    return asyncio.run(check_links(links, config, policy, cache, **kwargs))


def only(report: Report):
    assert len(report.results) == 1, report.results
    return report.results[0]


class NamedFarm:
    """DNS for tests: names map to farm addresses, or fail with the resolver error a real outage gives."""

    def __init__(self, names: dict[str, str], failures: dict[str, int] | None = None):
        self.names = names
        self.failures = failures or {}
        self.lookups: list[str] = []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host in self.failures:
            raise socket.gaierror(self.failures[host], f"simulated resolver failure for {host}")
        return [self.names[host]]
