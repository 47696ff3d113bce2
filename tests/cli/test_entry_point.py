"""The installed command (`python -m ai4radiology` runs the same entry point) as a user runs it: its
exit status and output survive the fast exit that skips tearing down a large catalog."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from minicatalog import paper_yaml, write_mini_catalog


def ai4radiology(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ai4radiology", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_success_error_and_usage_statuses_and_all_output(tmp_path: Path):
    catalog = write_mini_catalog(tmp_path / "catalog")
    fine = ai4radiology("validate", "--format", "json", cwd=tmp_path)
    assert fine.returncode == 0, fine.stderr
    assert json.loads(fine.stdout)["errors"] == 0  # the whole JSON document was flushed

    (catalog / "papers" / "broken.yaml").write_text(paper_yaml("broken", year="'soon'"), encoding="utf-8")
    broken = ai4radiology("validate", cwd=tmp_path)
    assert broken.returncode == 1
    assert "papers/broken.yaml:5:7: error: year:" in broken.stdout

    usage = ai4radiology("validate", "--no-such-option", cwd=tmp_path)
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_a_reader_that_closes_the_pipe_early_gets_no_traceback(tmp_path: Path):
    papers = write_mini_catalog(tmp_path / "catalog") / "papers"
    for i in range(800):  # a report larger than a pipe holds: writing it fails once the reader has gone
        (papers / f"p{i}.yaml").write_text(paper_yaml(f"p{i}", name=f"Net{i}"), encoding="utf-8")
    command = [sys.executable, "-m", "ai4radiology", "validate", "--format", "json"]
    with subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(1)
        process.stdout.close()
        errors = process.stderr.read().decode()
        process.wait(timeout=120)
    assert "Traceback" not in errors and "Exception ignored" not in errors, errors
