"""Synthetic catalogs of any size, for benchmarks (validator, site build).

Records are realistic in shape (a few KB, abstracts of ~150 words, titles drawn
from a large vocabulary) and valid, so the benchmark measures the happy path.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from ai4radiology.catalog.models import (
    Author,
    Category,
    Classification,
    Dataset,
    Family,
    Metric,
    MetricGroup,
    Metrics,
    Modalities,
    Modality,
    Paper,
    Reference,
    Review,
    Scheme,
    Taxonomy,
    Topic,
)
from ai4radiology.catalog.writer import record_to_yaml, write_atomic

CATEGORIES = {"explicit": ["slice", "volume", "gaussian"], "implicit": ["ipe", "nrf"]}
CATEGORIES_2026 = {"discrete-grid": ["slice-wise", "volume-grid"], "implicit-neural": ["coordinate-field"]}
MODALITIES = ["CT", "MRI", "PET", "SPECT", "US", "X-ray"]
SYLLABLES = [
    "ra",
    "di",
    "o",
    "lo",
    "gy",
    "re",
    "con",
    "struc",
    "tion",
    "neu",
    "ral",
    "field",
    "vox",
    "el",
    "gau",
    "ssi",
    "an",
    "spar",
    "se",
    "view",
    "dif",
    "fu",
    "sion",
    "trans",
    "form",
    "er",
    "ka",
    "mi",
]


def _vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _families(scheme: dict[str, list[str]]) -> list[Family]:
    return [
        Family(
            id=family,
            label=family.title(),
            description=f"{family.title()} representations.",
            categories=[
                Category(id=c, label=c.upper(), short=c.upper(), description=f"The {c} category.") for c in categories
            ],
        )
        for family, categories in scheme.items()
    ]


def _vocabularies() -> tuple[Taxonomy, Taxonomy, Modalities, Metrics]:
    """Both classification schemes, the modalities and the metrics: every page the site's nav names."""
    scheme_2026 = Scheme(id="2026", label="2026 scheme", edition=dt.date(2026, 6, 20))
    modalities = [Modality(id=m, label=m, description=f"{m} imaging.") for m in MODALITIES]
    psnr = Metric(id="psnr", name="PSNR", description="Peak signal-to-noise ratio.")
    metrics = Metrics(groups=[MetricGroup(id="signal", label="Signal", description="Signal.", metrics=[psnr])])
    return (
        Taxonomy(families=_families(CATEGORIES)),
        Taxonomy(scheme=scheme_2026, families=_families(CATEGORIES_2026)),
        Modalities(modalities=modalities),
        metrics,
    )


def similar_title(rng: random.Random, words: list[str]) -> str:
    """A title that shares eight of its ten words with every other such title: the worst case for
    near-duplicate checks that compare titles sharing words."""
    return " ".join([*SHARED_TITLE, *rng.choices(words, k=2)]).capitalize()


SHARED_TITLE = ["deep", "sparse", "view", "neural", "field", "reconstruction", "for", "radiology"]


def write_synthetic_catalog(
    root: Path, papers: int, datasets: int = 50, topics: int = 5, seed: int = 7, similar_titles: bool = False
) -> Path:
    """Write a valid catalog of the given size under `root` and return it."""
    rng = random.Random(seed)
    words = _vocabulary(rng)
    taxonomy, taxonomy_2026, modalities, metrics = _vocabularies()
    write_atomic(root / "taxonomy.yaml", record_to_yaml(taxonomy))
    write_atomic(root / "taxonomy-2026.yaml", record_to_yaml(taxonomy_2026))
    write_atomic(root / "modalities.yaml", record_to_yaml(modalities))
    write_atomic(root / "metrics.yaml", record_to_yaml(metrics))
    review = Review(
        title="A synthetic review",
        authors=[Author(name="Ada Lovelace")],
        arxiv="2504.11349",
        url="https://arxiv.org/abs/2504.11349",
        repository="https://example.org/repo",
        bibtex="@article{x, title={A synthetic review}}",
        abstract="Synthetic.",
        intro={k: f"Intro of {k}." for k in ("datasets", "papers", "explicit", "implicit", "topics")},
    )
    write_atomic(root / "review.yaml", record_to_yaml(review))
    categories = [c for cs in CATEGORIES.values() for c in cs]
    categories_2026 = [c for cs in CATEGORIES_2026.values() for c in cs]
    dataset_ids = [f"dataset-{i:04d}" for i in range(datasets)]
    for i, dataset_id in enumerate(dataset_ids):
        dataset = Dataset(
            id=dataset_id,
            name=f"Dataset {i}",
            modalities=[rng.choice(MODALITIES)],
            description=" ".join(rng.choices(words, k=20)),
            url=f"https://data.example.org/{i}",
            added=dt.date(2025, 1, 1),
        )
        write_atomic(root / "datasets" / f"{dataset_id}.yaml", record_to_yaml(dataset))
    for i in range(papers):
        paper = Paper(
            id=f"paper-{i:05d}",
            name=f"Net{i}",
            title=similar_title(rng, words) if similar_titles else " ".join(rng.choices(words, k=10)).capitalize(),
            authors=[f"Author{rng.randint(1, 999)}, A." for _ in range(rng.randint(1, 6))],
            venue=rng.choice(["IEEE TMI", "MICCAI", "MedIA", "CVPR"]),
            year=rng.randint(2016, 2025),
            modalities=rng.sample(MODALITIES, k=rng.randint(1, 2)),
            representation=rng.sample(categories, k=rng.randint(1, 2)),
            taxonomy_2026=Classification(category=categories_2026[i % len(categories_2026)], source="2026-edition"),
            contribution=" ".join(rng.choices(words, k=25)) + ".",
            abstract=" ".join(rng.choices(words, k=150)) + ".",
            paper=f"https://papers.example.org/{i}",
            code=f"https://code.example.org/{i}" if rng.random() < 0.5 else None,
            arxiv=f"{rng.randint(1501, 2512)}.{i:05d}",
            datasets=rng.sample(dataset_ids, k=rng.randint(0, 2)),
            tags=["synthetic"],
            added=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
        )
        write_atomic(root / "papers" / f"{paper.id}.yaml", record_to_yaml(paper))
    for i in range(topics):
        topic = Topic(
            id=f"topic-{i}",
            title=f"Topic {i}",
            order=i + 1,
            references=[
                Reference(
                    title=" ".join(rng.choices(words, k=8)),
                    venue="Arxiv",
                    year=2020,
                    url=f"https://refs.example.org/{i}/{j}",
                    abstract=" ".join(rng.choices(words, k=60)),
                )
                for j in range(4)
            ],
        )
        write_atomic(root / "topics" / f"{topic.id}.yaml", record_to_yaml(topic))
    return root
