"""The catalog holds the whole 2026-06-20 edition of the review, with that edition's mistakes corrected.

The 2026 markdown is parsed here on its own (methods tables, dataset table, metrics table); every row is
mapped to a record by its link, DOI or arXiv id, by name and year, or, for the rows whose link points at
another paper, by the errata below (each one is listed in scripts/corrections.md). Skipped when the
source, kept outside the repository in ../shared/sources/, is absent.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.models import Dataset, Paper, doi_url
from ai4radiology.catalog.recordchecks import arxiv_in_url

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "sources" / "ai4radiology-review-2026-06-20.md"
CORRECTIONS = REPO / "scripts" / "corrections.md"
ADDED = dt.date(2026, 11, 29)

# The 2026 representation labels and the category ids of catalog/taxonomy-2026.yaml.
LABELS = {
    "Slice-wise": "slice-wise",
    "Multi-plane": "multi-plane",
    "Volume": "volume",
    "Local basis": "local-basis",
    "Kernel coeff.": "kernel-coefficients",
    "Gaussian": "gaussian",
    "Simplex mesh": "simplex-mesh",
    "Coord. field": "coordinate-field",
    "Radiance field": "radiance-field",
}
# Rows whose link belongs to another paper (the edition's errata): (name, year) -> record id.
ERRATA = {
    ("Li et al.", 2022): "li-2022",
    ("Deidda et al.", 2022): "deidda-2022",
    ("Gong et al.", 2021): "gong-2022",
    ("M-Gaussian", 2026): "m-gaussian",
    ("GR-Diffusion", 2026): "gr-diffusion",
    ("UltraGauss", 2025): "ultragauss",
    ("UltraGS", 2025): "ultrags",
    ("UltraG-Ray", 2026): "ultrag-ray",
    ("Spatiotemporal INR for dynamic MRI", 2025): "feng-2025",
    ("IMJENSE", 2023): "imjense",
}
# Rows that name a paper differently from its record (the record keeps the community's or the 2025 name).
NAMES = {
    "C2RV": "C²RV",
    "R2-Gaussian": "R²-Gaussian",
    "ACNeRF": "ACnerf",
    "VarNet": "E2E-VarNet",
    "Geometry-aware attenuation learning": "Liu et al.",
    "Brain MRI NeRF reconstruction": "extended-MedNeRF",
}
# Dataset rows whose link the catalog replaced (see corrections.md), and rows named otherwise in the catalog.
DATASET_NAMES = {"LDCT-and-Projection-Data": "LDCT", "Wysocki et al. / Ultra-NeRF": "Wysocki et al."}

needs_source = pytest.mark.skipif(not SOURCE.is_file(), reason=f"2026 review source not found at {SOURCE}")


def link(cell: str) -> tuple[str, str]:
    match = re.fullmatch(r"\[(.+?)\]\((\S+?)\)", cell.strip())
    assert match, cell
    return match.group(1).strip(), match.group(2)


def table_rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith(
            ("| ---", "| Representation |", "| Modality |", "| Category |")
        ):
            rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def source_sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## \*\*\*(.+?)\*\*\*\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.fixture(scope="module")
def sections() -> dict[str, str]:
    if not SOURCE.is_file():
        pytest.skip(f"2026 review source not found at {SOURCE}")
    return source_sections(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def method_rows(sections) -> list[dict]:
    rows = []
    for cells in table_rows(sections["Methods"]):
        name, url = link(cells[2])
        rows.append({"label": cells[0], "name": name, "url": url, "year": int(cells[3])})
    return rows


@pytest.fixture(scope="module")
def catalog():
    result = load_catalog(REPO / "catalog")
    assert not result.errors, "\n".join(str(p) for p in result.errors)
    return result.catalog


def record_of(row: dict, papers: list[Paper]) -> Paper:
    key = (row["name"], row["year"])
    if key in ERRATA:
        return next(p for p in papers if p.id == ERRATA[key])
    url = re.sub(r"\?casa_token=.*$", "", row["url"])
    arxiv = arxiv_in_url(url)
    by_link = [
        p
        for p in papers
        if p.paper == url or (p.doi and doi_url(p.doi).casefold() == url.casefold()) or (arxiv and p.arxiv == arxiv)
    ]
    if len(by_link) == 1:
        return by_link[0]
    name = NAMES.get(row["name"], row["name"])
    named = [p for p in papers if p.name == name]
    by_name = [p for p in named if p.year == row["year"]] or [p for p in named if abs(p.year - row["year"]) <= 1]
    assert len(by_name) == 1, f"row {key} matches {[p.id for p in by_link or by_name]}"
    return by_name[0]


@needs_source
def test_every_2026_paper_row_maps_to_its_own_record(method_rows, catalog):
    assert len(method_rows) == 69
    records = [record_of(row, catalog.papers) for row in method_rows]
    assert len({r.id for r in records}) == len(records), "two rows map to one record"
    for row, record in zip(method_rows, records, strict=True):
        assert record.taxonomy_2026 is not None, record.id
        assert (record.taxonomy_2026.category, record.taxonomy_2026.source) == (LABELS[row["label"]], "2026-edition")
    new = {r.id for r in records if r.added == ADDED}
    assert len(new) == 26
    assert new == {p.id for p in catalog.papers if p.added == ADDED}, "a 2026 record without a 2026 row"


@needs_source
def test_the_editions_wrong_links_are_not_in_the_records(method_rows, catalog):
    papers = catalog.paper_ids
    for row in method_rows:
        if (row["name"], row["year"]) not in ERRATA:
            continue
        record = papers[ERRATA[(row["name"], row["year"])]]
        wrong_arxiv = arxiv_in_url(row["url"])
        assert record.paper != row["url"] or record.id == "feng-2025", record.id
        assert not wrong_arxiv or record.arxiv != wrong_arxiv, record.id
    assert papers["li-2022"].doi == "10.1109/TMI.2022.3176002"
    assert papers["deidda-2022"].doi == "10.1186/s40658-022-00452-4"
    assert papers["gong-2022"].doi == "10.1109/TMI.2021.3120913"
    assert papers["feng-2025"].doi == "10.1109/TMI.2025.3526452"
    assert papers["x-gaussian"].year == 2024


def test_every_paper_is_classified_under_both_schemes_with_a_source(catalog):
    categories_2025, categories_2026 = set(catalog.categories), set(catalog.categories_2026)
    for paper in catalog.papers:
        assert set(paper.representation) <= categories_2025, paper.id
        assert paper.taxonomy_2026 is not None and paper.taxonomy_2026.category in categories_2026, paper.id
        from_2025 = paper.added < dt.date(2026, 6, 20)
        assert paper.representation_source == ("2025-edition" if from_2025 else "catalog"), paper.id
        if paper.taxonomy_2026.source == "catalog":
            assert from_2025 and paper.taxonomy_2026.note, paper.id


def test_every_venue_is_in_the_vocabulary_with_a_kind(catalog):
    venues = catalog.venue_ids
    assert {p.venue for p in catalog.papers} <= set(venues)
    assert venues["MIA"].kind == "journal" and venues["MICCAI"].kind == "conference"
    assert venues["MLMIR"].kind == "workshop" and venues["arXiv"].kind == "preprint"


@needs_source
def test_every_2026_dataset_row_maps_to_a_record_with_its_tasks(sections, catalog):
    rows = table_rows(sections["Datasets"])
    assert len(rows) == 21
    moved = {
        m.group(2): m.group(3)
        for m in re.finditer(r"^- datasets/([\w.-]+)\.yaml: url '(.*)' → '(.*)' \(", CORRECTIONS.read_text(), re.M)
    }
    labels = {t.label: t.id for t in catalog.tasks.tasks}
    edition: set[str] = set()
    for cells in rows:
        name, url = link(cells[2])
        record = match_dataset(name, moved.get(url, url), catalog.datasets)
        assert record.tasks == [labels[t.strip()] for t in cells[1].split("/")], record.id
        assert record.tasks_source == "2026-edition", record.id
        assert record.size and record.access, record.id
        edition.add(record.id)
    added_since = {d.id for d in catalog.datasets if d.added == ADDED} - edition
    assert len(edition) == 21
    # datasets the catalog added for papers that name them
    assert added_since == {"brainweb", "luna16", "feta", "x3d", "naf-ct", "ppmi", "spare"}
    for dataset in catalog.datasets:
        if dataset.id not in edition:
            assert dataset.tasks_source == "catalog" and dataset.tasks_note, dataset.id


def match_dataset(name: str, url: str, datasets: list[Dataset]) -> Dataset:
    by_url = [d for d in datasets if d.url.rstrip("/").casefold() == url.rstrip("/").casefold()]
    if len(by_url) == 1:
        return by_url[0]
    wanted = DATASET_NAMES.get(name, name).casefold()
    by_name = [d for d in datasets if d.name.casefold() == wanted or d.name.casefold().startswith(wanted + " (")]
    assert len(by_name) == 1, f"dataset row '{name}' matches {[d.id for d in by_url or by_name]}"
    return by_name[0]


@needs_source
def test_the_metrics_table_is_the_metrics_vocabulary(sections, catalog):
    rows = table_rows(sections["Evaluation Metrics"])
    expected = {row[0].replace(" / ", " and ").casefold(): [m.strip() for m in row[1].split(",")] for row in rows}
    held = {g.label.casefold(): [m.name for m in g.metrics] for g in catalog.metrics.groups}
    assert {k: [m.casefold() for m in v] for k, v in held.items()} == {
        k: [m.casefold() for m in v] for k, v in expected.items()
    }


def test_papers_and_datasets_link_both_ways(catalog):
    """Every dataset a paper names exists, and a dataset that papers name lists them on its page."""
    for paper in catalog.papers:
        for dataset in paper.datasets:
            assert dataset in catalog.dataset_ids, paper.id
            assert paper in catalog.papers_using(dataset)
    assert {p.id for p in catalog.papers_using("brainweb")} == {"singh-2024", "imrepet"}
    assert {p.id for p in catalog.papers_using("luna16")} == {"c2rv", "dif-gaussian"}
    assert {p.id for p in catalog.papers_using("aapm-ldct-grand-challenge")} >= {"corediff", "dudotrans", "freeseed"}


def test_every_dataset_has_tasks_a_link_and_says_who_assigned_them(catalog):
    """Task provenance: tasks the catalog assigned itself are marked and explained, never silent."""
    task_ids = set(catalog.task_ids)
    for dataset in catalog.datasets:
        assert dataset.tasks and set(dataset.tasks) <= task_ids, dataset.id
        assert "paperswithcode.com" not in dataset.url, dataset.id
        assert (dataset.tasks_note is not None) == (dataset.tasks_source == "catalog"), dataset.id


# A dataset name that turns up in a paper's own text although the paper does not use that dataset.
NAME_NOT_THE_DATASET = {("ldct", "singh-2020"): "LDCT abbreviates low-dose CT there"}


def test_a_paper_that_names_a_catalog_dataset_lists_it(catalog):
    """No dataset page says 'no papers yet' while a paper's own abstract, title or summary names the dataset."""
    for dataset in catalog.datasets:
        name = re.compile(rf"(?<![\w-]){re.escape(dataset.name)}(?![\w-])", re.IGNORECASE)
        for paper in catalog.papers:
            text = " ".join(filter(None, [paper.title, paper.abstract, paper.contribution]))
            if name.search(text) and (dataset.id, paper.id) not in NAME_NOT_THE_DATASET:
                assert dataset.id in paper.datasets, (paper.id, dataset.id)
