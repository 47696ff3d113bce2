"""Site pages of the 2026 edition: a taxonomy page per scheme, the metrics page, classification sources on
paper pages, task names on dataset pages, and the explorer's data for a per-scheme filter."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from minicatalog import paper_yaml
from sitecatalog import build, explorer_papers, write_site_catalog

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.loader import load_catalog


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> tuple[Catalog, Path]:
    work = tmp_path_factory.mktemp("taxonomy-site")
    catalog_dir = write_site_catalog(work / "catalog")
    paper = catalog_dir / "papers" / "beta-net.yaml"
    text = paper.read_text(encoding="utf-8").replace(
        "taxonomy_2026: {category: slice-wise, source: catalog}",
        "taxonomy_2026: {category: coordinate-field, source: 2026-edition}",
    )
    text = text.replace("representation_source: 2025-edition\n", "representation_source: catalog\n")
    paper.write_text(text + "representation_note: A reason of our own.\n")
    (catalog_dir / "papers" / "delta-net.yaml").write_text(
        paper_yaml("delta-net", name="DeltaNet", title=None, abstract=None, doi="10.1000/delta.1", added="2026-11-29"),
        encoding="utf-8",
    )
    dataset = catalog_dir / "datasets" / "lidc.yaml"
    dataset.write_text(dataset.read_text(encoding="utf-8") + "tasks: [task-iii]\n", encoding="utf-8")
    unused = catalog_dir / "datasets" / "unused.yaml"
    unused.write_text(
        unused.read_text(encoding="utf-8")
        + "tasks: [task-i]\ntasks_source: catalog\ntasks_note: Raw channel data are included.\n",
        encoding="utf-8",
    )
    return load_catalog(catalog_dir).require_valid(), build(catalog_dir, work)


def text_of(page: Path) -> str:
    body = page.read_text(encoding="utf-8")
    body = body[body.index("<article") : body.index("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_2026_taxonomy_page_lists_papers_per_category_with_who_filed_them(mini):
    _catalog, site = mini
    text = text_of(site / "taxonomy-2026.html")
    assert "Discrete grid" in text and "Implicit neural" in text
    assert "AlphaNet 2023 CT catalog" in text
    assert "BetaNet 2023 CT 2026 edition" in text
    assert 'href="papers/beta-net.html"' in (site / "taxonomy-2026.html").read_text(encoding="utf-8")


def test_the_2025_taxonomy_page_lists_the_papers_the_catalog_filed(mini):
    _catalog, site = mini
    text = text_of(site / "taxonomy" / "index.html")
    assert "Filed by the catalog" in text
    assert "BetaNet Implicit Prior Embedding, Neural Radiance Fields A reason of our own." in text
    assert "AlphaNet Slice" not in text


def test_a_paper_page_says_where_each_scheme_files_it_and_who_did(mini):
    _catalog, site = mini
    beta = text_of(site / "papers" / "beta-net.html")
    assert "2025 scheme: Implicit Prior Embedding, Neural Radiance Fields – filed by this catalog" in beta
    assert "(A reason of our own.)" in beta
    assert "2026 scheme: Coordinate field (Implicit neural) – filed as in the review's 2026-06-20 edition" in beta
    alpha = text_of(site / "papers" / "alpha-net.html")
    assert "2025 scheme: Slice – filed as in the review's 2025-06-17 edition" in alpha


def test_metrics_page_and_task_names(mini):
    _catalog, site = mini
    assert "PSNR Peak signal-to-noise ratio." in text_of(site / "metrics.html")
    assert "Tasks: Task III (Recovery from incomplete signals)" in text_of(site / "datasets" / "lidc.html")


def test_dataset_pages_and_table_say_who_assigned_the_tasks(mini):
    catalog, site = mini
    lidc = text_of(site / "datasets" / "lidc.html")
    assert "Task III (Recovery from incomplete signals); as the review's 2026-06-20 edition lists them" in lidc
    unused = text_of(site / "datasets" / "unused.html")
    assert (
        "Tasks: Task I (Reconstruction from raw measurements); assigned by this catalog from the task"
        " definitions, not by the review: Raw channel data are included." in unused
    )
    table = text_of(site / "datasets" / "index.html")
    assert "Tasks marked ‡ are assigned by this catalog" in table
    assert "Unused set US – – Task I ‡ 0" in table
    assert f"LIDC CT – – Task III {len(catalog.papers_using('lidc'))} " in table + " "


def test_explorer_data_carries_both_schemes(mini):
    catalog, site = mini
    data = json.loads((site / "explorer.json").read_text(encoding="utf-8"))
    schemes = {scheme["key"]: scheme for scheme in data["schemes"]}
    values_2026 = {value["id"]: value["short"] for value in schemes["categories_2026"]["values"]}
    assert values_2026["coordinate-field"] == "Coord. field"
    beta = next(p for p in explorer_papers(site) if p["id"] == "beta-net")
    assert beta["categories_2026"] == ["coordinate-field"]
    assert beta["categories"] == ["ipe", "nrf"]
    catalog_json = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert [v["id"] for v in catalog_json["venues"]["venues"]] == [v.id for v in catalog.venues.venues]
    assert catalog_json["tasks"]["tasks"][0]["name"] == "Reconstruction from raw measurements"


def test_a_paper_known_only_by_its_doi_shows_no_placeholder_text(mini):
    _catalog, site = mini
    page = text_of(site / "papers" / "delta-net.html")
    assert "Title not yet known to the catalog" in page and "Abstract" not in page
    for other in ("index.html", "taxonomy/explicit/slice.html", "modalities/ct.html"):
        assert "None" not in text_of(site / other), other
    assert "DeltaNet" in text_of(site / "index.html")
