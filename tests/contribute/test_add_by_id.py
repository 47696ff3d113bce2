"""`ai4radiology add arxiv:… doi:…` against fake arXiv and Crossref servers on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fakeservices import SPLAT, Answer, Preprint, atom, error_feed, work
from minicatalog import paper_yaml

from ai4radiology.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def papers(catalog_dir: Path) -> set[str]:
    return {path.name for path in (catalog_dir / "papers").iterdir()}


def test_arxiv_id_gives_the_published_record_with_suggestions_to_confirm(catalog_dir, services):
    result = run("add", "arxiv:2501.01234")
    assert result.exit_code == 0, result.output
    path = catalog_dir / "papers" / "doe-2025-demosplat.yaml"
    text = path.read_text(encoding="utf-8")
    record = yaml.safe_load(text)
    assert record["title"] == "DemoSplat: Gaussian Splatting for Sparse-View CT Reconstruction"  # Crossref, no <i>
    assert record["authors"] == ["Doe, Jane", "Müller, Jörg"]
    assert record["venue"] == "IEEE TMI"  # Crossref's full name, mapped through catalog/venues.yaml
    assert record["year"] == 2025
    assert record["doi"] == "10.1000/demosplat.2025.7"
    assert record["arxiv"] == "2501.01234"
    assert record["paper"] == "https://doi.org/10.1000/demosplat.2025.7"
    assert record["abstract"].startswith("We fit 3D Gaussians to a few X-ray projections")  # arXiv's, unwrapped
    assert record["name"] == "DemoSplat"
    assert record["modalities"] == ["TODO CT"]  # 'X-ray projections' too, but this catalog has no X-ray modality
    assert record["representation"] == ["TODO gaussian"]
    assert "suggested: CT, gaussian" in result.output

    validation = run("validate", "--catalog", "catalog")
    assert validation.exit_code == 1
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.startswith("modalities:"))
    assert f"doe-2025-demosplat.yaml:{line}:14: error: modalities.0: still a TODO" in validation.output
    assert "representation.0: still a TODO" in validation.output

    arxiv_request, crossref_request = services.requests
    assert arxiv_request.path == "/api/query" and arxiv_request.query["id_list"] == "2501.01234"
    assert crossref_request.path == "/works/10.1000/demosplat.2025.7"
    assert crossref_request.query["mailto"] == "maintainers@example.org"
    assert crossref_request.headers["user-agent"].startswith("ai4radiology/")
    assert "mailto:maintainers@example.org" in crossref_request.headers["user-agent"]


def test_confirmed_suggestions_validate(catalog_dir, services):
    assert run("add", "arxiv:2501.01234").exit_code == 0
    path = catalog_dir / "papers" / "doe-2025-demosplat.yaml"
    text = path.read_text(encoding="utf-8").replace("TODO CT", "CT").replace("TODO gaussian", "gaussian")
    text = text.replace("contribution: TODO", "contribution: Gaussians for sparse-view CT.")
    text = text.replace("code: TODO", "code: null")
    path.write_text(text, encoding="utf-8")
    result = run("validate", "--catalog", "catalog")
    assert result.exit_code == 0, result.output


def test_doi_joins_the_preprint_named_in_crossref_relations(catalog_dir, services):
    result = run("add", "doi:10.1000/DemoSplat.2025.7")
    assert result.exit_code == 0, result.output
    record = yaml.safe_load((catalog_dir / "papers" / "doe-2025-demosplat.yaml").read_text(encoding="utf-8"))
    assert record["arxiv"] == "2501.01234"
    assert record["doi"] == "10.1000/demosplat.2025.7"
    assert record["abstract"].startswith("We fit 3D Gaussians")
    assert services.paths() == ["/works/10.1000/demosplat.2025.7", "/api/query"]


def test_several_identifiers_and_links_at_once(catalog_dir, services):
    result = run("add", "https://doi.org/10.1000/mrfield.2024.3", "https://arxiv.org/abs/2501.01234v2")
    assert result.exit_code == 0, result.output
    assert {"byron-2024-mr.yaml", "doe-2025-demosplat.yaml"} <= papers(catalog_dir)
    record = yaml.safe_load((catalog_dir / "papers" / "byron-2024-mr.yaml").read_text(encoding="utf-8"))
    assert record["venue"] == "Medical Image Computing and Computer Assisted Intervention – MICCAI 2024"
    assert record["abstract"] == "Abstract A neural field in k-space & image space."
    assert record["arxiv"] is None
    assert record["modalities"] == ["TODO MRI"] and record["representation"] == ["TODO ipe"]
    assert "2 record(s) scaffolded" in result.output


def test_a_preprint_without_published_version_keeps_arxiv_as_venue(catalog_dir, services):
    services.preprints["2502.00042"] = Preprint("2502.00042", "Lonely Fields", ("Ann Lee",), "Ultrasound fields.")
    assert run("add", "arxiv:2502.00042").exit_code == 0
    record = yaml.safe_load((catalog_dir / "papers" / "lee-2025-lonely.yaml").read_text(encoding="utf-8"))
    assert (record["venue"], record["doi"], record["paper"]) == ("arXiv", None, "https://arxiv.org/abs/2502.00042")
    assert record["modalities"] == ["TODO US"]


# --- duplicates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"doi": "10.1000/DEMOSPLAT.2025.7"}, "same DOI"),
        ({"arxiv": "'2501.01234'"}, "same arXiv id"),
        ({"title": "'DemoSplat: Gaussian Splatting for Sparse-View CT Reconstructions'"}, "nearly the same title"),
    ],
)
def test_a_paper_the_catalog_has_is_refused_naming_the_record(catalog_dir, services, override, reason):
    (catalog_dir / "papers" / "splat.yaml").write_text(paper_yaml("splat", **override), encoding="utf-8")
    before = papers(catalog_dir)
    result = run("add", "arxiv:2501.01234")
    assert result.exit_code == 1
    assert f"already in the catalog as catalog/papers/splat.yaml ({reason})" in result.output
    assert papers(catalog_dir) == before


def test_adding_twice_refuses_the_second_and_keeps_the_first(catalog_dir, services):
    assert run("add", "arxiv:2501.01234").exit_code == 0
    path = catalog_dir / "papers" / "doe-2025-demosplat.yaml"
    first = path.read_text(encoding="utf-8")
    result = run("add", "doi:10.1000/demosplat.2025.7")
    assert result.exit_code == 1 and "doe-2025-demosplat.yaml" in result.output
    assert path.read_text(encoding="utf-8") == first


def test_bibtex_path_still_works_beside_identifiers(catalog_dir, services, tmp_path):
    (tmp_path / "one.bib").write_text("@article{k, title={A Bib Paper}, author={Roe, Rita}, year={2024}}\n")
    result = run("add", "--bibtex", "one.bib")
    assert result.exit_code == 0, result.output
    assert "roe-2024-bib.yaml" in papers(catalog_dir)
    assert services.requests == []
    both = run("add", "arxiv:2501.01234", "--bibtex", "one.bib")
    assert both.exit_code == 2 and "one of the two" in both.output


# --- bad input and failing services: one line, exit 2, nothing written ---------------------------------


def assert_refused(result, catalog_dir: Path, before: set[str], words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "nothing written" in lines[0], result.output
    assert papers(catalog_dir) == before


@pytest.mark.parametrize(
    "text", ["arxiv:1234.5", "doi:10.12/x", "hep-th/9901001", "https://example.org/abs/2501.01234"]
)
def test_malformed_identifiers_send_no_request(catalog_dir, services, text):
    before = papers(catalog_dir)
    assert_refused(run("add", "arxiv:2501.01234", text), catalog_dir, before, "not")
    assert services.requests == []


@pytest.mark.parametrize(
    ("identifier", "answer", "words"),
    [
        ("arxiv:2509.99999", None, "arXiv has no paper 2509.99999"),
        ("arxiv:2501.01234", Answer(400, error_feed("incorrect id format for 2501.01234")), "incorrect id format"),
        ("arxiv:2501.01234", Answer(200, "<html><body>Maintenance</body></html>"), "not an Atom feed"),
        ("arxiv:2501.01234", Answer(500, "oops"), "arXiv answered HTTP 500"),
        ("arxiv:2501.01234", Answer(503, "Rate exceeded.", {"Retry-After": "0"}), "arXiv is unavailable"),
        ("arxiv:2501.01234", Answer(429, "Rate exceeded.", {"Retry-After": "3600"}), "asks to wait 3600 s"),
    ],
)
def test_arxiv_failures(catalog_dir, services, identifier, answer, words):
    if answer:
        services.script("/api/query", answer)
    before = papers(catalog_dir)
    assert_refused(run("add", identifier), catalog_dir, before, words)


def test_a_withdrawn_preprint_is_refused(catalog_dir, services):
    services.preprints["2503.00001"] = Preprint(
        "2503.00001", "Gone Fields", ("Ann Lee",), "Removed.", comment="This paper has been withdrawn by the author"
    )
    before = papers(catalog_dir)
    assert_refused(run("add", "arxiv:2503.00001"), catalog_dir, before, "withdrawn")


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (Answer(404, "Resource not found."), "Crossref knows no DOI 10.1000/nothing"),
        (Answer(200, "{not json"), "not a work record"),
        (Answer(200, '{"status": "ok", "message": []}'), "not a work record"),
        (Answer(200, work({"DOI": "10.1000/nothing", "title": ["RETRACTED: Old"]})), "retracted"),
        (
            Answer(200, work({"DOI": "10.1000/nothing", "title": ["Old"], "updated-by": [{"type": "retraction"}]})),
            "retracted",
        ),
    ],
)
def test_crossref_failures(catalog_dir, services, answer, words):
    services.script("/works/10.1000/nothing", answer)
    before = papers(catalog_dir)
    assert_refused(run("add", "arxiv:2501.01234", "doi:10.1000/nothing"), catalog_dir, before, words)


def test_a_slow_service_times_out(catalog_dir, services):
    services.script("/api/query", Answer(hold=True))
    before = papers(catalog_dir)
    assert_refused(run("add", "arxiv:2501.01234", "--timeout", "0.2"), catalog_dir, before, "did not answer within 0.2")


def test_a_service_that_is_down(catalog_dir, services, monkeypatch):
    services.stop()  # nothing listens on the port any more
    before = papers(catalog_dir)
    assert_refused(run("add", "arxiv:2501.01234"), catalog_dir, before, "cannot reach arXiv")


def test_retry_after_then_success(catalog_dir, services):
    ok = Answer(200, atom([SPLAT]), {"Content-Type": "application/atom+xml"})
    services.script("/api/query", Answer(429, "Rate exceeded.", {"Retry-After": "0"}), Answer(503, ""), ok)
    result = run("add", "arxiv:2501.01234")
    assert result.exit_code == 0, result.output
    assert services.counts["/api/query"] == 3


def test_answers_are_cached_between_runs(catalog_dir, services):
    assert run("add", "arxiv:2501.01234").exit_code == 0
    sent = len(services.requests)
    (catalog_dir / "papers" / "doe-2025-demosplat.yaml").unlink()
    assert run("add", "arxiv:2501.01234").exit_code == 0
    assert len(services.requests) == sent  # the second run asked nobody
    assert (Path(".cache") / "lookups.json").is_file()
    (catalog_dir / "papers" / "doe-2025-demosplat.yaml").unlink()
    assert run("add", "arxiv:2501.01234", "--no-cache").exit_code == 0
    assert len(services.requests) == 2 * sent


def test_not_found_is_not_cached_a_new_preprint_can_be_added_later(catalog_dir, services):
    assert run("add", "arxiv:2506.00007").exit_code == 2
    services.preprints["2506.00007"] = Preprint("2506.00007", "Fresh Fields", ("Ann Lee",), "Neural fields for PET.")
    result = run("add", "arxiv:2506.00007")
    assert result.exit_code == 0, result.output
    assert services.counts["/api/query"] == 2
