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


# Warnings every minimal paper of this file carries (it has no DOI or arXiv id).
QUIET_RULES = frozenset({"missing-identifier"})

TAXONOMY_2026 = """\
scheme: {id: '2026', label: The 2026 scheme, edition: 2026-06-20}
families:
- id: discrete-grid
  label: Discrete grid
  description: Grids.
  categories:
  - {id: slice-wise, label: Slice-wise, short: Slice-wise, description: Slices.}
  - {id: volume, label: Volume, short: Volume, description: Voxels.}
- id: implicit-neural
  label: Implicit neural
  description: Networks.
  categories:
  - {id: coordinate-field, label: Coordinate field, short: Coord. field, description: Coordinates.}
"""

VENUES = """\
venues:
- {id: IEEE TMI, name: IEEE Transactions on Medical Imaging, kind: journal}
- {id: MICCAI, name: Medical Image Computing and Computer-Assisted Intervention, kind: conference}
- {id: arXiv, name: arXiv preprint, kind: preprint}
"""

TASKS = """\
tasks:
- {id: task-i, label: Task I, name: Reconstruction from raw measurements, description: From raw data.}
- {id: task-iii, label: Task III, name: Recovery from incomplete signals, description: From partial data.}
"""

METRICS = """\
groups:
- id: signal-and-noise
  label: Signal and noise
  description: Signal against noise.
  metrics:
  - {id: psnr, name: PSNR, description: Peak signal-to-noise ratio.}
"""


def paper_yaml(paper_id: str = "alpha-net", **overrides: str) -> str:
    """Text of a valid paper record; each override replaces one line `key: value`.

    Authors and the 2026 classification come last, so the lines of the other fields do not move. There is no
    DOI or arXiv id unless given (identifiers are links, and link tests count them): such a paper carries
    the `missing-identifier` warning, which `QUIET_RULES` names for tests that expect a clean record.
    """
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
    extras = {
        "authors": "['Lovelace, Ada', 'Babbage, Charles']",
        "representation_source": "2025-edition",
        "taxonomy_2026": "{category: slice-wise, source: catalog}",
    }
    fields.update({key: value for key, value in extras.items() if key not in fields})
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
        "taxonomy-2026.yaml": TAXONOMY_2026,
        "venues.yaml": VENUES,
        "tasks.yaml": TASKS,
        "metrics.yaml": METRICS,
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
