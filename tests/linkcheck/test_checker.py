"""The engine against real HTTP servers on loopback: verdicts, requests sent, and what the servers saw."""

from __future__ import annotations

from dataclasses import replace

import msgspec
import pytest

from ai4radiology.linkcheck import Link, LinkOrigin, Status

from .conftest import CAPPED, FAST, MAIN, OTHER, QUICK, RESOLVER, RETIRED, SPARE, WALL, only, run
from .farm import Reply, always, by_agent, by_method, redirect, sequence

GIB = 1024**3


def test_a_live_page_costs_one_head_request(farm, policy, path):
    url = farm.route(MAIN, path(), always(Reply(200)))
    result = only(run([url], policy))
    assert (result.status, result.http_status, result.final_url) == (Status.OK, 200, url)
    assert result.requests_sent == 1
    assert farm.methods(MAIN, path()) == ["HEAD"]


@pytest.mark.parametrize("refusal", [403, 405, 501])
def test_a_refused_head_is_confirmed_with_get(farm, policy, path, refusal):
    url = farm.route(MAIN, path(), by_method(head=Reply(refusal), get=Reply(200)))
    result = only(run([url], policy))
    assert result.status is Status.OK
    assert farm.methods(MAIN, path()) == ["HEAD", "GET"]
    assert result.requests_sent == 2


def test_permanent_redirects_report_the_new_address(farm, policy, path):
    final = farm.route(OTHER, path("new"), always(Reply(200)))
    hop3 = farm.route(OTHER, path("hop3"), redirect(308, final))
    hop2 = farm.route(OTHER, path("hop2"), redirect(307, hop3))
    hop1 = farm.route(MAIN, path("hop1"), redirect(302, hop2))
    start = farm.route(MAIN, path("old"), redirect(301, hop1))
    result = only(run([start], policy))
    assert result.status is Status.MOVED
    assert result.final_url == final
    assert f"update the link to {final}" in result.detail
    assert result.requests_sent == 5
    for host, name in [(MAIN, "old"), (MAIN, "hop1"), (OTHER, "hop2"), (OTHER, "hop3"), (OTHER, "new")]:
        assert farm.count(host, path(name)) == 1, name


def test_temporary_redirects_are_ok(farm, policy, path):
    final = farm.route(OTHER, path("page"), always(Reply(200)))
    start = farm.route(MAIN, path("short"), redirect(302, farm.url(MAIN, path("mid"))))
    farm.route(MAIN, path("mid"), redirect(307, final))
    result = only(run([start], policy))
    assert (result.status, result.final_url) == (Status.OK, final)
    assert result.requests_sent == 3


def test_a_redirect_loop_is_detected_without_retrying(farm, policy, path):
    first = farm.url(MAIN, path("a"))
    farm.route(MAIN, path("a"), redirect(302, farm.url(MAIN, path("b"))))
    farm.route(MAIN, path("b"), redirect(302, first))
    result = only(run([first], policy))
    assert result.status is Status.ERROR
    assert "redirect loop" in result.detail
    assert farm.count(MAIN, path("a")) == 1 and farm.count(MAIN, path("b")) == 1


def test_a_redirect_to_a_missing_page_is_broken(farm, policy, path):
    gone = farm.route(OTHER, path("gone"), always(Reply(404)))
    start = farm.route(MAIN, path("start"), redirect(301, gone))
    result = only(run([start], policy))
    assert (result.status, result.http_status, result.final_url) == (Status.BROKEN, 404, gone)
    assert "redirected to" in result.detail
    assert farm.methods(OTHER, path("gone")) == ["HEAD", "GET"]


@pytest.mark.parametrize("code", [404, 410])
def test_missing_pages_are_broken_after_a_get_confirms(farm, policy, path, code):
    url = farm.route(MAIN, path(), always(Reply(code)))
    result = only(run([url], policy))
    assert (result.status, result.http_status) == (Status.BROKEN, code)
    assert farm.methods(MAIN, path()) == ["HEAD", "GET"]


def test_a_bot_wall_passes_with_the_host_policy_browser_headers(farm, policy, path):
    wall = by_agent(bot=Reply(403), browser=Reply(200))
    with_policy = farm.route(WALL, path(), wall)
    without_policy = farm.route(MAIN, path(), wall)
    results = {r.url: r for r in run([with_policy, without_policy], policy).results}

    assert results[with_policy].status is Status.OK
    assert farm.methods(WALL, path()) == ["HEAD"]
    assert "Mozilla/" in farm.requests[(WALL, path())][0].headers["user-agent"]

    assert (results[without_policy].status, results[without_policy].http_status) == (Status.BLOCKED, 403)
    assert farm.methods(MAIN, path()) == ["HEAD", "GET"]
    assert all("ai4radiology-linkcheck" in r.headers["user-agent"] for r in farm.requests[(MAIN, path())])


def test_429_waits_for_retry_after_then_succeeds(farm, policy, path):
    url = farm.route(MAIN, path(), sequence(Reply(429, {"Retry-After": "0.3"}), Reply(200)))
    result = only(run([url], policy))
    assert result.status is Status.OK
    first, second = farm.requests[(MAIN, path())]
    assert second.at - first.at >= 0.3
    assert result.requests_sent == 2


def test_a_retry_after_longer_than_the_cap_is_not_waited_for(farm, policy, path):
    url = farm.route(MAIN, path(), always(Reply(429, {"Retry-After": "5"})))
    result = only(run([url], policy, replace(FAST, max_retry_after=1, budget=60)))
    assert (result.status, result.http_status) == (Status.ERROR, 429)  # passing trouble, not a verdict
    assert "asked to wait 5 s" in result.detail
    assert farm.count(MAIN, path()) == 1


def test_a_5xx_that_succeeds_on_retry_is_ok(farm, policy, path):
    url = farm.route(MAIN, path(), sequence(Reply(500), Reply(500), Reply(200)))
    result = only(run([url], policy))
    assert (result.status, result.http_status) == (Status.OK, 200)
    assert farm.methods(MAIN, path()) == ["HEAD", "GET", "GET"]


def test_a_persistent_503_is_an_error_after_the_retries(farm, policy, path):
    url = farm.route(MAIN, path(), always(Reply(503)))
    result = only(run([url], policy))
    assert (result.status, result.http_status) == (Status.ERROR, 503)
    assert farm.methods(MAIN, path()) == ["HEAD"] + ["GET"] * (1 + FAST.retries)


@pytest.mark.parametrize(
    "reply",
    [
        Reply(503, {"Server": "cloudflare", "cf-mitigated": "challenge"}),
        Reply(403, {"Server": "cloudflare"}),
        Reply(418),
    ],
    ids=["cloudflare-503", "cloudflare-403", "ieee-418"],
)
def test_bot_challenges_are_blocked_not_broken_and_not_retried(farm, policy, path, reply):
    url = farm.route(MAIN, path(), always(reply))
    result = only(run([url], policy))
    assert (result.status, result.http_status) == (Status.BLOCKED, reply.status)
    assert farm.methods(MAIN, path()) == ["HEAD", "GET"]


def test_a_cloudflare_404_is_still_broken(farm, policy, path):
    url = farm.route(MAIN, path(), always(Reply(404, {"Server": "cloudflare"})))
    assert only(run([url], policy)).status is Status.BROKEN


def test_a_response_slower_than_the_timeout_times_out_after_retries(farm, policy, path):
    url = farm.route(MAIN, path(), always(Reply(200, delay=QUICK.timeout + 0.4)))
    result = only(run([url], policy, QUICK))
    assert result.status is Status.TIMEOUT
    assert farm.methods(MAIN, path()) == ["HEAD"] + ["GET"] * (1 + QUICK.retries)  # a hanging HEAD: try GET


def test_a_huge_body_is_never_downloaded(farm, policy, path):
    url = farm.route(MAIN, path(), by_method(head=Reply(405), get=Reply(200, body_size=GIB)))
    result = only(run([url], policy))
    farm.wait_idle()
    assert result.status is Status.OK
    assert farm.methods(MAIN, path()) == ["HEAD", "GET"]
    assert 0 < farm.body_bytes_sent[(MAIN, path())] < 1024 * 1024


def test_a_connection_reset_is_retried_then_an_error(farm, policy, path):
    url = farm.route(MAIN, path(), always(Reply(reset=True)))
    result = only(run([url], policy))
    assert result.status is Status.ERROR
    assert "connection" in result.detail
    assert farm.count(MAIN, path()) == 1 + FAST.retries


def test_a_connection_reset_once_then_ok(farm, policy, path):
    url = farm.route(MAIN, path(), sequence(Reply(reset=True), Reply(200)))
    assert only(run([url], policy)).status is Status.OK
    assert farm.count(MAIN, path()) == 2


def test_the_per_host_limit_is_never_exceeded(farm, policy, path):
    cap = 3
    farm.caps[CAPPED] = cap
    urls = [farm.route(CAPPED, path(str(i)), always(Reply(200, delay=0.05))) for i in range(24)]
    farm.reset_peaks()
    report = run(urls, policy, replace(FAST, per_host=cap, concurrency=16))
    assert all(r.status is Status.OK and r.requests_sent == 1 for r in report.results)
    assert farm.over_cap[CAPPED] == 0
    assert farm.peak_in_flight[CAPPED] == cap  # the limit is used, not just respected


def test_the_per_host_limit_holds_for_redirects_from_other_hosts(farm, policy, path):
    """A host with no links of its own, reached only through redirects, is limited too."""
    cap = 2
    farm.caps[CAPPED] = cap
    urls = [
        farm.route(
            host,
            path(f"{host}-{i}"),
            redirect(302, farm.route(CAPPED, path(f"{host}-{i}-target"), always(Reply(200, delay=0.05)))),
        )
        for host in (MAIN, OTHER, RETIRED)
        for i in range(4)
    ]
    farm.reset_peaks()
    report = run(urls, policy, replace(FAST, per_host=cap, concurrency=16))
    assert all(r.status is Status.OK and r.requests_sent == 2 for r in report.results)
    assert farm.over_cap[CAPPED] == 0
    assert farm.peak_in_flight[CAPPED] == cap


def test_the_farm_cap_catches_a_checker_that_exceeds_it(farm, policy, path):
    """The cap test above has teeth: a looser per-host limit trips the farm's 429."""
    farm.caps[SPARE] = 2
    urls = [farm.route(SPARE, path(str(i)), always(Reply(200, delay=0.05))) for i in range(12)]
    farm.reset_peaks()
    run(urls, policy, replace(FAST, per_host=6))
    assert farm.over_cap[SPARE] > 0
    del farm.caps[SPARE]


def test_the_global_limit_holds_across_hosts(farm, policy, path):
    hosts = [MAIN, OTHER, CAPPED, RETIRED, SPARE, WALL]
    urls = [farm.route(host, path(str(i)), always(Reply(200, delay=0.05))) for host in hosts for i in range(3)]
    farm.reset_peaks()
    report = run(urls, policy, replace(FAST, concurrency=4, per_host=4))
    assert all(r.status is Status.OK for r in report.results)
    assert farm.peak_total == 4


def test_a_resolver_redirect_is_proof_of_life_and_the_wall_is_not_visited(farm, policy, path):
    wall = farm.route(OTHER, path("paywall"), always(Reply(403)))
    doi = farm.route(RESOLVER, path("10.1000/xyz"), redirect(302, wall))
    unknown = farm.route(RESOLVER, path("10.1000/nope"), always(Reply(404)))
    results = {r.url: r for r in run([doi, unknown], policy).results}
    assert (results[doi].status, results[doi].final_url) == (Status.OK, wall)
    assert farm.methods(RESOLVER, path("10.1000/xyz")) == ["HEAD"]
    assert farm.count(OTHER, path("paywall")) == 0
    assert results[unknown].status is Status.BROKEN


def test_a_retired_host_redirecting_everything_to_one_page_is_a_generic_page(farm, policy, path):
    landing = farm.route(OTHER, path("trending"), always(Reply(200)))
    retired = [farm.route(RETIRED, path(f"paper-{i}"), redirect(302, landing)) for i in range(3)]
    alive = farm.route(RETIRED, path("fine"), redirect(302, farm.route(RETIRED, path("fine2"), always(Reply(200)))))
    results = {r.url: r for r in run([*retired, alive], policy).results}
    for url in retired:
        assert results[url].status is Status.MOVED
        assert "generic page" in results[url].detail and landing in results[url].detail
    assert results[alive].status is Status.OK


def test_two_links_to_one_landing_page_are_not_enough_for_a_verdict(farm, policy, path):
    landing = farm.route(OTHER, path("landing"), always(Reply(200)))
    urls = [farm.route(RETIRED, path(f"p{i}"), redirect(302, landing)) for i in range(2)]
    assert all(r.status is Status.OK for r in run(urls, policy).results)


def test_a_deep_link_redirected_to_the_home_page_is_a_soft_404(farm, policy, path):
    home = farm.url(MAIN, "/")
    farm.route(MAIN, "/", always(Reply(200)))
    url = farm.route(MAIN, path("deep/page"), redirect(301, home))
    result = only(run([url], policy))
    assert result.status is Status.MOVED
    assert "home page" in result.detail


def test_each_unique_url_is_requested_once_and_keeps_all_origins(farm, policy, path):
    url = farm.route(MAIN, path(), always(Reply(200)))
    a = LinkOrigin("catalog/papers/a.yaml", 3, 7, "a", "code")
    b = LinkOrigin("catalog/papers/b.yaml", 9, 7, "b", "code")
    result = only(run([Link(url, (a,)), Link(url, (b,))], policy))
    assert farm.count(MAIN, path()) == 1
    assert result.origins == (a, b)


def test_skipped_hosts_are_not_contacted(farm, policy, path):
    url = farm.route(SPARE, path(), always(Reply(200)))
    skipping = msgspec.structs.replace(policy, hosts={SPARE: msgspec.structs.replace(policy.for_url(url), skip=True)})
    result = only(run([url], skipping))
    assert result.status is Status.SKIPPED
    assert farm.count(SPARE, path()) == 0


def test_the_time_budget_stops_the_run(farm, policy, path):
    urls = [farm.route(SPARE, path(str(i)), always(Reply(200, delay=3))) for i in range(3)]
    report = run(urls, policy, replace(FAST, timeout=10, budget=0.5))
    assert [r.status for r in report.results] == [Status.TIMEOUT] * 3
    assert all("time budget" in r.detail and r.requests_sent == 1 for r in report.results)


def test_progress_is_reported_for_every_checked_link(farm, policy, path):
    urls = [farm.route(MAIN, path(str(i)), always(Reply(200))) for i in range(5)]
    seen: list[tuple[int, int]] = []
    run(urls, policy, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 5) for i in range(6)]


def test_each_host_connections_are_closed_once_its_links_are_done(farm, policy, path):
    """Thousands of hosts must not mean thousands of idle sockets: pools close as hosts finish."""
    import asyncio

    from ai4radiology.linkcheck.checker import _Checker
    from ai4radiology.linkcheck.transport import Sessions

    target = farm.route(OTHER, path("target"), always(Reply(200)))
    links = [Link(farm.route(host, path(), always(Reply(200)))) for host in (MAIN, RETIRED, SPARE)]
    links.append(Link(farm.route(MAIN, path("hop"), redirect(302, target))))  # OTHER is only a redirect target

    async def check_and_count_open_sessions() -> tuple[int, set[str], set[str]]:
        sessions = Sessions(FAST.per_host)
        used: set[str] = set()
        get = sessions.get
        sessions.get = lambda host: used.add(host) or get(host)
        checker = _Checker(sessions, FAST, policy, deadline=asyncio.get_running_loop().time() + 10)
        results = await checker.run(links, None)
        still_open = set(sessions.sessions)
        await sessions.aclose()
        return sum(r.status is Status.OK for r in results), used, still_open

    ok, used, still_open = asyncio.run(check_and_count_open_sessions())
    assert ok == len(links)
    assert used == {MAIN, OTHER, RETIRED, SPARE}
    assert still_open == set()
