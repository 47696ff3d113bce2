"""README sections of the 2026 edition: the 2026 scheme per family, tasks, metrics, catalog-filed marks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from minicatalog import paper_yaml
from readme_kit import mini_repo, tables

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.cli.render import render


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(mini_repo(tmp_path))
    return tmp_path


def rendered(repo: Path) -> str:
    result = CliRunner().invoke(render, [], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return (repo / "README.md").read_text(encoding="utf-8")


def section(document: str, heading: str) -> str:
    start = document.index(f"\n## {heading}\n")
    end = document.find("\n## ", start + 1)
    return document[start : end if end != -1 else len(document)]


def test_the_2026_scheme_lists_each_paper_under_its_category_and_marks_the_catalogs_choices(repo):
    paper = paper_yaml(
        "gamma-net",
        name="GammaNet",
        arxiv="'2401.00001'",
        taxonomy_2026="{category: coordinate-field, source: 2026-edition}",
    )
    (repo / "catalog" / "papers" / "gamma-net.yaml").write_text(paper, encoding="utf-8")
    document = rendered(repo)
    scheme = section(document, "The 2026 taxonomy")
    assert "### Discrete grid" in scheme and "### Implicit neural" in scheme
    rows = {row[0]: row[2] for table in tables(scheme) for row in table[1:]}
    # alpha-net and beta-net were filed by the catalog (the mini papers' default), gamma-net by the review
    assert rows["Slice-wise"] == "AlphaNet 2023 ‡, BetaNet 2023 ‡"
    assert rows["Coordinate field"] == "GammaNet 2023"
    assert "[GammaNet 2023](https://papers.example.org/gamma-net)" in scheme
    assert rows["Volume"] == "–"
    assert "- [The 2026 taxonomy](#the-2026-taxonomy)" in document


def test_a_paper_the_catalog_filed_in_the_2025_scheme_is_marked_in_its_table(repo):
    paper = paper_yaml("gamma-net", name="GammaNet", arxiv="'2401.00001'", representation_source="catalog")
    (repo / "catalog" / "papers" / "gamma-net.yaml").write_text(paper, encoding="utf-8")
    document = rendered(repo)
    names = [row[0] for table in tables(section(document, "Explicit")) for row in table[1:]]
    assert "GammaNet ‡" in names and "AlphaNet" in names
    assert "A paper marked ‡ is filed by this catalog" in section(document, "Taxonomy")


def test_dataset_tasks_and_metrics_are_shown_by_name(repo):
    dataset = repo / "catalog" / "datasets" / "lidc.yaml"
    dataset.write_text(dataset.read_text() + "tasks: [task-i, task-iii]\n", encoding="utf-8")
    document = rendered(repo)
    datasets = section(document, "Datasets")
    assert "- **Task I, Reconstruction from raw measurements**: From raw data." in datasets
    [table] = tables(datasets)
    assert table[1][4] == "Task I (Reconstruction from raw measurements); Task III (Recovery from incomplete signals)"
    [metrics] = tables(section(document, "Evaluation metrics"))
    assert metrics[1][:2] == ["Signal and noise", "PSNR"]


def test_tasks_the_catalog_assigned_are_marked(repo):
    dataset = repo / "catalog" / "datasets" / "lidc.yaml"
    dataset.write_text(dataset.read_text() + "tasks: [task-iii]\ntasks_source: catalog\n", encoding="utf-8")
    datasets = section(rendered(repo), "Datasets")
    assert "Tasks marked ‡ are assigned by this catalog from the task definitions, not by the review" in datasets
    [table] = tables(datasets)
    assert table[1][4] == "Task III (Recovery from incomplete signals) ‡"


def test_without_the_2026_vocabularies_the_readme_has_no_empty_sections(repo):
    for name in ("taxonomy-2026", "metrics", "tasks"):
        (repo / "catalog" / f"{name}.yaml").unlink()
    document = rendered(repo)
    assert "The 2026 taxonomy" not in document.split("## Taxonomy", 1)[1].split("\n## ", 1)[1]
    assert "## Evaluation metrics" not in document and "Tasks, as the review defines them" not in document


def test_the_real_readme_has_a_section_per_2026_family_with_every_paper():
    repo = Path(__file__).resolve().parents[2]
    catalog = load_catalog(repo / "catalog").require_valid()
    document = (repo / "README.md").read_text(encoding="utf-8")
    scheme = section(document, "The 2026 taxonomy")
    for family in catalog.taxonomy_2026.families:
        assert f"\n### {family.label}\n" in scheme
    for paper in catalog.papers:
        assert f"[{paper.name} {paper.year}]({paper.paper})" in scheme.replace("\\", ""), paper.id
