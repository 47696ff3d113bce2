"""CSL-JSON and RIS of the whole catalog, checked by reading them back with citeproc-py and rispy."""

from __future__ import annotations

import json

import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from readme_kit import REPO

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.models import Paper
from ai4radiology.formats.csl import catalog_csl, csl_name, paper_item
from ai4radiology.formats.ris import catalog_ris

HOSTILE = Paper(
    id="hostile-net",
    name="Hostile",
    title='Two lines "quoted" <b>and</b> ER  - end',  # 'ER  - ' would end a RIS record at a line start
    authors=["Doe, Jane", "Plato", "Łukasiewicz, Zoë"],
    venue="MICCAI",
    year=2024,
    modalities=["CT"],
    representation=["nrf"],
    contribution="New.",
    abstract="First line.\n\nTY  - JOUR\nA second paragraph.",
    paper="https://papers.example.org/h.pdf",
    code=None,
    doi="10.1000/h.1",
    arxiv="2401.00001",
    tags=["sparse-view"],
    added="2025-01-01",
)


def real_catalog():
    return load_catalog(REPO / "catalog").require_valid()


def test_csl_json_of_the_catalog_renders_with_citeproc():
    catalog = real_catalog()
    items = json.loads(catalog_csl(catalog))
    assert [item["id"] for item in items] == sorted(p.id for p in catalog.papers)
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(catalog.papers)
    r2 = catalog.paper_ids["r2-gaussian"]
    assert any(r2.title.split(":")[0] in entry and str(r2.year) in entry for entry in rendered)


def test_csl_item_fields_and_names():
    item = paper_item(HOSTILE)
    assert item["type"] == "paper-conference"
    assert item["author"] == [
        {"family": "Doe", "given": "Jane"},
        {"literal": "Plato"},
        {"family": "Łukasiewicz", "given": "Zoë"},
    ]
    assert item["issued"] == {"date-parts": [[2024]]}
    assert item["DOI"] == HOSTILE.doi and item["title"] == HOSTILE.title
    assert csl_name("Family, ") == {"literal": "Family, "}


def test_ris_of_the_catalog_reads_back_with_every_paper():
    catalog = real_catalog()
    entries = rispy.loads(catalog_ris(catalog))
    assert [e["id"] for e in entries] == sorted(p.id for p in catalog.papers)
    by_id = {e["id"]: e for e in entries}
    for paper in catalog.papers:
        entry = by_id[paper.id]
        assert entry.get("title") == (" ".join(paper.title.split()) if paper.title else None)
        assert entry["secondary_title"] == catalog.venue_ids[paper.venue].name  # the full name, not the id
        assert entry["year"] == str(paper.year)
        assert entry["urls"] == [paper.paper]


def test_ris_keeps_each_value_on_its_line(tmp_path):
    from ai4radiology.formats.ris import paper_entry

    text = rispy.dumps([paper_entry(HOSTILE)])
    entries = rispy.loads(text)
    assert len(entries) == 1, "a line break in the abstract must not start a new record"
    entry = entries[0]
    assert entry["type_of_reference"] == "CPAPER"
    assert entry["authors"] == HOSTILE.authors
    assert entry["title"] == 'Two lines "quoted" <b>and</b> ER - end'
    assert entry["doi"] == HOSTILE.doi and entry["keywords"] == ["sparse-view"]
