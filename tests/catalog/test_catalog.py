"""The Catalog is built once by the loader and then read by every feature: it cannot change under them."""

from __future__ import annotations

import dataclasses

import pytest
from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.loader import load_catalog


@pytest.fixture
def catalog(tmp_path) -> Catalog:
    root = write_mini_catalog(tmp_path / "catalog")
    (root / "papers" / "gamma.yaml").write_text(paper_yaml("gamma", datasets="[lidc, lidc]"), encoding="utf-8")
    return load_catalog(root).catalog


def test_records_cannot_be_replaced_or_added(catalog):
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalog.papers = ()
    with pytest.raises(AttributeError):
        catalog.papers.append(catalog.papers[0])


def test_indexes_are_built_once_and_read_only(catalog):
    assert catalog.paper_ids is catalog.paper_ids
    assert catalog.categories is catalog.categories
    with pytest.raises(TypeError):
        catalog.paper_ids["x"] = catalog.papers[0]


def test_lookups_agree_with_the_records(catalog):
    assert list(catalog.paper_ids) == [p.id for p in catalog.papers] == ["alpha-net", "beta-net", "gamma"]
    assert list(catalog.dataset_ids) == ["lidc"]
    assert list(catalog.modality_ids) == ["CT", "MRI", "US"]
    assert catalog.family_of("nrf").id == "implicit"
    assert [p.id for p in catalog.papers_using("lidc")] == [p.id for p in catalog.papers if "lidc" in p.datasets]
    assert [p.id for p in catalog.papers_using("lidc")].count("gamma") == 1
    assert catalog.papers_using("nothing") == []
