"""The pull-request path end to end, in a copy of the repository: CONTRIBUTING.md's worked example is run
as written (add from .bib, fill the TODOs, validate, render), and a contributor's mistakes are reported
at their lines, as text and as GitHub annotations."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt
from readme_kit import REPO, copy_of_repo, generated_block

from ai4radiology.catalog.annotations import format_github
from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.writer import dump_yaml
from ai4radiology.cli import main
from ai4radiology.cli.bib import add
from ai4radiology.cli.render import render


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(copy_of_repo(tmp_path))
    assert CliRunner().invoke(render, []).exit_code == 0  # start from a README rendered from this catalog
    return tmp_path


def worked_example() -> dict[str, list[str]]:
    """The code blocks of CONTRIBUTING.md's worked example, by language."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## A worked example", 1)[1].split("\n## ", 1)[0]
    blocks: dict[str, list[str]] = {}
    for token in MarkdownIt("commonmark").parse(section):
        if token.type == "fence":
            blocks.setdefault(token.info, []).append(token.content)
    return blocks


def without_added(text: str) -> str:
    return re.sub(r"^added: .*$", "added: <today>", text, flags=re.MULTILINE)


def validate(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def fill(path: Path, values: dict) -> None:
    """Replace the scaffold's one-line fields by `values`, as a contributor edits them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    filled = [
        dump_yaml({key: values[key]}).rstrip("\n") if (key := line.split(":")[0]) in values else line for line in lines
    ]
    path.write_text("\n".join(filled) + "\n", encoding="utf-8")


def test_worked_example_from_bib_file_to_one_new_readme_row(repo):
    example = worked_example()
    readme_before = (repo / "README.md").read_text(encoding="utf-8")
    (repo / "demonerf.bib").write_text(example["bibtex"][0], encoding="utf-8")

    result = CliRunner().invoke(add, ["--bibtex", "demonerf.bib"])
    assert result.exit_code == 0, result.output
    scaffold = repo / "catalog" / "papers" / "doe-2025-demonerf.yaml"
    assert without_added(scaffold.read_text(encoding="utf-8")) == without_added(example["yaml"][0])

    result = validate()
    assert result.exit_code == 1
    for line in example["text"][0].splitlines():
        assert line in result.output

    fill(scaffold, yaml.safe_load(example["yaml"][1]))
    result = validate()
    assert result.exit_code == 0, result.output

    assert CliRunner().invoke(render, []).exit_code == 0
    readme_after = (repo / "README.md").read_text(encoding="utf-8")
    diff = list(difflib.ndiff(readme_before.splitlines(), readme_after.splitlines()))
    added = [line[2:] for line in diff if line.startswith("+ ")]
    removed = [line[2:] for line in diff if line.startswith("- ")]
    row = (
        "| [DemoNeRF](https://doi.org/10.1000/demonerf.2025.1) ‡ | DemoNeRF: Neural Attenuation Fields for "
        "Sparse-View CT in Münster | IEEE TMI | 2025 | CT | no code |"
    )
    # the counts line and the 2026 scheme's Coordinate field row change; everything else stays
    assert len(removed) == 2 and "papers with code" in removed[0] and removed[1].startswith("| Coordinate field |")
    counts_line = removed[0].replace(_papers(removed[0]), _papers(removed[0], plus=1))
    assert added[:2] == [counts_line, row] and len(added) == 3
    assert "[DemoNeRF 2025](https://doi.org/10.1000/demonerf.2025.1) ‡" in added[2]
    nrf_table = generated_block(readme_after).split("### Neural Radiance Fields (NRF)")[1].split("\n## ")[0]
    assert row in nrf_table
    assert CliRunner().invoke(render, ["--check"]).exit_code == 0


def _papers(counts_line: str, plus: int = 0) -> str:
    number = int(re.search(r"\*\*(\d+) papers\*\*", counts_line).group(1))
    return f"**{number + plus} papers**"


def test_contributor_mistakes_are_reported_at_their_lines(repo):
    example = worked_example()
    (repo / "demonerf.bib").write_text(example["bibtex"][0], encoding="utf-8")
    CliRunner().invoke(add, ["--bibtex", "demonerf.bib"])
    path = repo / "catalog" / "papers" / "doe-2025-demonerf.yaml"
    fill(path, {**yaml.safe_load(example["yaml"][1]), "representation": ["nfr"]})
    path.write_text(
        "".join(line for line in path.read_text().splitlines(keepends=True) if not line.startswith("code:")),
        encoding="utf-8",
    )
    lines = path.read_text().splitlines()
    category_line = next(i for i, line in enumerate(lines, 1) if line.startswith("- nfr"))
    first_key_line = next(i for i, line in enumerate(lines, 1) if line.startswith("id:"))

    result = validate()
    assert result.exit_code == 1
    shown = "catalog/papers/doe-2025-demonerf.yaml"
    assert (
        f"{shown}:{category_line}:3: error: representation.0: unknown category 'nfr' (hint: did you mean 'nrf'?)"
    ) in result.output
    assert (
        f"{shown}:{first_key_line}:1: error: code: required field is missing (hint: add `code:` to this record)"
    ) in result.output

    annotations = format_github(load_catalog("catalog").problems, 0)
    assert (
        f"::error file={shown},line={category_line},col=3,title=representation.0::unknown category 'nfr' "
        "(hint: did you mean 'nrf'?)"
    ) in annotations.splitlines()


def test_stale_readme_fails_the_check_that_ci_runs(repo):
    paper = repo / "catalog" / "papers" / "naf.yaml"
    paper.write_text(paper.read_text().replace("year: 2022", "year: 2021"), encoding="utf-8")
    result = CliRunner().invoke(render, ["--check"])
    assert result.exit_code == 1
    assert re.search(r"^-\| \[NAF\].* \| 2022 \|", result.output, re.MULTILINE)
    assert re.search(r"^\+\| \[NAF\].* \| 2021 \|", result.output, re.MULTILINE)


def test_the_commands_are_registered_on_the_ai4radiology_command():
    assert {"render", "export", "add", "new"} <= set(main.list_commands(click.Context(main)))
