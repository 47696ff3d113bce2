"""`ai4radiology new` and `ai4radiology add --bibtex`: scaffolds whose TODOs validation reports line by line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.catalog.annotations import annotation, format_github
from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.problems import Location, Problem, Severity
from ai4radiology.cli.bib import add
from ai4radiology.cli.new import new

ENTRY = r"""@article{doe2025demo,
  title = {{DemoNet}: A {D}emonstration of Sparse-View {CT}},
  author = {Doe, Jane and M{\"u}ller, J{\"o}rg},
  journal = {IEEE TMI},
  year = {2025},
  doi = {10.1000/demo.1},
  abstract = {An abstract.},
}
"""


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_mini_catalog(tmp_path / "catalog")


def invoke(command, *args: str, stdin: str | None = None):
    return CliRunner().invoke(command, list(args), input=stdin)


def todo_lines(path: Path) -> dict[int, str]:
    """Line number -> field, for every line holding a TODO value."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {
        i: line.split(":")[0]
        for i, line in enumerate(lines, 1)
        if not line.startswith("#") and "TODO" in line.split("#")[0]
    }


def problems_in(catalog_dir: Path, file_name: str) -> list[Problem]:
    return [p for p in load_catalog(catalog_dir).problems if p.location.path.endswith(file_name)]


# --- new ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, folder", [("paper", "papers"), ("dataset", "datasets")])
def test_new_scaffold_has_each_todo_reported_at_its_line(catalog_dir, kind, folder):
    result = invoke(new, kind, "--id", "my-record")
    assert result.exit_code == 0, result.output
    path = catalog_dir / folder / "my-record.yaml"
    todos = todo_lines(path)
    problems = problems_in(catalog_dir, "my-record.yaml")
    assert todos, "a scaffold without TODOs would not need filling"
    assert {p.location.line: p.message for p in problems} == {line: "still a TODO placeholder" for line in todos}
    assert all(p.field.split(".")[0] == todos[p.location.line] for p in problems)


def test_new_paper_lists_the_catalog_vocabularies(catalog_dir):
    invoke(new, "paper", "--id", "my-net")
    text = (catalog_dir / "papers" / "my-net.yaml").read_text()
    assert (
        "representation: [TODO]  # Category ids of the 2025 scheme (catalog/taxonomy.yaml): "
        "slice, volume, gaussian, ipe, nrf" in text
    )
    assert "taxonomy_2026: null  # optional: " in text and ": slice-wise, volume, coordinate-field" in text
    assert "venue: TODO  # Venue id from catalog/venues.yaml, e.g. 'IEEE TMI': IEEE TMI, MICCAI, arXiv" in text
    assert "representation_source: catalog  # optional: " in text
    assert "modalities: [TODO]  # Ids from catalog/modalities.yaml: CT, MRI, US" in text
    assert text.startswith("# yaml-language-server: $schema=../../schemas/paper.schema.json\n")
    assert yaml.safe_load(text)["added"] == dt.date.today()


def test_a_new_dataset_says_its_tasks_are_the_contributors_not_the_reviews(catalog_dir):
    invoke(new, "dataset", "--id", "my-set")
    text = (catalog_dir / "datasets" / "my-set.yaml").read_text()
    assert "\ntasks_source: catalog\n" in text
    assert "tasks: []  # optional: " in text and ": task-i, task-iii" in text


def test_filling_the_todos_makes_the_new_record_valid(catalog_dir):
    invoke(new, "paper", "--id", "my-net")
    path = catalog_dir / "papers" / "my-net.yaml"
    filled = {
        "name": "MyNet",
        "title": "A title",
        "venue": "MICCAI",
        "year": "2024",
        "modalities": "[MRI]",
        "representation": "[volume]",
        "contribution": "New.",
        "abstract": "Abstract.",
        "paper": "https://example.org/my-net",
        "code": "null",
    }
    lines = [
        f"{line.split(':')[0]}: {filled[line.split(':')[0]]}" if "TODO" in line.split("#")[0] else line
        for line in path.read_text().splitlines()
    ]
    path.write_text("\n".join(lines) + "\n")
    # valid; what stays optional (authors, an identifier, the 2026 category) is only reminded of
    problems = problems_in(catalog_dir, "my-net.yaml")
    assert {(p.rule, p.severity) for p in problems} == {
        ("missing-authors", Severity.WARNING),
        ("missing-identifier", Severity.WARNING),
        ("missing-classification", Severity.WARNING),
    }


def test_new_never_overwrites(catalog_dir):
    existing = catalog_dir / "papers" / "alpha-net.yaml"
    before = existing.read_text()
    result = invoke(new, "paper", "--id", "alpha-net")
    assert result.exit_code == 1
    assert "catalog/papers/alpha-net.yaml already exists" in result.output
    assert existing.read_text() == before


def test_new_rejects_a_bad_id_with_the_validator_wording(catalog_dir):
    result = invoke(new, "paper", "--id", "My_Net")
    assert result.exit_code == 2
    assert "'My_Net' is not a valid id: use lowercase letters, digits and single hyphens" in result.output
    assert not list((catalog_dir / "papers").glob("*My*"))


def test_new_without_a_catalog_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(new, "paper", "--id", "x")
    assert result.exit_code == 1 and "catalog directory 'catalog' not found" in result.output


# --- add --bibtex ------------------------------------------------------------------------------------


def test_add_fills_what_bibtex_knows_and_leaves_the_rest_todo(catalog_dir, tmp_path):
    (tmp_path / "demo.bib").write_text(ENTRY, encoding="utf-8")
    result = invoke(add, "--bibtex", "demo.bib")
    assert result.exit_code == 0, result.output
    path = catalog_dir / "papers" / "doe-2025-demonet.yaml"
    assert "wrote catalog/papers/doe-2025-demonet.yaml from @doe2025demo" in result.output
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["name"] == "DemoNet"
    assert data["title"] == "DemoNet: A Demonstration of Sparse-View CT"
    assert data["authors"] == ["Doe, Jane", "Müller, Jörg"]
    assert (data["venue"], data["year"], data["doi"]) == ("IEEE TMI", 2025, "10.1000/demo.1")
    assert data["paper"] == "https://doi.org/10.1000/demo.1"
    assert data["abstract"] == "An abstract."
    reported = {p.field.split(".")[0] for p in problems_in(catalog_dir, path.name)}
    assert reported == {"modalities", "representation", "contribution", "code"}
    assert set(todo_lines(path).values()) == reported


def test_add_reads_many_entries_from_stdin_with_unique_ids(catalog_dir):
    twice = ENTRY + ENTRY.replace("doe2025demo", "doe2025other").replace("10.1000/demo.1", "10.1000/demo.2").replace(
        "{DemoNet}: A {D}emonstration", "{DemoNet} Demonstration, again"
    )
    result = invoke(add, "--bibtex", "-", stdin=twice)
    assert result.exit_code == 0, result.output
    assert (catalog_dir / "papers" / "doe-2025-demonet.yaml").is_file()
    assert (catalog_dir / "papers" / "doe-2025-demonet-2.yaml").is_file()
    assert "2 record(s) scaffolded" in result.output


def test_add_never_overwrites_an_existing_file(catalog_dir):
    taken = catalog_dir / "papers" / "doe-2025-demonet.yaml"
    taken.write_text("# someone's draft\n", encoding="utf-8")
    result = invoke(add, "--bibtex", "-", stdin=ENTRY)
    assert result.exit_code == 0, result.output
    assert taken.read_text() == "# someone's draft\n"
    assert (catalog_dir / "papers" / "doe-2025-demonet-2.yaml").is_file()


@pytest.mark.parametrize(
    "existing, reason",
    [
        ({"doi": "10.1000/DEMO.1"}, "same DOI"),
        ({"arxiv": "'2405.20693'"}, "same arXiv id"),
        ({"paper": "http://www.example.org/demo/"}, "same paper link"),
        ({"title": "'DemoNet: a demonstration of sparse-view CT!'"}, "same title"),
    ],
)
def test_add_skips_an_entry_the_catalog_already_has(catalog_dir, existing, reason):
    bib = ENTRY.replace(
        "  doi = {10.1000/demo.1},\n",
        "  doi = {10.1000/demo.1},\n  eprint = {2405.20693v1},\n"
        "  archiveprefix = {arXiv},\n  url = {https://example.org/demo},\n",
    )
    (catalog_dir / "papers" / "old.yaml").write_text(paper_yaml("old", **existing), encoding="utf-8")
    result = invoke(add, "--bibtex", "-", stdin=bib)
    assert result.exit_code == 0
    assert f"skipped @doe2025demo (line 1): {reason} as catalog/papers/old.yaml" in result.output
    assert not (catalog_dir / "papers" / "doe-2025-demonet.yaml").exists()


def test_add_warns_about_a_nearly_identical_title_but_writes(catalog_dir):
    (catalog_dir / "papers" / "old.yaml").write_text(
        paper_yaml("old", title="'DemoNet: A Demonstration of Sparse-View CTs'"), encoding="utf-8"
    )
    result = invoke(add, "--bibtex", "-", stdin=ENTRY)
    assert result.exit_code == 0
    assert "has nearly the same title as catalog/papers/old.yaml: delete it if it is the same paper" in result.output
    assert (catalog_dir / "papers" / "doe-2025-demonet.yaml").is_file()


def test_adding_the_same_entry_twice_finds_the_first_scaffold(catalog_dir):
    invoke(add, "--bibtex", "-", stdin=ENTRY)
    result = invoke(add, "--bibtex", "-", stdin=ENTRY)
    assert "same DOI as catalog/papers/doe-2025-demonet.yaml" in result.output
    assert len(list((catalog_dir / "papers").glob("doe-*.yaml"))) == 1


def test_add_reports_a_broken_bib_file_and_writes_nothing(catalog_dir):
    before = sorted((catalog_dir / "papers").iterdir())
    result = invoke(add, "--bibtex", "-", stdin=ENTRY + "\n@article{broken, title = {oops,\n")
    assert result.exit_code == 1
    assert "cannot read standard input:" in result.output and "line 10:" in result.output
    assert "Traceback" not in result.output
    assert sorted((catalog_dir / "papers").iterdir()) == before


def test_add_of_a_missing_file_is_a_usage_error(catalog_dir):
    result = invoke(add, "--bibtex", "nope.bib")
    assert result.exit_code == 2 and "nope.bib" in result.output


# --- GitHub annotations ------------------------------------------------------------------------------


def test_github_annotations_carry_file_line_column_and_escape_their_text():
    problem = Problem(
        Location("catalog/papers/a,b.yaml", 7, 3),
        "representation.0",
        "unknown category 'x'\n100%",
        "did you mean 'nrf'?",
    )
    assert annotation(problem) == (
        "::error file=catalog/papers/a%2Cb.yaml,line=7,col=3,title=representation.0::"
        "unknown category 'x'%0A100%25 (hint: did you mean 'nrf'?)"
    )
    warning = Problem(Location("catalog/datasets/d.yaml", 2, 1), "", "same URL", severity=Severity.WARNING)
    assert annotation(warning).startswith("::warning file=catalog/datasets/d.yaml,line=2,col=1,title=(file)::")
    assert format_github([problem, warning], 3).splitlines()[-1] == "3 files checked: 1 error(s), 1 warning(s)"
