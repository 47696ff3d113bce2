"""The result cache: a re-run inside the TTL sends no requests, except for what must be looked at again."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import msgspec

from ai4radiology.linkcheck import ResultCache, Status

from .conftest import MAIN, QUICK, only, run
from .farm import Reply, always

WEEK = dt.timedelta(days=7)


def test_a_rerun_within_the_ttl_sends_no_requests(farm, policy, path, tmp_path):
    urls = {
        Status.OK: farm.route(MAIN, path("ok"), always(Reply(200))),
        Status.BROKEN: farm.route(MAIN, path("gone"), always(Reply(404))),
        Status.BLOCKED: farm.route(MAIN, path("wall"), always(Reply(403))),
    }
    first = run(urls.values(), policy, cache=ResultCache.load(tmp_path / "cache.json", WEEK))
    sent = {name: farm.count(MAIN, path(name)) for name in ("ok", "gone", "wall")}

    second = run(urls.values(), policy, cache=ResultCache.load(tmp_path / "cache.json", WEEK))
    assert {name: farm.count(MAIN, path(name)) for name in sent} == sent
    by_url = {r.url: r for r in second.results}
    for status, url in urls.items():
        assert (by_url[url].status, by_url[url].cached, by_url[url].requests_sent) == (status, True, 0)
    assert [r.checked_at for r in first.results] == [r.checked_at for r in second.results]


def test_the_cache_file_is_json_with_a_version(farm, policy, path, tmp_path):
    url = farm.route(MAIN, path(), always(Reply(200)))
    run([url], policy, cache=ResultCache.load(tmp_path / "c" / "cache.json", WEEK))
    data = json.loads((tmp_path / "c" / "cache.json").read_text())
    assert data["version"] == 2
    assert data["entries"][url]["status"] == "ok"
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["cache.json"]  # no temporary file left behind


def test_timeouts_and_errors_are_never_cached(farm, policy, path, tmp_path):
    slow = farm.route(MAIN, path("slow"), always(Reply(200, delay=QUICK.timeout + 0.3)))
    failing = farm.route(MAIN, path("fail"), always(Reply(500)))
    cache_file = tmp_path / "cache.json"
    once = replace(QUICK, retries=0)
    run([slow, failing], policy, once, cache=ResultCache.load(cache_file, WEEK))
    assert json.loads(cache_file.read_text())["entries"] == {}
    before = farm.count(MAIN, path("slow"))
    assert only(run([slow], policy, once, cache=ResultCache.load(cache_file, WEEK))).status is Status.TIMEOUT
    assert farm.count(MAIN, path("slow")) > before


def test_expired_entries_are_checked_again_and_dropped(farm, policy, path, tmp_path):
    url = farm.route(MAIN, path(), always(Reply(200)))
    cache_file = tmp_path / "cache.json"
    run([url], policy, cache=ResultCache.load(cache_file, WEEK))
    later = dt.datetime.now(dt.UTC) + WEEK + dt.timedelta(minutes=1)
    stale = ResultCache.load(cache_file, WEEK, clock=lambda: later)
    assert stale.get(url, policy.for_url(url).fingerprint) is None
    result = only(run([url], policy, cache=stale))
    assert (result.cached, farm.count(MAIN, path())) == (False, 2)


def test_a_changed_host_rule_invalidates_its_cached_verdicts(farm, policy, path, tmp_path):
    url = farm.route(MAIN, path(), always(Reply(403)))
    cache_file = tmp_path / "cache.json"
    assert only(run([url], policy, cache=ResultCache.load(cache_file, WEEK))).status is Status.BLOCKED
    rule = msgspec.structs.replace(policy.for_url(url), accept=frozenset({403}))
    fixed = msgspec.structs.replace(policy, hosts={**policy.hosts, MAIN: rule})
    result = only(run([url], fixed, cache=ResultCache.load(cache_file, WEEK)))
    assert (result.status, result.cached) == (Status.OK, False)


def test_a_damaged_cache_file_is_ignored_with_a_warning(tmp_path):
    cache_file = tmp_path / "cache.json"
    cache_file.write_text("{not json")
    cache = ResultCache.load(cache_file, WEEK)
    assert cache.entries == {} and "ignored" in (cache.warning or "")


def test_a_damaged_entry_is_a_miss_not_a_crash(tmp_path):
    cache_file = tmp_path / "cache.json"
    entry = {
        "status": "ok",
        "http_status": 200,
        "final_url": None,
        "detail": "",
        "policy": "p",
        "checked_at": "2026-01-01T00:00:00",
    }  # no time zone: hand-edited
    cache_file.write_text(json.dumps({"version": 2, "entries": {"http://x.test/": entry}}))
    assert ResultCache.load(cache_file, WEEK).get("http://x.test/", "p") is None


def entry(**changes) -> dict:
    good = {
        "status": "ok",
        "http_status": 200,
        "final_url": None,
        "detail": "",
        "policy": "p",
        "checked_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    return {**good, **changes}


def test_entries_of_the_wrong_shape_are_dropped_with_a_warning(tmp_path):
    """Issue 8, item 13: a cache entry of the wrong type used to be a traceback with exit 1."""
    cache_file = tmp_path / "cache.json"
    entries = {
        "http://good.test/": entry(),
        "http://str.test/": "ok",
        "http://list.test/": [1, 2],
        "http://status.test/": entry(status=7),
        "http://code.test/": entry(http_status="200"),
        "http://error.test/": entry(status="error"),
        "http://date.test/": entry(checked_at=5),
    }
    cache_file.write_text(json.dumps({"version": 2, "entries": entries}))
    cache = ResultCache.load(cache_file, WEEK)
    assert list(cache.entries) == ["http://good.test/"]
    assert cache.warning == f"ignored 6 malformed entries of {cache_file}"
    assert cache.get("http://good.test/", "p").status is Status.OK


def test_deeply_nested_json_is_a_warning(tmp_path):
    cache_file = tmp_path / "cache.json"
    cache_file.write_text("[" * 100_000 + "]" * 100_000)
    cache = ResultCache.load(cache_file, WEEK)
    assert cache.entries == {} and "ignored" in (cache.warning or "")


def test_a_future_dated_entry_is_stale(tmp_path):
    cache_file = tmp_path / "cache.json"
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=365)).isoformat()
    cache_file.write_text(json.dumps({"version": 2, "entries": {"http://x.test/": entry(checked_at=future)}}))
    cache = ResultCache.load(cache_file, WEEK)
    assert cache.get("http://x.test/", "p") is None
    cache.save()
    assert json.loads(cache_file.read_text())["entries"] == {}


def test_a_cache_of_another_version_is_ignored(tmp_path):
    cache_file = tmp_path / "cache.json"
    cache_file.write_text(json.dumps({"version": 1, "entries": {"http://x.test/": entry()}}))
    cache = ResultCache.load(cache_file, WEEK)
    assert cache.entries == {} and "version" in (cache.warning or "")
