"""Unit-level edge cases: mock transports for what loopback cannot show, and the small pure parts."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import socket
from collections import Counter

import httpx
import pytest

from ai4radiology.linkcheck import CheckerConfig, InvalidURL, Link, PolicyError, Status, check_links, load_policy
from ai4radiology.linkcheck.checker import _retry_after

from .conftest import FAST


def check_with(handler, url: str, config: CheckerConfig = FAST):
    report = asyncio.run(check_links([Link(url)], config, load_policy(), transport=httpx.MockTransport(handler)))
    (result,) = report.results
    return result


def test_an_unknown_host_is_broken():
    def handler(request: httpx.Request) -> httpx.Response:
        try:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        except socket.gaierror as exc:
            raise httpx.ConnectError("name resolution failed", request=request) from exc

    result = check_with(handler, "https://no-such-host.example/x")
    assert (result.status, result.detail) == (Status.BROKEN, "host not found (DNS)")
    assert result.requests_sent == 1 + FAST.retries


def test_a_redirect_to_another_scheme_is_an_error():
    result = check_with(lambda r: httpx.Response(302, headers={"Location": "ftp://files.example/x"}),
                        "https://example.org/x")
    assert result.status is Status.ERROR and "non-web address" in result.detail
    assert result.requests_sent == 1


def test_redirects_are_bounded():
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{hop + 1}"})

    result = check_with(handler, "https://example.org/0", CheckerConfig(max_redirects=5, retries=0))
    assert result.status is Status.ERROR and "more than 5 redirects" in result.detail
    assert result.requests_sent == 6


def test_a_redirect_without_location_is_an_error():
    result = check_with(lambda r: httpx.Response(301), "https://example.org/x")
    assert result.status is Status.ERROR and "Location" in result.detail


def test_an_accepted_code_is_ok():
    policy = load_policy()
    policy = policy.model_copy(update={"hosts": {"example.org": policy.for_url("https://example.org").model_copy(
        update={"accept": frozenset({401})})}})
    report = asyncio.run(check_links([Link("https://example.org/members")], FAST, policy,
                                     transport=httpx.MockTransport(lambda r: httpx.Response(401))))
    assert report.results[0].status is Status.OK
    assert report.results[0].requests_sent == 1


def test_retry_after_accepts_seconds_and_http_dates():
    assert _retry_after({"retry-after": "7"}) == 7
    assert _retry_after({"retry-after": "nonsense"}) is None
    assert _retry_after({}) is None
    soon = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30)
    assert 25 < _retry_after({"retry-after": email.utils.format_datetime(soon, usegmt=True)}) <= 30


@pytest.mark.parametrize("url", ["ftp://example.org/file", "mailto:a@example.org", "http://", "example.org/x",
                                 "https://exa mple.org"])
def test_only_http_urls_are_links(url):
    with pytest.raises(InvalidURL):
        Link(url)


def test_config_rejects_nonsense():
    with pytest.raises(ValueError, match="concurrency"):
        CheckerConfig(concurrency=0)
    with pytest.raises(ValueError, match="retries"):
        CheckerConfig(retries=-1)


def test_host_rules_match_by_domain_suffix():
    policy = load_policy()
    assert policy.for_url("https://dx.doi.org/10.1/x").follow_redirects is False
    assert policy.for_url("https://doi.org/10.1/x").follow_redirects is False
    assert policy.for_url("https://notdoi.org/x").follow_redirects is True


def test_the_fingerprint_follows_the_rule_not_its_explanation():
    rule = load_policy().for_url("https://doi.org/x")
    assert rule.model_copy(update={"reason": "other words"}).fingerprint == rule.fingerprint
    assert rule.model_copy(update={"browser": True}).fingerprint != rule.fingerprint


def test_an_invalid_policy_file_names_the_problem(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("user_agent: x\nbrowser_headers: {}\nhosts:\n  doi.org: {folow_redirects: false}\n")
    with pytest.raises(PolicyError, match="folow_redirects"):
        load_policy(bad)


def test_the_per_host_limit_does_not_rely_on_the_connection_pool():
    """Redirects from many hosts into one: the host gate alone keeps it at `per_host` (no pools here)."""
    in_flight: Counter[str] = Counter()
    peak: Counter[str] = Counter()

    async def handler(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host != "target.test":
            return httpx.Response(302, headers={"Location": f"https://target.test{request.url.path}"})
        in_flight[host] += 1
        peak[host] = max(peak[host], in_flight[host])
        await asyncio.sleep(0.02)
        in_flight[host] -= 1
        return httpx.Response(200)

    links = [Link(f"https://source{n}.test/{n}-{i}") for n in range(4) for i in range(3)]
    config = CheckerConfig(concurrency=32, per_host=2, retries=0)
    report = asyncio.run(check_links(links, config, load_policy(), transport=httpx.MockTransport(handler)))
    assert all(r.status is Status.OK for r in report.results)
    assert peak["target.test"] == 2
