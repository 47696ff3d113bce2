"""Sorting, grouping and counting of a validated catalog, shared by the README and the site.

Templates receive these structures and only lay them out.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import Category, Dataset, Family, Modality, Paper, Topic


@dataclass(frozen=True)
class CategoryView:
    family: Family
    category: Category
    papers: list[Paper]


@dataclass(frozen=True)
class FamilyView:
    family: Family
    categories: list[CategoryView]

    @property
    def paper_count(self) -> int:
        return len({p.id for c in self.categories for p in c.papers})


@dataclass(frozen=True)
class ModalityView:
    modality: Modality
    papers: list[Paper]
    datasets: list[Dataset]


@dataclass(frozen=True)
class Counts:
    papers: int
    datasets: int
    with_code: int
    topics: int
    references: int
    families: int
    categories: int


def paper_order(paper: Paper) -> tuple[int, str, str]:
    """Rows sort by year then name, so adding one paper adds one row and moves nothing else."""
    return (paper.year, paper.name.casefold(), paper.id)


def display_title(paper: Paper) -> str:
    """The one-line title of a paper wherever it is shown alone (page titles, the feed): "Name: Title",
    or just the title when it already starts with the name ("3DGR-CT: Sparse-View …", not "3DGR-CT: 3DGR-CT: …").

    Name and title are compared as a reader sees them, case and compatibility forms aside (R²-Gaussian, R2-Gaussian).
    A paper whose title is not known yet shows its name alone.
    """
    if not paper.title:
        return paper.name
    name, title = (unicodedata.normalize("NFKC", text).casefold() for text in (paper.name, paper.title))
    if title.startswith(name) and not title[len(name) : len(name) + 1].isalnum():
        return paper.title
    return f"{paper.name}: {paper.title}"


def family_views(catalog: Catalog) -> list[FamilyView]:
    views = []
    for family in catalog.taxonomy.families:
        categories = [
            CategoryView(
                family,
                category,
                sorted((p for p in catalog.papers if category.id in p.representation), key=paper_order),
            )
            for category in family.categories
        ]
        views.append(FamilyView(family, categories))
    return views


def family_views_2026(catalog: Catalog) -> list[FamilyView]:
    """The 2026 scheme's families, each category with the papers filed under it (by the review or the catalog)."""
    if catalog.taxonomy_2026 is None:
        return []
    views = []
    for family in catalog.taxonomy_2026.families:
        categories = [
            CategoryView(
                family,
                category,
                sorted(
                    (p for p in catalog.papers if p.taxonomy_2026 and p.taxonomy_2026.category == category.id),
                    key=paper_order,
                ),
            )
            for category in family.categories
        ]
        views.append(FamilyView(family, categories))
    return views


def category_views(catalog: Catalog) -> list[CategoryView]:
    return [c for f in family_views(catalog) for c in f.categories]


def modality_order(catalog: Catalog) -> dict[str, int]:
    return {m.id: i for i, m in enumerate(catalog.modalities.modalities)}


def sorted_datasets(catalog: Catalog) -> list[Dataset]:
    """By first modality in vocabulary order, then name."""
    order = modality_order(catalog)
    return sorted(
        catalog.datasets, key=lambda d: (min(order.get(m, len(order)) for m in d.modalities), d.name.casefold(), d.id)
    )


def sorted_topics(catalog: Catalog) -> list[Topic]:
    return sorted(catalog.topics, key=lambda t: (t.order, t.id))


def modality_views(catalog: Catalog) -> list[ModalityView]:
    return [
        ModalityView(
            m,
            sorted((p for p in catalog.papers if m.id in p.modalities), key=paper_order),
            [d for d in sorted_datasets(catalog) if m.id in d.modalities],
        )
        for m in catalog.modalities.modalities
    ]


def counts(catalog: Catalog) -> Counts:
    return Counts(
        papers=len(catalog.papers),
        datasets=len(catalog.datasets),
        with_code=sum(p.code is not None for p in catalog.papers),
        topics=len(catalog.topics),
        references=sum(len(t.references) for t in catalog.topics),
        families=len(catalog.taxonomy.families),
        categories=len(catalog.categories),
    )


def papers_per_year(catalog: Catalog) -> dict[int, Counter[str]]:
    """Year -> Counter of category ids (a paper in two categories counts in both)."""
    years: dict[int, Counter[str]] = {}
    for paper in catalog.papers:
        years.setdefault(paper.year, Counter()).update(paper.representation)
    return dict(sorted(years.items()))


def papers_per_modality(catalog: Catalog) -> Counter[str]:
    return Counter(m for p in catalog.papers for m in p.modalities)
