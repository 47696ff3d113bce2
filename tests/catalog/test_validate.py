"""Every validation rule, triggered by a bad record, reported at the right line with a useful message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from minicatalog import QUIET_RULES, TOPIC, paper_yaml, write_mini_catalog

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.problems import Problem, Severity
from ai4radiology.cli import main


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write_mini_catalog(tmp_path / "catalog")


def problems_of(catalog_dir: Path, *, quiet: frozenset[str] = QUIET_RULES) -> list[Problem]:
    """The problems of a catalog, apart from the warnings every minimal test paper carries."""
    return [p for p in load_catalog(catalog_dir).problems if p.rule not in quiet]


def only(problems: list[Problem], file_name: str) -> Problem:
    matching = [p for p in problems if p.location.path.endswith(file_name)]
    assert len(matching) == 1, [p.format() for p in problems]
    return matching[0]


def line_of(path: Path, prefix: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(prefix))


def write_paper(catalog_dir: Path, paper_id: str, text: str) -> Path:
    path = catalog_dir / "papers" / f"{paper_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_mini_catalog_is_clean(catalog_dir):
    assert problems_of(catalog_dir) == []


def test_missing_required_field_is_named(catalog_dir):
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", code=None))
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert (problem.field, problem.message) == ("code", "required field is missing")
    assert "code:" in problem.hint


def test_unknown_field_points_at_the_key_and_suggests(catalog_dir):
    path = write_paper(catalog_dir, "gamma", paper_yaml("gamma") + "titel: typo\n")
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert problem.message == "unknown field 'titel'"
    assert problem.hint == "did you mean 'title'?"
    assert problem.location.line == line_of(path, "titel:")


def test_unknown_category_suggests_the_closest(catalog_dir):
    path = write_paper(catalog_dir, "gamma", paper_yaml("gamma", representation="\n- volume\n- gausian"))
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert problem.message == "unknown category 'gausian'"
    assert problem.hint == "did you mean 'gaussian'?"
    assert problem.field == "representation.1"
    assert problem.location.line == line_of(path, "- gausian")


def test_modality_alias_is_explained(catalog_dir):
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", modalities="[MR]"))
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert problem.message == "unknown modality 'MR'"
    assert problem.hint == "'MR' is written 'MRI' in this catalog"


def test_unknown_dataset_id(catalog_dir):
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", datasets="[lidcc]"))
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert (problem.message, problem.hint) == ("unknown dataset 'lidcc'", "did you mean 'lidc'?")


def test_id_must_equal_file_name(catalog_dir):
    path = write_paper(catalog_dir, "gamma", paper_yaml("gamma-net"))
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert problem.message == "id 'gamma-net' does not match the file name 'gamma.yaml'"
    assert problem.location.line == line_of(path, "id:")


def test_a_todo_inside_a_reference_gets_the_reference_fields_hint(catalog_dir):
    """Hints of nested fields come from the nested model: a reference's title is not a topic heading."""
    (catalog_dir / "topics" / "transfer-learning.yaml").write_text(
        TOPIC.replace("title: A transfer paper", "title: TODO"), encoding="utf-8"
    )
    problem = only(problems_of(catalog_dir), "transfer-learning.yaml")
    assert (problem.field, problem.message) == ("references.0.title", "still a TODO placeholder")
    assert problem.hint == "Full title as published."


def test_an_unknown_field_inside_a_reference_is_matched_against_the_reference_fields(catalog_dir):
    (catalog_dir / "topics" / "transfer-learning.yaml").write_text(
        TOPIC.replace("  venue: AIM", "  venue: AIM\n  cod: https://code.example.org/x"), encoding="utf-8"
    )
    problem = only(problems_of(catalog_dir), "transfer-learning.yaml")
    assert (problem.field, problem.message, problem.hint) == (
        "references.0.cod",
        "unknown field 'cod'",
        "did you mean 'code'?",
    )


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"year": "1989"}, "year", "year must be between 1990 and"),
        ({"year": "soon"}, "year", "expected a whole number, got 'soon'"),
        ({"paper": "ftp://papers.example.org/x"}, "paper", "must be an http(s) URL"),
        ({"code": "javascript:alert(1)"}, "code", "must be an http(s) URL"),
        ({"code": "https://code.example.org:99999/x"}, "code", "port '99999' is not a port number (0 to 65535)"),
        ({"code": "'http://[::1/x'"}, "code", "the host has a '[' without ']'"),
        ({"title": "''"}, "title", "must not be empty"),
        ({"contribution": "TODO one sentence"}, "contribution", "still a TODO placeholder"),
        ({"representation": "[TODO]"}, "representation.0", "still a TODO placeholder"),
        ({"representation": "[]"}, "representation", "must list at least one value"),
        ({"doi": "https://doi.org/10.1/x"}, "doi", "is not a bare DOI"),
        ({"added": "yesterday"}, "added", "expected a date like 2025-06-17"),
    ],
)
def test_field_rules(catalog_dir, override, field, message):
    path = write_paper(catalog_dir, "gamma", paper_yaml("gamma", **override))
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert problem.field == field
    assert message in problem.message
    assert problem.location.line == line_of(path, field.split(".")[0] + ":")


def test_identical_titles_are_an_error_and_near_duplicates_a_warning(catalog_dir):
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", title="Title of alpha-net for sparse-view CT"))
    write_paper(catalog_dir, "delta", paper_yaml("delta", title="Title of alpha-net for sparse view CTs"))
    problems = [p for p in problems_of(catalog_dir) if p.rule == "duplicate-title"]
    by_file = {Path(p.location.path).name: p for p in problems}
    assert by_file["gamma.yaml"].severity is Severity.ERROR
    assert by_file["gamma.yaml"].message.startswith("same title as paper 'alpha-net'")
    assert by_file["delta.yaml"].severity is Severity.WARNING
    assert "nearly the same title" in by_file["delta.yaml"].message


def test_two_papers_sharing_a_paper_url_is_an_error(catalog_dir):
    path = write_paper(catalog_dir, "gamma", paper_yaml("gamma", paper="https://papers.example.org/alpha-net/"))
    problem = only([p for p in problems_of(catalog_dir) if p.rule == "duplicate-url"], "gamma.yaml")
    assert problem.severity is Severity.ERROR
    assert problem.field == "paper"
    assert "alpha-net" in problem.message
    assert problem.location.line == line_of(path, "paper:")


def test_a_shared_code_url_is_only_a_warning(catalog_dir):
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", code="https://code.example.org/alpha-net"))
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert (problem.severity, problem.rule) == (Severity.WARNING, "duplicate-url")


def test_identical_abstracts(catalog_dir):
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", abstract="the abstract of ALPHA-NET"))
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert problem.rule == "duplicate-abstract"
    assert problem.message.startswith("identical abstract to 'Title of alpha-net")


def test_copied_abstract_in_a_topic_reference(catalog_dir):
    topic = catalog_dir / "topics" / "transfer-learning.yaml"
    topic.write_text(topic.read_text() + "- title: Another\n  venue: X\n  year: 2022\n  abstract: About transfer.\n")
    problem = only(problems_of(catalog_dir), "transfer-learning.yaml")
    assert problem.field == "references.1.abstract"
    assert problem.location.line == line_of(topic, "  abstract: About transfer.") + 4


def test_duplicate_key_is_data_loss_and_reported(catalog_dir):
    path = write_paper(catalog_dir, "gamma", paper_yaml("gamma") + "title: A second title\n")
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert problem.rule == "duplicate-key"
    assert problem.message.startswith(f"duplicate key 'title' (first defined on line {line_of(path, 'title:')})")
    assert problem.location.line == len(path.read_text().splitlines())


def test_all_problems_are_reported_in_one_run(catalog_dir):
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", year="1800", representation="[voxel]"))
    write_paper(catalog_dir, "delta", "id: delta\nname: [unclosed\n")
    (catalog_dir / "datasets" / "lidc.yaml").write_text("id: lidc\n")
    problems = problems_of(catalog_dir)
    files = {Path(p.location.path).name for p in problems}
    assert {"gamma.yaml", "delta.yaml", "lidc.yaml"} <= files
    gamma = {p.message for p in problems if p.location.path.endswith("gamma.yaml")}
    assert "unknown category 'voxel'" in gamma  # cross-references of a schema-rejected record are checked too
    assert len([p for p in problems if p.location.path.endswith("lidc.yaml")]) >= 4  # every missing field


BAD_FILES = {
    "malformed": (b"id: x\nname: [oops\n", "malformed YAML"),
    "empty": (b"# yaml-language-server: $schema=x\n\n", "empty file"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    "latin1": ("title: caf\u00e9\n".encode("latin-1"), "not valid UTF-8"),
    "bomb": (
        b"a: &a [x, x, x, x, x, x, x, x, x]\n"
        + b"".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n".encode() for p, c in zip("abcdefgh", "bcdefghi", strict=False)
        ),
        "anchors and aliases (&name, *name) are not allowed",
    ),
    "list": (b"- just\n- a list\n", "expected a mapping of fields"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_unreadable_files_give_one_clear_line(catalog_dir, kind):
    content, expected = BAD_FILES[kind]
    (catalog_dir / "papers" / f"{kind}.yaml").write_bytes(content)
    result = CliRunner().invoke(main, ["validate", "--catalog", str(catalog_dir)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if f"{kind}.yaml" in line]
    assert len(lines) == 1 and expected in lines[0], result.output


def test_a_50_megabyte_file_is_refused_without_reading_it(catalog_dir):
    huge = catalog_dir / "papers" / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = CliRunner().invoke(main, ["validate", "--catalog", str(catalog_dir)])
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if "huge.yaml" in line]
    assert "50.0 MiB" in line and "limited to" in line


def test_malformed_yaml_reports_line_and_column(catalog_dir):
    write_paper(catalog_dir, "gamma", "id: gamma\ntitle: Sparse: view\n  bad: indent\n")
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert problem.location.line == 2
    assert problem.message.startswith("malformed YAML")


def test_exit_codes_and_strict(catalog_dir):
    runner = CliRunner()
    assert runner.invoke(main, ["validate", "--catalog", str(catalog_dir)]).exit_code == 0
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", code="https://code.example.org/alpha-net"))  # a warning
    warned = runner.invoke(main, ["validate", "--catalog", str(catalog_dir)])
    assert warned.exit_code == 0 and "warning" in warned.output
    assert runner.invoke(main, ["validate", "--catalog", str(catalog_dir), "--strict"]).exit_code == 1


def test_json_output_for_machines(catalog_dir):
    path = write_paper(catalog_dir, "gamma", paper_yaml("gamma", representation="[gausian]"))
    result = CliRunner().invoke(main, ["validate", "--catalog", str(catalog_dir), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["errors"] == 1 and report["files_checked"] == 12
    [problem] = [p for p in report["problems"] if p["rule"] not in QUIET_RULES]
    assert problem["path"].endswith("papers/gamma.yaml")
    assert problem["line"] == line_of(path, "representation:")
    assert problem["hint"] == "did you mean 'gaussian'?"


def test_missing_catalog_directory_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["validate", "--catalog", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "catalog directory not found" in result.output and "Traceback" not in result.output


def test_copied_contribution(catalog_dir):
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", contribution="a NEW network called ALPHA-NET"))
    problem = only([p for p in problems_of(catalog_dir) if p.rule == "duplicate-contribution"], "gamma.yaml")
    assert problem.message.startswith("same contribution as paper 'alpha-net'")


def test_a_misspelt_method_name_is_caught_from_its_own_abstract(catalog_dir):
    write_paper(
        catalog_dir,
        "gamma",
        paper_yaml("gamma", name="X-Gaussain", abstract="We propose X-Gaussian, a splatting method."),
    )
    problem = only(problems_of(catalog_dir), "gamma.yaml")
    assert (problem.rule, problem.severity, problem.hint) == (
        "name-spelling",
        Severity.WARNING,
        "did you mean 'X-Gaussian'?",
    )


def test_a_name_spelt_as_in_the_abstract_is_fine(catalog_dir):
    write_paper(catalog_dir, "gamma", paper_yaml("gamma", name="R²-Gaussian", abstract="We present R2-Gaussian."))
    assert problems_of(catalog_dir) == []


def test_a_paper_may_share_its_code_link_with_a_dataset_it_lists(catalog_dir):
    dataset = catalog_dir / "datasets" / "lidc.yaml"
    dataset.write_text(
        dataset.read_text().replace("https://data.example.org/lidc", "https://code.example.org/alpha-net")
    )
    assert problems_of(catalog_dir) == []  # alpha-net lists lidc: the data come with its code
    paper = catalog_dir / "papers" / "alpha-net.yaml"
    paper.write_text(paper.read_text().replace("datasets: [lidc]", "datasets: []"))
    problem = only(problems_of(catalog_dir), "lidc.yaml")
    assert (problem.rule, problem.severity) == ("duplicate-url", Severity.WARNING)


def test_a_task_note_beside_the_reviews_tasks_is_an_error(catalog_dir):
    dataset = catalog_dir / "datasets" / "lidc.yaml"
    dataset.write_text(dataset.read_text() + "tasks: [task-i]\ntasks_note: Our reason.\n", encoding="utf-8")
    problem = only(problems_of(catalog_dir), "lidc.yaml")
    assert problem.severity == Severity.ERROR and problem.message.startswith("tasks_note explains catalog-assigned")


def test_tasks_the_catalog_assigned_with_a_note_are_valid(catalog_dir):
    dataset = catalog_dir / "datasets" / "lidc.yaml"
    extra = "tasks: [task-i]\ntasks_source: catalog\ntasks_note: Our reason.\n"
    dataset.write_text(dataset.read_text() + extra, encoding="utf-8")
    assert problems_of(catalog_dir) == []
