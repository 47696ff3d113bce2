"""Large catalogs are read and checked with forked processes; what `validate` reports must not depend on it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.catalog import loader, parallel


def _catalog_with_mistakes(root: Path) -> Path:
    write_mini_catalog(root)
    papers = root / "papers"
    for i in range(12):
        (papers / f"gamma-{i:02}.yaml").write_text(paper_yaml(f"gamma-{i:02}", name=f"Gamma{i}"), encoding="utf-8")
    (papers / "bad-year.yaml").write_text(paper_yaml("bad-year", year="'soon'"), encoding="utf-8")
    (papers / "bad-yaml.yaml").write_text("id: bad-yaml\nname: [unclosed\n", encoding="utf-8")
    # Same paper link as gamma-03 (an error located on line 10 of a file a worker may have read).
    (papers / "copy.yaml").write_text(paper_yaml("copy", paper="https://papers.example.org/gamma-03"), encoding="utf-8")
    (papers / "wrong-id.yaml").write_text(paper_yaml("not-the-file-name"), encoding="utf-8")
    return root


def _report(root: Path) -> tuple[list[str], list[str], int]:
    result = loader.load_catalog(root)
    ids = [paper.id for paper in result.catalog.papers]
    return [problem.format() for problem in result.problems], ids, result.files_checked


def _fork_from_two_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked children even for a small catalog, and on a machine with one CPU."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 3)
    monkeypatch.setattr(loader, "usable_cpus", lambda: 3)


@pytest.fixture
def shared_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    _fork_from_two_records(monkeypatch)


def test_problems_and_records_are_the_same_when_read_by_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = _catalog_with_mistakes(tmp_path)
    alone = _report(root)
    _fork_from_two_records(monkeypatch)
    assert parallel.worth_forking(2)
    shared = _report(root)
    assert shared == alone
    sources = loader.load_catalog(root).catalog.sources.values()
    assert any(source.document is None for source in sources), "no record was read by a worker"
    problems = "\n".join(shared[0])
    # The cross-record error on a record a worker read is still located at its line, not at 1:1.
    assert "papers/gamma-03.yaml:10:8: error: paper: same URL as paper of paper 'copy'" in problems
    assert "papers/gamma-11.yaml:3:8: warning: title: nearly the same title" in problems
    assert "papers/bad-year.yaml:5:7: error: year:" in problems
    assert "papers/bad-yaml.yaml:" in problems


def test_a_worker_that_dies_leaves_its_share_to_the_parent(tmp_path: Path, shared_reading: None, monkeypatch):
    root = _catalog_with_mistakes(tmp_path)
    expected = _report(root)

    monkeypatch.setattr(loader, "_read_in_worker", _die)
    assert _report(root) == expected


PARENT = os.getpid()
READ_IN_WORKER = loader._read_in_worker


def _die(paths: list[Path], model: type) -> object:
    """Killed in a child (as by the out-of-memory killer); the parent's own reading works."""
    if os.getpid() != PARENT:
        os._exit(9)
    return READ_IN_WORKER(paths, model)


def test_no_worker_processes_while_other_threads_run(shared_reading: None):
    """Forking a process that runs threads (as `serve` does) can deadlock: such a process reads alone."""
    assert parallel.worth_forking(2)
    stop = threading.Event()
    waiter = threading.Thread(target=stop.wait)
    waiter.start()
    try:
        assert not parallel.worth_forking(2)
    finally:
        stop.set()
        waiter.join()


def test_a_child_that_dies_while_checking_leaves_the_rules_to_the_parent(tmp_path: Path, shared_reading, monkeypatch):
    from ai4radiology.catalog import checks

    root = _catalog_with_mistakes(tmp_path)
    expected = _report(root)
    real = checks.check_near_duplicate_titles

    def dies_in_child(catalog):
        if os.getpid() != PARENT:
            os._exit(9)
        return real(catalog)

    monkeypatch.setattr(checks, "check_near_duplicate_titles", dies_in_child)
    assert _report(root) == expected
    assert any("nearly the same title" in line for line in expected[0])
