"""Collecting the catalog's URLs with the record, field and position to fix."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.linkcheck import GitDiffError, InvalidURL, changed_files, collect_links, read_url_file


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write_mini_catalog(tmp_path / "catalog")


def origins_by_url(links):
    return {
        link.url: [(Path(o.path).name, o.line, o.column, o.record_id, o.field) for o in link.origins] for link in links
    }


def test_every_url_of_the_catalog_with_its_position(catalog_dir):
    (catalog_dir / "papers" / "alpha-net.yaml").write_text(
        paper_yaml("alpha-net", doi="10.1000/abc.1", arxiv="'2101.00001'")
    )
    links = collect_links(load_catalog(catalog_dir).require_valid())
    assert origins_by_url(links) == {
        "https://papers.example.org/alpha-net": [("alpha-net.yaml", 10, 8, "alpha-net", "paper")],
        "https://code.example.org/alpha-net": [("alpha-net.yaml", 11, 7, "alpha-net", "code")],
        "https://doi.org/10.1000/abc.1": [("alpha-net.yaml", 14, 6, "alpha-net", "doi")],
        "https://arxiv.org/abs/2101.00001": [("alpha-net.yaml", 15, 8, "alpha-net", "arxiv")],
        "https://papers.example.org/beta-net": [("beta-net.yaml", 10, 8, "beta-net", "paper")],
        "https://data.example.org/lidc": [("lidc.yaml", 5, 6, "lidc", "url")],
        "https://refs.example.org/1": [("transfer-learning.yaml", 8, 8, "transfer-learning", "references.0.url")],
        # the review's url and arxiv id are the same address: one link, two places
        "https://arxiv.org/abs/2504.11349": [
            ("review.yaml", 4, 8, "review", "arxiv"),
            ("review.yaml", 5, 6, "review", "url"),
        ],
        "https://github.com/example/review": [("review.yaml", 6, 13, "review", "repository")],
    }


@pytest.mark.parametrize(
    "only, expected",
    [
        ({"code"}, {"https://code.example.org/alpha-net", "https://github.com/example/review"}),
        ({"dataset"}, {"https://data.example.org/lidc"}),
        ({"reference"}, {"https://refs.example.org/1"}),
        ({"dataset", "reference"}, {"https://data.example.org/lidc", "https://refs.example.org/1"}),
    ],
)
def test_only_selects_categories(catalog_dir, only, expected):
    links = collect_links(load_catalog(catalog_dir).require_valid(), only=only)
    assert {link.url for link in links} == expected


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(root), *args],
        check=True,
        capture_output=True,
    )


def test_changed_since_keeps_only_records_changed_in_git(tmp_path, catalog_dir):
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "catalog")
    (catalog_dir / "papers" / "beta-net.yaml").write_text(
        paper_yaml("beta-net", name="BetaNet", code="https://code.example.org/beta-new")
    )
    changed = changed_files("HEAD", catalog_dir)
    assert changed == {(catalog_dir / "papers" / "beta-net.yaml").resolve()}
    links = collect_links(load_catalog(catalog_dir).require_valid(), changed=changed)
    assert {link.url for link in links} == {"https://papers.example.org/beta-net", "https://code.example.org/beta-new"}


def test_changed_since_reports_git_failures(tmp_path, catalog_dir):
    with pytest.raises(GitDiffError, match="failed"):
        changed_files("HEAD", catalog_dir)  # not a repository
    with pytest.raises(GitDiffError, match="not a git revision"):
        changed_files(f"--output={tmp_path / 'x'}", catalog_dir)  # an option, never a revision


def test_a_url_file_gives_positions_and_rejects_other_schemes(tmp_path):
    good = tmp_path / "urls.txt"
    good.write_text("# comment\n\nhttps://a.example/x\n   http://b.example/y\nhttps://a.example/x\n")
    assert origins_by_url(read_url_file(good)) == {
        "https://a.example/x": [("urls.txt", 3, 1, "", "url"), ("urls.txt", 5, 1, "", "url")],
        "http://b.example/y": [("urls.txt", 4, 4, "", "url")],
    }
    bad = tmp_path / "bad.txt"
    bad.write_text("https://a.example/x\nftp://files.example/data.zip\n")
    with pytest.raises(InvalidURL, match=r"bad\.txt:2"):
        read_url_file(bad)
