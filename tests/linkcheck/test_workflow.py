"""The weekly link-check workflow (issue 8, item 14): least privilege, pinned actions, a null-safe issue step.

The issue step's shell script is run for real, with a stand-in `gh` that records what it was asked to do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "linkcheck.yml"
ISSUE_STEP = 'Open, update or close the "Broken links" issue'


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_every_action_is_pinned_by_commit_sha(workflow):
    uses = [step["uses"] for job in workflow["jobs"] for step in steps(workflow, job) if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action


def test_no_checkout_leaves_the_token_behind(workflow):
    checkouts = [
        step
        for job in workflow["jobs"]
        for step in steps(workflow, job)
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    assert all(step.get("with", {}).get("persist-credentials") is False for step in checkouts)


def test_only_the_issue_job_may_write_and_it_runs_no_repository_code(workflow):
    assert workflow["permissions"] == {}
    check = workflow["jobs"]["check"]["permissions"]
    assert all(level == "read" for level in check.values())
    issue = workflow["jobs"]["issue"]
    assert issue["permissions"] == {"issues": "write"}
    assert "github.event_name == 'schedule'" in issue["if"] and "workflow_dispatch" in issue["if"]
    assert "pull_request" not in issue["if"]
    for step in steps(workflow, "issue"):
        assert not step.get("uses", "").startswith("actions/checkout@")
        assert "pip install" not in step.get("run", "") and "ai4radiology" not in step.get("run", "")


def issue_script(workflow: dict) -> str:
    (step,) = [s for s in steps(workflow, "issue") if s.get("name") == ISSUE_STEP]
    assert step["shell"] == "bash"
    return step["run"]


@pytest.fixture
def sandbox(tmp_path: Path):
    """A folder with a stand-in `gh` on PATH that logs its arguments and knows of open issue #7."""
    if shutil.which("jq") is None or shutil.which("bash") is None:
        pytest.skip("the issue step needs bash and jq, as on GitHub's runners")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text('#!/bin/sh\necho "$*" >> "$GH_LOG"\ncase "$1 $2" in "issue list") echo 7 ;; esac\n')
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
    work = tmp_path / "work"
    work.mkdir()
    (work / "linkcheck-summary.md").write_text("## Link check\n")
    return work, bin_dir, tmp_path / "gh.log"


def run_issue_step(workflow: dict, sandbox, report: object) -> tuple[int, list[str]]:
    work, bin_dir, log = sandbox
    (work / "linkcheck-report.json").write_text(report if isinstance(report, str) else json.dumps(report))
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GH_LOG": str(log),
        "RUN_URL": "https://ci.invalid/run/1",
    }
    done = subprocess.run(
        ["bash", "-c", issue_script(workflow)], cwd=work, env=env, capture_output=True, text=True, timeout=30
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return done.returncode, calls


@pytest.mark.parametrize(
    "report",
    [
        {"summary": {"broken": None}},
        {"summary": {}},
        {},
        "not json",
        {"summary": {"broken": "3; rm -rf ."}},
        {"summary": {"broken": 10**30}},
        {"summary": {"broken": -1}},
    ],
    ids=["null", "no-count", "no-summary", "not-json", "injection", "huge", "negative"],
)
def test_a_report_without_a_count_changes_no_issue(workflow, sandbox, report):
    code, calls = run_issue_step(workflow, sandbox, report)
    assert code != 0
    assert not any(call.startswith("issue close") or call.startswith("issue edit") for call in calls)


def test_broken_links_update_the_open_issue(workflow, sandbox):
    code, calls = run_issue_step(workflow, sandbox, {"summary": {"broken": 3}})
    assert code == 0
    assert calls[-1] == "issue edit 7 --body-file linkcheck-summary.md"


def test_no_broken_links_close_the_issue(workflow, sandbox):
    code, calls = run_issue_step(workflow, sandbox, {"summary": {"broken": 0}})
    assert code == 0
    assert calls[-1].startswith("issue close 7 --comment")
