"""Hostile servers and passing trouble (issue 13, items 1-10): each case reproduced on the loopback farm.

Passing trouble (a DNS outage, a refused connection, 429 or 5xx that outlast the retries, timeouts) is
never reported broken and never cached; permanent failures are not retried; nothing a server sends can
stop the run.
"""

from __future__ import annotations

import json
import socket
from dataclasses import replace

import pytest

from ai4radiology.linkcheck import CheckerConfig, Link, ResultCache, Status
from ai4radiology.linkcheck import checker as checker_module
from ai4radiology.linkcheck.hosts import HostGate

from .conftest import CAPPED, FAST, MAIN, OTHER, QUICK, SPARE, NamedFarm, only, run
from .farm import Reply, always, by_method, redirect, sequence
from .test_cache import WEEK


def cached_urls(cache_file) -> set[str]:
    return set(json.loads(cache_file.read_text())["entries"])


# --- 1. ports beyond 65535 -------------------------------------------------------------------------------
@pytest.mark.parametrize("location", ["http://127.0.0.1:99999/", "http://127.0.0.1:-1/", "http://127.0.0.1:8x/"])
def test_a_redirect_to_an_impossible_port_is_that_links_error_and_the_run_goes_on(farm, policy, path, location):
    hostile = farm.route(MAIN, path("hostile"), redirect(302, location))
    fine = farm.route(MAIN, path("fine"), always(Reply(200)))
    results = {r.url: r for r in run([hostile, fine], policy).results}
    assert results[fine].status is Status.OK
    bad = results[hostile]
    assert (bad.status, bad.http_status, bad.final_url) == (Status.ERROR, 302, hostile)
    assert "invalid address" in bad.detail and location in bad.detail
    assert bad.requests_sent == 1


# --- 3. DNS outages and refused connections are passing trouble ------------------------------------------
def test_a_dns_outage_is_retried_reported_as_error_and_not_cached(farm, policy, path, tmp_path):
    farm.route(MAIN, path(), always(Reply(200)))
    resolver = NamedFarm({}, failures={"flaky.test": socket.EAI_AGAIN})
    url = f"http://flaky.test:{farm.ports[MAIN]}{path()}"
    cache_file = tmp_path / "cache.json"
    result = only(run([url], policy, cache=ResultCache.load(cache_file, WEEK), resolver=resolver))
    assert result.status is Status.ERROR and "DNS" in result.detail
    assert resolver.lookups.count("flaky.test") == 1 + FAST.retries
    assert cached_urls(cache_file) == set()


def test_a_host_that_does_not_exist_is_broken_at_once_and_cached(policy, tmp_path):
    resolver = NamedFarm({}, failures={"gone.test": socket.EAI_NONAME})
    cache_file = tmp_path / "cache.json"
    result = only(run(["http://gone.test/x"], policy, cache=ResultCache.load(cache_file, WEEK), resolver=resolver))
    assert (result.status, result.detail) == (Status.BROKEN, "host not found (DNS: no such host)")
    assert resolver.lookups == ["gone.test"]  # item 10: not retried
    assert cached_urls(cache_file) == {"http://gone.test/x"}


def test_names_resolve_through_the_injected_resolver(farm, policy, path):
    """The resolver used above really is the one the checker asks: a named host reaches the farm."""
    farm.route(MAIN, path(), always(Reply(200)))
    resolver = NamedFarm({"main.test": MAIN})
    result = only(run([f"http://main.test:{farm.ports[MAIN]}{path()}"], policy, resolver=resolver))
    assert result.status is Status.OK
    assert farm.count(MAIN, path()) == 1


def closed_port(host: str) -> int:
    with socket.socket() as probe:  # a port nobody listens on once this socket is closed
        probe.bind((host, 0))
        return probe.getsockname()[1]


def test_a_refused_connection_is_an_error_not_retried_and_not_cached(policy, tmp_path):
    url = f"http://127.0.0.9:{closed_port('127.0.0.9')}/x"
    cache_file = tmp_path / "cache.json"
    result = only(run([url], policy, cache=ResultCache.load(cache_file, WEEK)))
    assert (result.status, result.detail) == (Status.ERROR, "connection refused")
    assert result.requests_sent == 1
    assert cached_urls(cache_file) == set()


# --- 4. a 429 that outlasts the retries ------------------------------------------------------------------
def test_a_persistent_429_is_an_error_and_never_cached(farm, policy, path, tmp_path):
    url = farm.route(MAIN, path(), always(Reply(429, {"Retry-After": "0"})))
    cache_file = tmp_path / "cache.json"
    result = only(run([url], policy, cache=ResultCache.load(cache_file, WEEK)))
    assert (result.status, result.http_status) == (Status.ERROR, 429)
    assert farm.count(MAIN, path()) == 1 + FAST.retries
    assert cached_urls(cache_file) == set()


@pytest.mark.parametrize("reply", [Reply(503), Reply(200, delay=QUICK.timeout + 0.2)], ids=["503", "timeout"])
def test_other_passing_trouble_is_never_cached(farm, policy, path, tmp_path, reply):
    url = farm.route(MAIN, path(), always(reply))
    cache_file = tmp_path / "cache.json"
    result = only(run([url], policy, replace(QUICK, retries=0), cache=ResultCache.load(cache_file, WEEK)))
    assert result.status in (Status.ERROR, Status.TIMEOUT)
    assert cached_urls(cache_file) == set()


# --- 5. adaptive per-host concurrency --------------------------------------------------------------------
def test_a_host_that_allows_two_requests_at_a_time_gets_every_link_right_at_the_defaults(farm, policy, path):
    farm.caps[CAPPED] = 2
    urls = [farm.route(CAPPED, path(str(i)), always(Reply(200, delay=0.05))) for i in range(16)]
    defaults = CheckerConfig()
    farm.reset_peaks()
    report = run(urls, policy, replace(FAST, per_host=defaults.per_host, retries=defaults.retries))
    del farm.caps[CAPPED]
    assert [r.status for r in report.results] == [Status.OK] * 16
    # halving after the first refusals: a few 429s while probing upwards, not one for every other request
    assert 0 < farm.over_cap[CAPPED] <= defaults.per_host + 2


def test_the_host_limit_halves_on_429_and_grows_back():
    gate = HostGate(8)
    gate.slow_down()
    gate.slow_down()
    assert gate.limit == 2
    for _ in range(4):
        gate.succeeded()
    assert gate.limit == 3
    gate.slow_down(sent_in_epoch=0)  # an answer to a request sent before the decreases: no further halving
    assert gate.limit == 3
    for _ in range(100):
        gate.succeeded()
    assert gate.limit == 8
    for _ in range(10):
        gate.slow_down()
    assert gate.limit == 1


# --- 6. a HEAD that hangs --------------------------------------------------------------------------------
def test_a_hanging_head_falls_back_to_get(farm, policy, path):
    config = replace(FAST, timeout=1.0)
    url = farm.route(MAIN, path(), by_method(head=Reply(200, delay=config.timeout + 0.5), get=Reply(200)))
    result = only(run([url], policy, config))
    assert result.status is Status.OK
    assert farm.methods(MAIN, path()) == ["HEAD", "GET"]


# --- 7. fragments ----------------------------------------------------------------------------------------
def test_fragment_variants_of_one_page_cost_one_request(farm, policy, path):
    page = farm.route(MAIN, path(), always(Reply(200)))
    links = [Link(f"{page}#section-{n}") for n in range(10_000)] + [Link(page)]
    report = run(links, policy)
    assert farm.count(MAIN, path()) == 1
    assert len(report.results) == 10_001
    assert {r.status for r in report.results} == {Status.OK}
    assert sum(r.requests_sent for r in report.results) == 1


def test_fragment_variants_do_not_make_a_generic_page(farm, policy, path):
    landing = farm.route(OTHER, path("landing"), always(Reply(200)))
    page = farm.route(MAIN, path("page"), redirect(302, landing))
    report = run([f"{page}#a", f"{page}#b", f"{page}#c"], policy)
    assert {r.status for r in report.results} == {Status.OK}


# --- 8. redirects to what is not a web page --------------------------------------------------------------
@pytest.mark.parametrize(
    "location, why",
    [
        ("javascript:alert(1)", "non-web address"),
        ("data:text/html,<b>x</b>", "non-web address"),
        ("http://[::1/x", "cannot be parsed"),
        ("http://exa mple.test/x", "invalid address"),
    ],
    ids=["javascript", "data", "unparsable", "space"],
)
def test_a_redirect_to_an_unusable_address_blames_the_redirect_not_the_link(farm, policy, path, location, why):
    url = farm.route(MAIN, path(), redirect(302, location))
    result = only(run([url], policy))
    assert (result.status, result.http_status, result.final_url) == (Status.ERROR, 302, url)
    assert why in result.detail and "invalid URL" not in result.detail
    assert farm.count(MAIN, path()) == 1  # not retried as a connection failure


# --- 9. a slow or short body does not change the verdict -------------------------------------------------
@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, body=b"x" * 200, drip=0.05),  # 10 s to arrive in full
        Reply(200, body=b"x" * 2000, truncate=100),  # closes after 100 of 2000 announced bytes
    ],
    ids=["dripping", "shorter-than-content-length"],
)
def test_a_200_with_a_slow_or_short_body_is_ok(farm, policy, path, reply):
    url = farm.route(MAIN, path(), by_method(head=Reply(405), get=reply))
    result = only(run([url], policy))
    assert (result.status, result.http_status) == (Status.OK, 200)
    assert farm.methods(MAIN, path()) == ["HEAD", "GET"]


# --- 10. permanent failures are not retried --------------------------------------------------------------
@pytest.mark.parametrize(
    "reply, expected",
    [
        (Reply(raw=b"this is not HTTP\r\n\r\n"), ["HEAD"]),
        (Reply(raw=b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nBad Header\r\n\r\nhello"), ["HEAD"]),
        (Reply(600), ["HEAD", "GET"]),  # an error answer to HEAD is confirmed with GET, once
    ],
    ids=["garbage", "malformed-header", "status-600"],
)
def test_permanent_failures_are_errors_without_retries(farm, policy, path, reply, expected):
    url = farm.route(MAIN, path(), always(reply))
    result = only(run([url], policy))
    assert result.status is Status.ERROR
    assert farm.methods(MAIN, path()) == expected


def test_a_megabyte_of_headers_is_an_error_not_a_crash(farm, policy, path):
    url = farm.route(MAIN, path(), always(Reply(200, {"X-Big": "y" * 1024 * 1024})))
    result = only(run([url], policy, replace(FAST, timeout=5)))
    assert result.status is Status.ERROR


# --- any exception from one URL is that URL's error ------------------------------------------------------
def test_an_unexpected_exception_costs_only_its_own_link(farm, policy, path, monkeypatch):
    doomed = farm.route(MAIN, path("doomed"), always(Reply(200)))
    fine = farm.route(SPARE, path("fine"), always(Reply(200)))
    judge = checker_module.judge

    def judge_or_explode(url, answer, chain, rule, policy):
        if url == doomed:
            raise OverflowError("something no one foresaw")
        return judge(url, answer, chain, rule, policy)

    monkeypatch.setattr(checker_module, "judge", judge_or_explode)
    results = {r.url: r for r in run([doomed, fine], policy).results}
    assert results[fine].status is Status.OK
    assert results[doomed].status is Status.ERROR
    assert "OverflowError: something no one foresaw" in results[doomed].detail


def test_retries_follow_the_configuration(farm, policy, path):
    url = farm.route(MAIN, path(), sequence(Reply(500), Reply(500), Reply(500), Reply(200)))
    assert only(run([url], policy, replace(FAST, retries=1))).status is Status.ERROR
    assert farm.methods(MAIN, path()) == ["HEAD", "GET", "GET"]
