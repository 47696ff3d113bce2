"""Rules on each record's own data: citation completeness, link sanity, identifiers, the 2026 vocabularies."""

from __future__ import annotations

from pathlib import Path

import pytest
from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.problems import Problem, Severity
from ai4radiology.catalog.recordchecks import arxiv_in_url, doi_in_url, unbalanced


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write_mini_catalog(tmp_path / "catalog")


def problems_in(catalog_dir: Path, file_name: str) -> list[Problem]:
    return [p for p in load_catalog(catalog_dir).problems if p.location.path.endswith(file_name)]


def rules_in(catalog_dir: Path, file_name: str) -> dict[str, Severity]:
    return {p.rule: p.severity for p in problems_in(catalog_dir, file_name)}


def write(catalog_dir: Path, folder: str, record_id: str, text: str) -> Path:
    path = catalog_dir / folder / f"{record_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, prefix: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(prefix))


# --- citation data -----------------------------------------------------------------------------------


def test_a_paper_without_authors_or_identifier_is_warned_about(catalog_dir):
    write(catalog_dir, "papers", "gamma", paper_yaml("gamma", authors="[]"))
    assert rules_in(catalog_dir, "gamma.yaml") == {
        "missing-authors": Severity.WARNING,
        "missing-identifier": Severity.WARNING,
    }


@pytest.mark.parametrize("identifier", [{"doi": "10.1000/gamma.1"}, {"arxiv": "'2401.00001'"}])
def test_either_identifier_is_enough(catalog_dir, identifier):
    write(catalog_dir, "papers", "gamma", paper_yaml("gamma", **identifier))
    assert problems_in(catalog_dir, "gamma.yaml") == []


def test_an_unknown_title_is_allowed_but_warned_about(catalog_dir):
    write(catalog_dir, "papers", "gamma", paper_yaml("gamma", title=None, abstract=None, arxiv="'2401.00001'"))
    [problem] = problems_in(catalog_dir, "gamma.yaml")
    assert (problem.rule, problem.severity) == ("missing-title", Severity.WARNING)


def test_a_paper_without_a_2026_classification_is_warned_about(catalog_dir):
    text = paper_yaml("gamma", arxiv="'2401.00001'").replace(
        "taxonomy_2026: {category: slice-wise, source: catalog}\n", ""
    )
    write(catalog_dir, "papers", "gamma", text)
    assert rules_in(catalog_dir, "gamma.yaml") == {"missing-classification": Severity.WARNING}


# --- links -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, broken",
    [
        ("https://doi.org/10.1016/S0140-6736(14)61490-2", False),
        ("https://example.org/a_(b)_[c]", False),
        ("https://www.thelancet.com/journals/lancet/article/PIIS0140-6736(14", True),
        ("https://example.org/page)", True),
        ("https://example.org/a[b)", True),
        ("https://example.org/a]", True),
    ],
)
def test_unbalanced(url, broken):
    assert unbalanced(url) is broken


def test_a_cut_paper_url_is_an_error_at_its_line(catalog_dir):
    path = write(catalog_dir, "papers", "gamma", paper_yaml("gamma", paper="https://example.org/article(14"))
    [problem] = [p for p in problems_in(catalog_dir, "gamma.yaml") if p.rule == "unbalanced-url"]
    assert problem.severity is Severity.ERROR
    assert (problem.field, problem.location.line) == ("paper", line_of(path, "paper:"))


def test_a_cut_dataset_url_is_an_error(catalog_dir):
    text = (
        (catalog_dir / "datasets" / "lidc.yaml")
        .read_text()
        .replace("https://data.example.org/lidc", "https://data.example.org/lidc]")
    )
    write(catalog_dir, "datasets", "lidc", text)
    assert rules_in(catalog_dir, "lidc.yaml") == {"unbalanced-url": Severity.ERROR}


def test_a_cut_reference_url_is_an_error(catalog_dir):
    path = catalog_dir / "topics" / "transfer-learning.yaml"
    path.write_text(path.read_text().replace("https://refs.example.org/1", "https://refs.example.org/(1"))
    [problem] = problems_in(catalog_dir, "transfer-learning.yaml")
    assert (problem.rule, problem.field) == ("unbalanced-url", "references.0.url")


# --- identifiers against the paper's own links -------------------------------------------------------


@pytest.mark.parametrize(
    "url, doi",
    [
        ("https://doi.org/10.1109/TMI.2023.1", "10.1109/TMI.2023.1"),
        ("https://dx.doi.org/10.1016/S0140-6736%2814%2961490-2", "10.1016/S0140-6736(14)61490-2"),
        ("https://example.org/10.1109/TMI.2023.1", None),
    ],
)
def test_doi_in_url(url, doi):
    assert doi_in_url(url) == doi


@pytest.mark.parametrize(
    "url, arxiv",
    [
        ("https://arxiv.org/abs/2304.01814", "2304.01814"),
        ("https://arxiv.org/pdf/2304.01814v2", "2304.01814"),
        ("https://arxiv.org/pdf/2304.01814v2.pdf", "2304.01814"),
        ("https://arxiv.org/list/cs.CV", None),
        ("https://example.org/abs/2304.01814", None),
    ],
)
def test_arxiv_in_url(url, arxiv):
    assert arxiv_in_url(url) == arxiv


def test_a_doi_that_its_own_doi_link_contradicts_is_an_error(catalog_dir):
    path = write(
        catalog_dir,
        "papers",
        "gamma",
        paper_yaml("gamma", paper="https://doi.org/10.1000/other.2", doi="10.1000/gamma.1"),
    )
    [problem] = problems_in(catalog_dir, "gamma.yaml")
    assert (problem.rule, problem.severity, problem.field) == ("identifier-mismatch", Severity.ERROR, "doi")
    assert problem.location.line == line_of(path, "doi:")
    assert "10.1000/other.2" in problem.message


def test_a_doi_differing_only_in_case_agrees_with_its_link(catalog_dir):
    write(
        catalog_dir, "papers", "gamma", paper_yaml("gamma", paper="https://doi.org/10.1109/tmi.1", doi="10.1109/TMI.1")
    )
    assert problems_in(catalog_dir, "gamma.yaml") == []


def test_an_arxiv_id_that_its_own_arxiv_link_contradicts_is_an_error(catalog_dir):
    write(
        catalog_dir,
        "papers",
        "gamma",
        paper_yaml("gamma", paper="https://arxiv.org/pdf/2601.01418", arxiv="'2603.00145'"),
    )
    [problem] = problems_in(catalog_dir, "gamma.yaml")
    assert (problem.rule, problem.severity, problem.field) == ("identifier-mismatch", Severity.ERROR, "arxiv")


def test_an_arxiv_version_agrees_with_its_link(catalog_dir):
    write(
        catalog_dir,
        "papers",
        "gamma",
        paper_yaml("gamma", paper="https://arxiv.org/abs/2603.00145v1", arxiv="'2603.00145v2'"),
    )
    assert problems_in(catalog_dir, "gamma.yaml") == []


# --- vocabularies ------------------------------------------------------------------------------------


def test_an_unknown_venue_is_an_error_with_a_suggestion(catalog_dir):
    path = write(catalog_dir, "papers", "gamma", paper_yaml("gamma", venue="MICCIA", arxiv="'2401.00001'"))
    [problem] = problems_in(catalog_dir, "gamma.yaml")
    assert (problem.rule, problem.severity, problem.location.line) == (
        "known-venue",
        Severity.ERROR,
        line_of(path, "venue:"),
    )
    assert problem.hint == "did you mean 'MICCAI'?"


def test_an_unknown_2026_category_is_an_error(catalog_dir):
    write(
        catalog_dir,
        "papers",
        "gamma",
        paper_yaml("gamma", arxiv="'2401.00001'", taxonomy_2026="{category: coord-field, source: 2026-edition}"),
    )
    [problem] = problems_in(catalog_dir, "gamma.yaml")
    assert (problem.rule, problem.field) == ("known-category", "taxonomy_2026.category")
    assert problem.hint == "did you mean 'coordinate-field'?"


def test_an_unknown_classification_source_is_a_schema_error(catalog_dir):
    write(catalog_dir, "papers", "gamma", paper_yaml("gamma", taxonomy_2026="{category: volume, source: guess}"))
    [problem] = problems_in(catalog_dir, "gamma.yaml")
    assert problem.field == "taxonomy_2026.source"


def test_an_unknown_task_is_an_error(catalog_dir):
    path = write(
        catalog_dir,
        "datasets",
        "lidc",
        (catalog_dir / "datasets" / "lidc.yaml").read_text() + "tasks: [task-i, task-3]\n",
    )
    [problem] = problems_in(catalog_dir, "lidc.yaml")
    assert (problem.rule, problem.field) == ("known-task", "tasks.1")
    assert problem.location.line == line_of(path, "tasks:")
    assert problem.hint.startswith("did you mean 'task-i")


def test_a_paper_naming_a_missing_dataset_is_an_error(catalog_dir):
    write(catalog_dir, "papers", "gamma", paper_yaml("gamma", datasets="[lidc, aapm]", arxiv="'2401.00001'"))
    [problem] = problems_in(catalog_dir, "gamma.yaml")
    assert (problem.rule, problem.severity, problem.field) == ("known-dataset", Severity.ERROR, "datasets.1")


def test_without_the_vocabulary_files_their_rules_are_skipped(catalog_dir):
    for name in ("venues", "tasks", "taxonomy-2026"):
        (catalog_dir / f"{name}.yaml").unlink()
    write(catalog_dir, "papers", "gamma", paper_yaml("gamma", venue="Nowhere", arxiv="'2401.00001'"))
    assert problems_in(catalog_dir, "gamma.yaml") == []
    result = load_catalog(catalog_dir)
    assert (result.catalog.venues, result.catalog.tasks, result.catalog.taxonomy_2026) == (None, None, None)
