"""Edge cases of redirects and policies on the farm, and the small pure parts."""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import replace

import msgspec
import pytest

from ai4radiology.linkcheck import CheckerConfig, HostPolicy, InvalidURL, Link, PolicyError, Status, load_policy
from ai4radiology.linkcheck.verdicts import retry_after

from .conftest import FAST, MAIN, SPARE, only, run
from .farm import Reply, always, redirect


def test_a_redirect_to_another_scheme_is_an_error(farm, policy, path):
    url = farm.route(MAIN, path(), redirect(302, "ftp://files.example/x"))
    result = only(run([url], policy))
    assert result.status is Status.ERROR and "non-web address" in result.detail
    assert result.requests_sent == 1


def test_redirects_are_bounded(farm, policy, path):
    urls = [farm.url(MAIN, path(str(hop))) for hop in range(8)]
    for hop in range(7):
        farm.route(MAIN, path(str(hop)), redirect(302, urls[hop + 1]))
    result = only(run([urls[0]], policy, replace(FAST, max_redirects=5, retries=0)))
    assert result.status is Status.ERROR and "more than 5 redirects" in result.detail
    assert result.requests_sent == 6


def test_a_redirect_without_location_is_an_error(farm, policy, path):
    url = farm.route(MAIN, path(), always(Reply(301, body=b"")))
    result = only(run([url], policy))
    assert result.status is Status.ERROR and "Location" in result.detail


def test_an_accepted_code_is_ok(farm, policy, path):
    url = farm.route(SPARE, path(), always(Reply(401)))
    accepting = msgspec.structs.replace(policy, hosts={SPARE: HostPolicy(accept=frozenset({401}))})
    result = only(run([url], accepting))
    assert (result.status, result.requests_sent) == (Status.OK, 1)


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after({"retry-after": "7"}) == 7
    assert retry_after({"retry-after": "nonsense"}) is None
    assert retry_after({}) is None
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    assert 25 < retry_after({"retry-after": email.utils.format_datetime(soon, usegmt=True)}) <= 30


@pytest.mark.parametrize(
    "url", ["ftp://example.org/file", "mailto:a@example.org", "http://", "example.org/x", "https://exa mple.org"]
)
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
    assert msgspec.structs.replace(rule, reason="other words").fingerprint == rule.fingerprint
    assert msgspec.structs.replace(rule, browser=True).fingerprint != rule.fingerprint


def test_an_invalid_policy_file_names_the_problem(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("user_agent: x\nbrowser_headers: {}\nhosts:\n  doi.org: {folow_redirects: false}\n")
    with pytest.raises(PolicyError, match="folow_redirects"):
        load_policy(bad)
