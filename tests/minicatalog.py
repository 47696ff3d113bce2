"""A small valid catalog written as text, so tests know the line of every field."""

from __future__ import annotations

from pathlib import Path

TAXONOMY = """\
families:
- id: explicit
  label: Explicit
  description: Explicit representations.
  categories:
  - {id: slice, label: Slice, short: Slice, description: Slice by slice.}
  - {id: volume, label: Volume, short: Volume, description: Whole volumes.}
  - {id: gaussian, label: Gaussian, short: Gaussian, description: 3D Gaussians.}
- id: implicit
  label: Implicit
  description: Implicit representations.
  categories:
  - {id: ipe, label: Implicit Prior Embedding, short: IPE, description: Priors.}
  - {id: nrf, label: Neural Radiance Fields, short: NRF, description: Radiance fields.}
"""

MODALITIES = """\
modalities:
- {id: CT, label: Computed tomography, description: X-ray CT.}
- id: MRI
  label: Magnetic resonance imaging
  description: MRI.
  aliases: {MR: []}
- id: US
  label: Ultrasound
  description: Ultrasound.
  aliases: {3D US: [3d]}
"""

REVIEW = """\
title: A review
authors:
- name: Ada Lovelace
arxiv: '2504.11349'
url: https://arxiv.org/abs/2504.11349
repository: https://github.com/example/review
bibtex: '@article{a, title={A review}}'
abstract: About the review.
intro:
  papers: About papers.
"""


def paper_yaml(paper_id: str = "alpha-net", **overrides: str) -> str:
    """Text of a valid paper record; each override replaces one line `key: value`."""
    fields = {
        "id": paper_id,
        "name": "AlphaNet",
        "title": f"Title of {paper_id} for sparse-view CT",
        "venue": "IEEE TMI",
        "year": "2023",
        "modalities": "[CT]",
        "representation": "[slice]",
        "contribution": f"A new network called {paper_id}.",
        "abstract": f"The abstract of {paper_id}.",
        "paper": f"https://papers.example.org/{paper_id}",
        "code": f"https://code.example.org/{paper_id}",
        "datasets": "[lidc]",
        "added": "2025-06-17",
    }
    fields.update(overrides)
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)


DATASET = """\
id: lidc
name: LIDC
modalities: [CT]
description: Lung CT.
url: https://data.example.org/lidc
added: 2025-06-17
"""

TOPIC = """\
id: transfer-learning
title: Transfer learning
order: 1
references:
- title: A transfer paper
  venue: AIM
  year: 2021
  url: https://refs.example.org/1
  abstract: About transfer.
"""


def write_mini_catalog(root: Path) -> Path:
    files = {
        "taxonomy.yaml": TAXONOMY,
        "modalities.yaml": MODALITIES,
        "review.yaml": REVIEW,
        "papers/alpha-net.yaml": paper_yaml("alpha-net"),
        "papers/beta-net.yaml": paper_yaml("beta-net", name="BetaNet", representation="[ipe, nrf]", code="null"),
        "datasets/lidc.yaml": DATASET,
        "topics/transfer-learning.yaml": TOPIC,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
