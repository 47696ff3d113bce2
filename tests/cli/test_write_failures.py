"""A write that the system refuses is one line naming the path, exit 2, the old file intact (issue 8,
item 12). The fault is real: the child process may not write files larger than a few bytes (RLIMIT_FSIZE,
the error a full disk gives as well), so every write fails in the operating system, not in a mock."""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from minicatalog import write_mini_catalog

REPO = Path(__file__).resolve().parents[2]
BIB = """@article{new2024,
  title = {A brand new reconstruction network},
  author = {Doe, Jane},
  journal = {IEEE TMI},
  year = {2024},
}
"""


def _small_files_only() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (40, 40))


def run_limited(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from ai4radiology.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=_small_files_only,
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    write_mini_catalog(tmp_path / "catalog")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for name in ("README.md", "CONTRIBUTING.md"):
        shutil.copy(REPO / name, tmp_path / name)
    (tmp_path / "new.bib").write_text(BIB, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "command, written",
    [
        (["render"], "README.md"),
        (["export", "bibtex", "--output", "README.md"], "README.md"),
        (["new", "paper", "--id", "fresh-net"], "catalog/papers/fresh-net.yaml"),
        (["add", "--bibtex", "new.bib"], "catalog/papers/"),
        (["build"], "build/site-docs/"),
    ],
)
def test_a_refused_write_is_one_line_exit_2_and_the_old_file_is_intact(checkout, command, written):
    before = {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    result = run_limited(checkout, *command)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: cannot write")]
    assert len(errors) == 1 and written in errors[0] and "File too large" in errors[0], result.stderr
    after = {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    assert {p: after.get(p) for p in before} == before  # nothing changed or lost
    assert not [p for p in after if p not in before and p.suffix == ".tmp"]  # no half-written file left


def test_a_readme_that_is_not_utf8_is_a_clear_error(checkout):
    (checkout / "README.md").write_bytes(b"# Title\n\xff\xfe\n")
    result = subprocess.run(
        [sys.executable, "-c", "from ai4radiology.cli import main; main()", "render"],
        cwd=checkout,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "README.md:2: not UTF-8 text" in result.stderr
