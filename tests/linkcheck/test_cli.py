"""`ai4radiology linkcheck` end to end, on loopback servers only."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import msgspec
import pytest
import yaml
from click.testing import CliRunner
from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.cli.linkcheck import linkcheck

from .conftest import MAIN, WALL
from .farm import Reply, always, by_agent

FAST_OPTIONS = ["--timeout", "1", "--budget", "30s", "--no-cache"]


@pytest.fixture
def policy_file(policy, tmp_path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(msgspec.to_builtins(policy)))
    return path


def invoke(*args: str):
    return CliRunner().invoke(linkcheck, [*args], catch_exceptions=False)


def url_file(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "urls.txt"
    path.write_text("".join(f"{u}\n" for u in urls))
    return path


def test_exit_1_and_the_place_to_fix_when_a_link_is_broken(farm, path, tmp_path):
    ok = farm.route(MAIN, path("ok"), always(Reply(200)))
    gone = farm.route(MAIN, path("gone"), always(Reply(404)))
    result = invoke("--urls", str(url_file(tmp_path, ok, gone)), *FAST_OPTIONS)
    assert result.exit_code == 1
    assert "BROKEN (1)" in result.output
    assert f"urls.txt:2:1  url  {gone}  HTTP 404" in result.output


def test_exit_0_when_nothing_is_broken_and_blocked_fails_only_when_strict(farm, path, tmp_path):
    ok = farm.route(MAIN, path("ok"), always(Reply(200)))
    wall = farm.route(MAIN, path("wall"), always(Reply(403)))
    urls = str(url_file(tmp_path, ok, wall))
    assert invoke("--urls", urls, *FAST_OPTIONS).exit_code == 0
    assert invoke("--urls", urls, "--strict", *FAST_OPTIONS).exit_code == 1


def test_json_output_file_and_markdown_summary(farm, path, tmp_path):
    ok = farm.route(MAIN, path(), always(Reply(200)))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    report_file = tmp_path / "out" / "report.json"
    result = invoke(
        "--urls",
        str(url_file(tmp_path, ok)),
        "--format",
        "json",
        "--output",
        str(report_file),
        "--summary",
        str(summary),
        *FAST_OPTIONS,
    )
    assert result.exit_code == 0
    data = json.loads(report_file.read_text())
    assert [(r["url"], r["status"], r["http_status"]) for r in data["results"]] == [(ok, "ok", 200)]
    assert "Checked 1 link" in result.output
    assert summary.read_text().startswith("earlier step\n## Link check\n")


def test_the_policy_option_and_the_cache(farm, path, tmp_path, policy_file):
    url = farm.route(WALL, path(), by_agent(bot=Reply(403), browser=Reply(200)))
    cache = tmp_path / "cache.json"
    args = [
        "--urls",
        str(url_file(tmp_path, url)),
        "--policy",
        str(policy_file),
        "--cache",
        str(cache),
        "--format",
        "json",
    ]
    first = json.loads(invoke(*args).output)
    second = json.loads(invoke(*args).output)
    assert [r["status"] for r in first["results"]] == ["ok"]
    assert [r["cached"] for r in second["results"]] == [True]
    assert farm.count(WALL, path()) == 1


def test_catalog_mode_with_only_and_changed_since(farm, path, tmp_path):
    """Only the changed record's code link is requested; nothing else in the catalog is contacted."""
    root = write_mini_catalog(tmp_path / "catalog")
    old = farm.route(MAIN, path("alpha"), always(Reply(200)))
    (root / "papers" / "alpha-net.yaml").write_text(paper_yaml("alpha-net", code=old))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "c"], check=True)
    gone = farm.route(MAIN, path("beta"), always(Reply(404)))
    (root / "papers" / "beta-net.yaml").write_text(paper_yaml("beta-net", name="BetaNet", code=gone))

    result = invoke("--catalog", str(root), "--only", "code", "--changed-since", "HEAD", *FAST_OPTIONS)
    assert result.exit_code == 1
    assert "beta-net.yaml:11:7  beta-net.code" in result.output
    assert (farm.count(MAIN, path("alpha")), farm.count(MAIN, path("beta"))) == (0, 2)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--only", "code,videos"], "videos"),
        (["--ttl", "soon"], "duration"),
        (["--format", "html"], "html"),
        (["--urls", "{urls}", "--only", "code"], "cannot be combined"),
        (["--urls", "{bad_urls}"], "bad.txt:1"),
        (["--urls", "{big_port}"], "port.txt:1"),  # issue 13, item 1
        (["--urls", "{bad_ipv6}"], "ipv6.txt:1"),  # item 2
        (["--retries", "-1"], "retries"),
        (["--policy", "{bad_date}"], "date.yaml"),  # issue 8, item 13
        (["--catalog", "{tmp}/nowhere"], "not valid"),
        (["--catalog", "{catalog}", "--changed-since", "main"], "git diff"),
        (["--policy", "{bad_policy}"], "invalid"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(tmp_path, args, message):
    (tmp_path / "urls.txt").write_text("http://127.0.0.2:9/x\n")
    (tmp_path / "bad.txt").write_text("ftp://files.example/x\n")
    (tmp_path / "policy.yaml").write_text("user_agent: x\n")
    (tmp_path / "port.txt").write_text("http://127.0.0.1:99999/\n")
    (tmp_path / "ipv6.txt").write_text("http://[::1/x\n")
    (tmp_path / "date.yaml").write_text("user_agent: x\nbrowser_headers: {}\nchecked: 2026-13-45\n")
    catalog = write_mini_catalog(tmp_path / "catalog")
    values = {
        "urls": tmp_path / "urls.txt",
        "bad_urls": tmp_path / "bad.txt",
        "tmp": tmp_path,
        "catalog": catalog,
        "bad_policy": tmp_path / "policy.yaml",
        "big_port": tmp_path / "port.txt",
        "bad_ipv6": tmp_path / "ipv6.txt",
        "bad_date": tmp_path / "date.yaml",
    }
    result = CliRunner().invoke(linkcheck, [a.format(**values) for a in args] + ["--no-cache"])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_hostile_redirect_still_gives_a_report_with_every_verdict(farm, path, tmp_path):
    """Issue 13, item 1: one site's redirect to port 99999 used to end the run with no report at all."""
    hostile = farm.route(MAIN, path("hostile"), always(Reply(302, {"Location": "http://127.0.0.1:99999/"})))
    gone = farm.route(MAIN, path("gone"), always(Reply(404)))
    ok = farm.route(MAIN, path("ok"), always(Reply(200)))
    report_file = tmp_path / "report.json"
    result = invoke(
        "--urls",
        str(url_file(tmp_path, hostile, gone, ok)),
        "--format",
        "json",
        "--output",
        str(report_file),
        *FAST_OPTIONS,
    )
    assert result.exit_code == 1  # the 404, as documented; not a crash
    statuses = {r["url"]: r["status"] for r in json.loads(report_file.read_text())["results"]}
    assert statuses == {hostile: "error", gone: "broken", ok: "ok"}


def test_the_retries_option_sets_the_attempts(farm, path, tmp_path):
    url = farm.route(MAIN, path(), always(Reply(503)))
    result = invoke("--urls", str(url_file(tmp_path, url)), "--retries", "0", *FAST_OPTIONS)
    assert result.exit_code == 0  # a 503 is passing trouble: not broken
    assert farm.methods(MAIN, path()) == ["HEAD", "GET"]  # the HEAD's error confirmed once, no retry


def test_a_malformed_cache_is_a_warning_and_the_check_runs(farm, path, tmp_path):
    url = farm.route(MAIN, path(), always(Reply(200)))
    cache = tmp_path / "cache.json"
    cache.write_text(json.dumps({"version": 2, "entries": {url: "not an entry", "x": [1]}}))
    result = CliRunner().invoke(
        linkcheck, ["--urls", str(url_file(tmp_path, url)), "--cache", str(cache), "--timeout", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "warning: ignored 2 malformed entries" in result.output
    assert farm.count(MAIN, path()) == 1
    assert list(json.loads(cache.read_text())["entries"]) == [url]
