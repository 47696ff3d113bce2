"""The explorer index's folding and the paper page's helpers: related papers and citation tags."""

from __future__ import annotations

import pytest
from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.website.explorer import fold, newest_first, schemes
from ai4radiology.website.paperpage import RelatedPapers, citation_meta


@pytest.fixture
def catalog(tmp_path):
    root = write_mini_catalog(tmp_path)
    extra = {
        "old-ct-nrf": dict(name="OldNet", year="2019", representation="[nrf]"),
        "new-ct-nrf": dict(name="NewNet", year="2025", representation="[nrf]", venue="arXiv", authors=None),
        "mri-nrf": dict(name="MriNet", modalities="[MRI]", representation="[nrf]"),
        "ct-ipe": dict(name="IpeNet", year="2024", representation="[ipe]", authors="['Doe, Jane', Plato]"),
    }
    for paper_id, fields in extra.items():
        (root / "papers" / f"{paper_id}.yaml").write_text(paper_yaml(paper_id, **fields), encoding="utf-8")
    return load_catalog(root).require_valid()


@pytest.mark.parametrize(("text", "folded"), [("R²-Gaussian", "r2-gaussian"), ("Łódź Zoë", "łodz zoe"), ("CT", "ct")])
def test_fold_matches_what_the_explorer_does_to_a_query(text, folded):
    assert fold(text) == folded


def test_related_papers_share_a_category_and_a_modality_newest_first(catalog):
    beta = catalog.paper_ids["beta-net"]  # CT; ipe and nrf
    related = [p.id for p in RelatedPapers(catalog).of(beta)]
    assert related == ["new-ct-nrf", "ct-ipe", "old-ct-nrf"]  # not mri-nrf (other modality), not itself
    assert [p.id for p in RelatedPapers(catalog, shown=1).of(beta)] == ["new-ct-nrf"]


def test_newest_first_keeps_reading_order_within_a_year(catalog):
    years = [p.year for p in newest_first(catalog.papers)]
    assert years == sorted(years, reverse=True)


def test_citation_tags_name_the_venue_kind_and_each_author(catalog):
    ipe = citation_meta(catalog.paper_ids["ct-ipe"], catalog.venue_ids["IEEE TMI"])
    assert ipe["citation_author"] == ["Doe, Jane", "Plato"]
    assert ipe["citation_journal_title"] == [catalog.venue_ids["IEEE TMI"].name]  # the full name
    assert "citation_conference_title" not in ipe
    preprint = citation_meta(catalog.paper_ids["new-ct-nrf"], catalog.venue_ids["arXiv"])
    assert "citation_author" not in preprint and "citation_journal_title" not in preprint
    assert preprint["citation_publication_date"] == ["2025"]


def test_the_representation_scheme_lists_every_category(catalog):
    scheme, scheme_2026 = schemes(catalog)
    assert [v["id"] for v in scheme.values] == list(catalog.categories)
    assert scheme.of(catalog.paper_ids["beta-net"]) == ["ipe", "nrf"]
    assert [v["id"] for v in scheme_2026.values] == list(catalog.categories_2026)
    beta_2026 = catalog.paper_ids["beta-net"].taxonomy_2026
    assert beta_2026 is not None and scheme_2026.of(catalog.paper_ids["beta-net"]) == [beta_2026.category]
