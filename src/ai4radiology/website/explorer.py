"""The explorer's two files: the rows (explorer.json) and their search text (explorer-search.json).

explorer.json holds one compact row per paper, the display fields the table, the filters, the
sorts and the CSV export need, as a list of values in the order of its `fields` (field names are
not repeated 10,000 times); the browser draws the first page from it. The search text, one pre-folded string
per paper in the same order (abstracts included: about three quarters of the bytes), is a second
file fetched after the first page is drawn, so the page is usable before it arrives, and typing
compares plain lowercase strings: the page never folds 10,000 abstracts itself.
Classification schemes are listed generically under `schemes`: each names the per-paper key
that holds its value ids, and the explorer shows one filter per scheme it finds.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import Paper, Taxonomy
from ai4radiology.render.views import paper_order

ROWS_WITHOUT_SCRIPT = 50  # the explorer page's built-in table: what a reader without JavaScript sees


def fold(text: str) -> str:
    """Lowercase without accents, as the explorer folds what is typed (NFKD, marks dropped): 'R²' -> 'r2'."""
    if text.isascii():  # most catalog text: nothing to decompose (and 10,000 abstracts fold in a blink)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


@dataclass(frozen=True)
class Scheme:
    """One way of classifying papers: a filter of the explorer."""

    key: str  # the per-paper key in explorer.json
    label: str  # the filter's heading
    values: list[dict[str, str]]  # {"id", "label", "short", "group"} in display order
    of: Callable[[Paper], list[str]]  # a paper's value ids


def schemes(catalog: Catalog) -> list[Scheme]:
    """The classification schemes in the catalog; a further taxonomy adds one entry here."""
    representation = Scheme(
        key="categories",
        label="Representation",
        values=_filter_values(catalog.taxonomy),
        of=lambda p: list(p.representation),
    )
    if catalog.taxonomy_2026 is None:
        return [representation]
    representation_2026 = Scheme(
        key="categories_2026",
        label="2026 scheme",
        values=_filter_values(catalog.taxonomy_2026),
        of=lambda p: [p.taxonomy_2026.category] if p.taxonomy_2026 else [],
    )
    return [representation, representation_2026]


def _filter_values(taxonomy: Taxonomy) -> list[dict[str, str]]:
    return [
        {"id": c.id, "label": c.label, "short": c.short, "group": f.label}
        for f in taxonomy.families
        for c in f.categories
    ]


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """The explorer's default order: newest year first, reading order within a year."""
    by_reading = sorted(papers, key=paper_order)
    return sorted(by_reading, key=lambda p: -p.year)


def explorer_index(catalog: Catalog, paper_url: Callable[[Paper], str]) -> str:
    """explorer.json: the schemes, modalities and dataset names, the field names, and one row (the
    values of those fields) per paper in reading order."""
    found = schemes(catalog)

    def entry(p: Paper) -> dict[str, object]:
        item: dict[str, object] = {
            "id": p.id,
            "name": p.name,
            "title": p.title or "",  # a paper known by its DOI alone shows no placeholder
            "authors": p.authors,
            "venue": p.venue,
            "year": p.year,
            "modalities": p.modalities,
            "tags": p.tags,
            "datasets": p.datasets,
            "code": p.code,
            "paper": p.paper,
            "doi": p.doi,
            "arxiv": p.arxiv,
            "url": paper_url(p),
        }
        item.update({s.key: s.of(p) for s in found})
        return item

    entries = [entry(p) for p in sorted(catalog.papers, key=paper_order)]
    fields = list(entries[0]) if entries else []
    return _json(
        {
            "schemes": [{"key": s.key, "label": s.label, "values": s.values} for s in found],
            "modalities": [m.id for m in catalog.modalities.modalities],
            "datasets": {d.id: d.name for d in catalog.datasets},
            "fields": fields,
            "papers": [[item[field] for field in fields] for item in entries],
        }
    )


def explorer_search(catalog: Catalog) -> str:
    """explorer-search.json: per paper of explorer.json (same order), the folded text a search looks in:
    name, title, authors, venue, modalities, category labels, tags, datasets (names and ids), abstract."""
    found = schemes(catalog)
    label_of = [{v["id"]: v["label"] for v in s.values} for s in found]  # per scheme: value id -> label
    datasets = {d.id: d.name for d in catalog.datasets}

    def text(p: Paper) -> str:
        labels = [names[v] for s, names in zip(found, label_of, strict=True) for v in s.of(p) if v in names]
        searched = [
            p.name,
            p.title,
            *p.authors,
            p.venue,
            *p.modalities,
            *labels,
            *p.tags,
            *(datasets.get(d, d) for d in p.datasets),
            *p.datasets,
            p.abstract,
        ]
        return " ".join(fold(part) for part in searched if part)

    return _json([text(p) for p in sorted(catalog.papers, key=paper_order)])


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
