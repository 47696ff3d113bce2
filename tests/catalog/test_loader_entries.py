"""The loader reads nothing outside the repository and reports every entry it cannot read (issue 8, item 9)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.catalog.loader import load_catalog


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write_mini_catalog(tmp_path / "catalog")


def reported(catalog_dir: Path) -> dict[str, str]:
    """{file name: message} of the errors, for files under the catalog."""
    result = load_catalog(catalog_dir)
    return {Path(p.location.path).name: p.message for p in result.errors}


def test_a_link_to_a_file_outside_the_repository_is_refused_unread(catalog_dir, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(paper_yaml("leak", title="SECRET-TITLE"), encoding="utf-8")
    (catalog_dir / "papers" / "leak.yaml").symlink_to(secret)
    (catalog_dir / "papers" / "passwd.yaml").symlink_to("/etc/passwd")
    (catalog_dir / "papers" / "status.yaml").symlink_to("/proc/self/status")
    result = load_catalog(catalog_dir)
    messages = {Path(p.location.path).name: p.message for p in result.errors}
    assert set(messages) == {"leak.yaml", "passwd.yaml", "status.yaml"}
    assert all("symbolic link" in m for m in messages.values())
    assert "SECRET-TITLE" not in str([p.format() for p in result.problems])
    assert [p.id for p in result.catalog.papers] == ["alpha-net", "beta-net"]


def test_a_linked_singleton_or_folder_is_refused(catalog_dir, tmp_path):
    (catalog_dir / "taxonomy.yaml").rename(tmp_path / "taxonomy.yaml")
    (catalog_dir / "taxonomy.yaml").symlink_to(tmp_path / "taxonomy.yaml")
    (catalog_dir / "topics").rename(tmp_path / "topics")
    (catalog_dir / "topics").symlink_to(tmp_path / "topics", target_is_directory=True)
    messages = reported(catalog_dir)
    assert "symbolic link" in messages["taxonomy.yaml"] and "symbolic link" in messages["topics"]


def test_a_dangling_link_a_fifo_and_a_folder_named_like_a_record_are_each_reported(catalog_dir):
    papers = catalog_dir / "papers"
    (papers / "dangling.yaml").symlink_to(papers / "nowhere.yaml")
    os.mkfifo(papers / "pipe.yaml")  # reading it would block forever
    (papers / "folder.yaml").mkdir()
    messages = reported(catalog_dir)
    assert "symbolic link" in messages["dangling.yaml"]
    assert "not a regular file" in messages["pipe.yaml"] and "not a regular file" in messages["folder.yaml"]


def test_other_spellings_and_stray_files_are_reported(catalog_dir):
    papers = catalog_dir / "papers"
    (papers / "upper.YAML").write_text(paper_yaml("upper"), encoding="utf-8")
    (papers / "short.yml").write_text(paper_yaml("short"), encoding="utf-8")
    (papers / "notes.txt").write_text("not a record", encoding="utf-8")
    messages = reported(catalog_dir)
    assert messages["upper.YAML"] == "record files end in .yaml, not .YAML"
    assert messages["short.yml"] == "record files end in .yaml, not .yml"
    assert "not a record file" in messages["notes.txt"]


def test_a_collection_that_is_a_plain_file_is_reported(catalog_dir):
    for path in (catalog_dir / "datasets").iterdir():
        path.unlink()
    (catalog_dir / "datasets").rmdir()
    (catalog_dir / "datasets").write_text("oops", encoding="utf-8")
    assert "should be a folder" in reported(catalog_dir)["datasets"]


def test_the_size_limit_holds_for_files_that_report_no_size(monkeypatch):
    """/proc files say they are empty; the reader stops after the limit whatever the size says."""
    from ai4radiology.catalog import yamlsource

    assert Path("/proc/self/status").stat().st_size == 0
    monkeypatch.setattr(yamlsource, "MAX_BYTES", 100)
    with pytest.raises(yamlsource.YamlSourceError, match="file is larger than that; catalog files are limited to"):
        yamlsource.read_bytes(Path("/proc/self/status"))
