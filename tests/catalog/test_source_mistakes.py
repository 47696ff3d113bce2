"""Each kind of mistake found in the review's source README would have been caught by `validate`.

The mistakes are put back, one at a time, into a copy of the real catalog.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.problems import Severity

CATALOG = Path(__file__).resolve().parents[2] / "catalog"


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CATALOG, tmp_path / "catalog"))


def edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def field_of(path: Path, key: str):
    return yaml.safe_load(path.read_text(encoding="utf-8"))[key]


# Warnings some real records carry because no source gives their authors or identifiers.
DATA_GAPS = {"missing-authors", "missing-identifier"}


def flagged(catalog_dir: Path, file_name: str) -> list:
    problems = load_catalog(catalog_dir).problems
    return [p for p in problems if p.location.path.endswith(file_name) and p.rule not in DATA_GAPS]


def test_the_real_catalog_is_clean_of_errors():
    assert load_catalog(CATALOG).errors == []


def test_typo_in_a_method_name(catalog_copy):
    edit(catalog_copy / "papers" / "x-gaussian.yaml", name="X-Gaussain")
    [problem] = flagged(catalog_copy, "x-gaussian.yaml")
    assert problem.rule == "name-spelling" and problem.hint == "did you mean 'X-Gaussian'?"


def test_two_papers_sharing_one_paper_url(catalog_copy):
    edit(catalog_copy / "papers" / "sax-nerf.yaml", paper=field_of(catalog_copy / "papers" / "cunerf.yaml", "paper"))
    assert any(
        p.rule == "duplicate-url" and p.severity is Severity.ERROR
        for p in flagged(catalog_copy, "sax-nerf.yaml") + flagged(catalog_copy, "cunerf.yaml")
    )


def test_contribution_copied_from_another_paper(catalog_copy):
    edit(
        catalog_copy / "papers" / "nerp.yaml",
        contribution=field_of(catalog_copy / "papers" / "cunerf.yaml", "contribution"),
    )
    problems = flagged(catalog_copy, "nerp.yaml") + flagged(catalog_copy, "cunerf.yaml")
    assert [p.rule for p in problems] == ["duplicate-contribution"]


def test_abstract_copied_between_topic_references(catalog_copy):
    transfer = yaml.safe_load((catalog_copy / "topics" / "transfer-learning.yaml").read_text())
    edge_path = catalog_copy / "topics" / "edge-computing.yaml"
    edge = yaml.safe_load(edge_path.read_text())
    edge["references"][2]["abstract"] = transfer["references"][3]["abstract"]
    edge_path.write_text(yaml.safe_dump(edge, allow_unicode=True, sort_keys=False))
    problems = flagged(catalog_copy, "edge-computing.yaml") + flagged(catalog_copy, "transfer-learning.yaml")
    # Which of the two is the copy cannot be known: one problem, on either, naming the other.
    [problem] = problems
    assert problem.rule == "duplicate-abstract"
    assert (Path(problem.location.path).name, problem.field) in {
        ("edge-computing.yaml", "references.2.abstract"),
        ("transfer-learning.yaml", "references.3.abstract"),
    }


def test_dataset_with_no_modality(catalog_copy):
    edit(catalog_copy / "datasets" / "breastdm.yaml", modalities=[])
    [problem] = flagged(catalog_copy, "breastdm.yaml")
    assert (problem.field, problem.message) == ("modalities", "must list at least one value")


def test_entry_with_missing_title(catalog_copy):
    edit(catalog_copy / "papers" / "cttr.yaml", title=None)
    [problem] = flagged(catalog_copy, "cttr.yaml")
    # a title may be unknown for a while (a paper known only by its DOI), but never unnoticed
    assert (problem.rule, problem.severity, problem.message) == ("missing-title", Severity.WARNING, "no title")


def test_code_link_without_scheme(catalog_copy):
    edit(catalog_copy / "papers" / "cunerf.yaml", code="NarcissusEx.github.io/CuNeRF")
    [problem] = flagged(catalog_copy, "cunerf.yaml")
    assert problem.field == "code" and "http(s) URL" in problem.message
