"""The vocabulary records of a catalog with every text field filled by the caller (hostile text in the
escaping property tests of the README and of the site)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ai4radiology.catalog.models import Metrics, Modalities, Tasks, Taxonomy


def hostile_vocabularies(
    text: Callable[[], str], long: Callable[[], str] | None = None, category_2026: str = "volume"
) -> dict[str, Any]:
    """Keyword arguments of Catalog for both taxonomies, modalities, tasks and metrics: one term each, every
    label from `text()` and every description from `long()` (text that may run over paragraphs)."""
    long = long or text

    def taxonomy(family: str, category: str) -> Taxonomy:
        categories = [{"id": category, "label": text(), "short": text(), "description": long()}]
        families = [{"id": family, "label": text(), "description": long(), "categories": categories}]
        return Taxonomy.model_validate({"families": families})

    metric = {"id": "m", "name": text(), "description": long()}
    return {
        "taxonomy": taxonomy("explicit", "slice"),
        "taxonomy_2026": taxonomy("discrete-grid", category_2026),
        "modalities": Modalities.model_validate({"modalities": [{"id": "CT", "label": text(), "description": long()}]}),
        "tasks": Tasks.model_validate(
            {"tasks": [{"id": "task-i", "label": text(), "name": text(), "description": long()}]}
        ),
        "metrics": Metrics.model_validate(
            {"groups": [{"id": "g", "label": text(), "description": long(), "metrics": [metric]}]}
        ),
    }
