"""`ai4radiology enrich` and `ai4radiology discover` against fake arXiv and Crossref servers on loopback."""

from __future__ import annotations

import yaml
from click.testing import CliRunner
from fakeservices import SPLAT, Answer, Preprint
from minicatalog import paper_yaml

from ai4radiology.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# --- enrich ------------------------------------------------------------------------------------------


def write_splat(catalog_dir, **override):
    path = catalog_dir / "papers" / "splat.yaml"
    fields = {
        "title": "'DemoSplat: Gaussian Splatting for Sparse-View CT Reconstruction'",
        "arxiv": "'2501.01234'",
        "authors": None,  # what enrich fills in
    }
    path.write_text(paper_yaml("splat", **{**fields, **override}), encoding="utf-8")
    return path


def test_enrich_shows_a_diff_and_writes_nothing_without_write(catalog_dir, services):
    path = write_splat(catalog_dir)
    before = path.read_text(encoding="utf-8")
    result = run("enrich", "splat")
    assert result.exit_code == 0, result.output
    assert "+doi: 10.1000/demosplat.2025.7" in result.output
    assert "+- Doe, Jane" in result.output
    assert "would change 1 of 1 record(s); add --write" in result.output
    assert path.read_text(encoding="utf-8") == before


def test_enrich_write_fills_missing_fields_only(catalog_dir, services):
    path = write_splat(catalog_dir)
    before = path.read_text(encoding="utf-8").splitlines()
    result = run("enrich", "--write")
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    record = yaml.safe_load(after)
    assert record["doi"] == "10.1000/demosplat.2025.7"
    assert record["authors"] == ["Doe, Jane", "Müller, Jörg"]
    assert record["venue"] == "IEEE TMI"  # filled already: kept
    assert [line for line in before if line not in after.splitlines()] == []  # every old line is still there
    assert run("validate", "--catalog", "catalog").exit_code == 0
    again = run("enrich", "--write")
    assert "wrote 0 of 3 record(s)" in again.output


def test_enrich_only_and_force(catalog_dir, services):
    path = write_splat(catalog_dir, venue="arXiv")
    result = run("enrich", "splat", "--only", "venue", "--write")
    assert result.exit_code == 0, result.output
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert record["venue"] == "IEEE TMI"  # 'arXiv' counts as missing; Crossref's name mapped to the vocabulary
    assert "doi" not in record and "authors" not in record
    path.write_text(path.read_text(encoding="utf-8").replace("venue: IEEE TMI", "venue: MICCAI"))
    assert "would change 0" in run("enrich", "splat", "--only", "venue").output
    forced = run("enrich", "splat", "--only", "venue", "--force")
    assert "-venue: MICCAI" in forced.output and "+venue: IEEE TMI" in forced.output


def test_enrich_finds_identifiers_by_exact_title(catalog_dir, services):
    services.search_results = [SPLAT]
    path = write_splat(catalog_dir, arxiv=None)
    result = run("enrich", "splat", "--only", "arxiv,doi", "--write")
    assert result.exit_code == 0, result.output
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (record["arxiv"], record["doi"]) == ("2501.01234", "10.1000/demosplat.2025.7")


def test_enrich_rejects_unknown_fields_and_ids(catalog_dir, services):
    assert run("enrich", "--only", "title").exit_code == 2
    assert run("enrich", "no-such-paper").exit_code == 2
    assert services.requests == []


def test_enrich_stops_on_a_failing_service_and_writes_nothing(catalog_dir, services):
    path = write_splat(catalog_dir)
    before = path.read_text(encoding="utf-8")
    services.script("/api/query", Answer(503, "", {"Retry-After": "0"}))
    result = run("enrich", "--write")
    assert result.exit_code == 2 and "arXiv is unavailable" in result.output
    assert path.read_text(encoding="utf-8") == before


# --- discover ----------------------------------------------------------------------------------------


def candidates():
    return [
        SPLAT,  # the catalog will hold it
        Preprint(
            "2505.11111",
            "Neural fields for sparse-view CT reconstruction | <script>alert(1)</script> [x](javascript:y)",
            ("Ann Lee",),
            "An implicit neural representation reconstructs CT from few views.",
            published="2025-05-20T10:00:00Z",
        ),
        Preprint(
            "2505.22222",
            "A study of something",
            ("Bo Chen",),
            "We apply Gaussian splatting to ultrasound volume reconstruction.",
            published="2025-05-21T10:00:00Z",
        ),
    ]


def test_discover_reports_new_candidates_ranked_with_add_lines(catalog_dir, services):
    write_splat(catalog_dir)
    services.search_results = candidates()
    result = run("discover", "--since", "2025-05-01", "--output", "candidates.md")
    assert result.exit_code == 0, result.output
    report = (catalog_dir.parent / "candidates.md").read_text(encoding="utf-8")
    rows = [line for line in report.splitlines() if line.startswith("| 1 ") or line.startswith("| 2 ")]
    assert len(rows) == 2 and "2501.01234" not in report
    assert "2505.11111" in rows[0] and "`ai4radiology add arxiv:2505.11111`" in rows[0]  # title matches rank first
    assert "`ai4radiology add arxiv:2505.22222`" in rows[1]
    assert "<script>" not in report and "alert(1)" in rows[0]  # server markup is text, never markup
    assert "\\| alert(1) \\[x\\](javascript:y)" in rows[0]
    assert "2 new, 1 already in the catalog" in report
    query = services.requests[0].query
    assert "submittedDate:[202505010000 TO" in query["search_query"]
    assert 'abs:"Gaussian splatting"' in query["search_query"] and "cat:eess.IV" in query["search_query"]
    assert query["sortBy"] == "submittedDate"


def test_discover_without_terms_file_or_with_a_broken_service(catalog_dir, services):
    services.script("/api/query", Answer(200, "garbage"))
    result = run("discover", "--since", "2025-05-01")
    assert result.exit_code == 2 and "not an Atom feed" in result.output
    (catalog_dir / "discover.yaml").unlink()
    result = run("discover", "--since", "2025-05-01")
    assert result.exit_code == 2 and "discover.yaml not found" in result.output
