"""A catalog in a temporary folder and fake arXiv/Crossref services on loopback, with every wait off."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakeservices import FIELD_WORK, SPLAT, SPLAT_WORK, FakeServices
from minicatalog import write_mini_catalog

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_real_services(monkeypatch):
    """A look-up no test arranged goes to the discard port on loopback and fails, never to arXiv or Crossref."""
    monkeypatch.setenv("AI4RADIOLOGY_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AI4RADIOLOGY_RATE_LIMIT", "0")


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = write_mini_catalog(tmp_path / "catalog")
    for name in ("keywords.yaml", "discover.yaml"):
        (root / name).write_text((REPO / "catalog" / name).read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture
def services(monkeypatch):
    fake = FakeServices([SPLAT], [SPLAT_WORK, FIELD_WORK]).start()
    monkeypatch.setenv("AI4RADIOLOGY_BASE_URL", fake.url)
    monkeypatch.setenv("AI4RADIOLOGY_RATE_LIMIT", "0")
    monkeypatch.setenv("AI4RADIOLOGY_CONTACT", "maintainers@example.org")
    yield fake
    fake.stop()
