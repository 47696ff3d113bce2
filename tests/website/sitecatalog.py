"""Site test helpers: a small catalog (the validator's mini catalog plus records that exercise the
pages) and building a site from a catalog folder into a temporary one."""

from __future__ import annotations

import json
from pathlib import Path

from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.website.build import build_site

REPO = Path(__file__).resolve().parents[2]
PUBLISHED_URL = "https://example.org/sub/"  # the site's address for published builds: a sub-path, as on GitHub Pages

# Catalog text is data: none of this may become markup, break a table or leave an attribute.
TRICKY_TITLE = 'Pipes | *stars* and <script>alert("x")</script> `ticks` & "quotes"'
TRICKY_AUTHOR = 'Evil, <img src=x onerror=alert(1)> "Q"'
TRICKY_CONTRIBUTION = 'It "quotes" and <b>tags</b> | and [brackets](https://evil.example.org).'


def write_site_catalog(root: Path) -> Path:
    """The mini catalog, plus a newer MRI paper with authors, tags, hostile text and a DOI, an older CT radiance-field
    paper (related to beta-net), and a dataset nobody uses yet."""
    write_mini_catalog(root)
    (root / "papers" / "gamma-net.yaml").write_text(
        paper_yaml(
            "gamma-net",
            name="GammaNet",
            title=f"'{TRICKY_TITLE}'",
            modalities="[MRI]",
            representation="[nrf]",
            year="2024",
            contribution=f"'{TRICKY_CONTRIBUTION}'",
            added="2025-07-01",
            datasets="[lidc]",
            authors=f"['Doe, Jane', '{TRICKY_AUTHOR}', 'Łukasiewicz, Zoë']",
        )
        + "doi: 10.1000/gamma.1\narxiv: '2401.00001'\n"
        + "tags: [sparse-view, low-dose]\n",
        encoding="utf-8",
    )
    (root / "papers" / "delta-net.yaml").write_text(
        paper_yaml("delta-net", name="DeltaNet", representation="[nrf]", year="2022", code="null", authors=None),
        encoding="utf-8",
    )
    (root / "datasets" / "unused.yaml").write_text(
        "id: unused\nname: Unused set\nmodalities: [US]\ndescription: Nobody uses it.\n"
        "url: https://data.example.org/unused\nadded: 2025-06-17\n",
        encoding="utf-8",
    )
    return root


def build(catalog_dir: Path, workdir: Path, **options) -> Path:
    """Build the site of `catalog_dir` with the repository's templates and mkdocs.yml; return the site folder."""
    catalog = load_catalog(catalog_dir).require_valid()
    build_site(
        catalog,
        templates_dir=REPO / "templates",
        config_file=REPO / "mkdocs.yml",
        site_dir=workdir / "site",
        docs_dir=workdir / "docs",
        **options,
    )
    return workdir / "site"


def explorer_papers(site: Path) -> list[dict[str, object]]:
    """The rows of the site's explorer.json, each as {field: value}."""
    data = json.loads((site / "explorer.json").read_text(encoding="utf-8"))
    return [dict(zip(data["fields"], row, strict=True)) for row in data["papers"]]
