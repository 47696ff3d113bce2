"""Values a stranger's pull request may hold that once crashed every command or reached the output unseen
(issue 8, items 6, 7 and 10): each is one located problem, and every command stops cleanly on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from minicatalog import QUIET_RULES, paper_yaml, write_mini_catalog

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.problems import Severity
from ai4radiology.catalog.sametext import fingerprint
from ai4radiology.cli import main


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write_mini_catalog(tmp_path / "catalog")


def problems_in(catalog_dir: Path, file_name: str):
    """The problems of one file, less the mini catalog's expected warnings (QUIET_RULES)."""
    problems = load_catalog(catalog_dir).problems
    return [p for p in problems if p.location.path.endswith(file_name) and p.rule not in QUIET_RULES]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("added", "2025-06-31", "'2025-06-31' is not a real date"),
        ("added", "2025-13-45", "'2025-13-45' is not a real date"),
        ("year", "9" * 5000, "is not a number this catalog can hold"),
        ("venue", '"IEEE\\0TMI"', "U+0000"),
        ("venue", '"IEEE\\eTMI"', "U+001B"),
        ("title", '"Two\\nlines"', "U+000A"),
        ("name", '"Alpha\\u200bNet"', "U+200B ZERO WIDTH SPACE"),
        ("name", '"Alpha\\u202eNet"', "RIGHT-TO-LEFT OVERRIDE"),
        ("abstract", '"An \\x07 abstract"', "U+0007"),
        ("code", '"https://code.example.org/\\e[31m"', "U+001B"),
    ],
)
def test_unreadable_or_invisible_values_are_located_errors(catalog_dir, field, value, message):
    path = catalog_dir / "papers" / "gamma.yaml"
    path.write_text(paper_yaml("gamma", **{field: value}), encoding="utf-8")
    problems = problems_in(catalog_dir, "gamma.yaml")
    assert [p.field for p in problems] == [field], [p.format() for p in problems]
    problem = problems[0]
    assert problem.severity is Severity.ERROR and message in problem.message
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith(f"{field}:"))
    assert (problem.location.line, problem.location.column) == (line, len(field) + 3)
    assert problem.format().isprintable()  # nothing of the value reaches the terminal raw


def test_long_text_may_hold_line_breaks(catalog_dir):
    (catalog_dir / "papers" / "gamma.yaml").write_text(
        paper_yaml("gamma", abstract='"First paragraph.\\n\\nSecond\\tparagraph."'), encoding="utf-8"
    )
    assert problems_in(catalog_dir, "gamma.yaml") == []


@pytest.mark.parametrize("command", [["validate"], ["render", "--check"], ["build"], ["export", "bibtex"]])
def test_every_command_reports_an_impossible_date_without_a_traceback(catalog_dir, command, monkeypatch):
    (catalog_dir / "papers" / "gamma.yaml").write_text(paper_yaml("gamma", added="2025-06-31"), encoding="utf-8")
    monkeypatch.chdir(catalog_dir.parent)
    result = CliRunner().invoke(main, [*command, "--catalog", str(catalog_dir)])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "gamma.yaml:13:8: error: added: '2025-06-31' is not a real date" in result.output


def test_lookalike_letters_do_not_hide_a_duplicate_title(catalog_dir):
    title = "Title of alpha-net for sparse-view CT"
    disguised = title.replace("a", "\u0430").replace("e", "\u0435").replace("o", "\u043e")  # Cyrillic а, е, о
    assert fingerprint(disguised) == fingerprint(title)
    (catalog_dir / "papers" / "gamma.yaml").write_text(paper_yaml("gamma", title=disguised), encoding="utf-8")
    problems = problems_in(catalog_dir, "gamma.yaml")
    duplicate = [p for p in problems if p.rule == "duplicate-title"]
    assert duplicate and duplicate[0].severity is Severity.ERROR and "alpha-net" in duplicate[0].message
    lookalike = [p for p in problems if p.rule == "lookalike-letters"]
    assert lookalike and lookalike[0].field == "title" and "cyrillic" in lookalike[0].message


def test_lookalike_letters_in_a_name_are_flagged(catalog_dir):
    (catalog_dir / "papers" / "gamma.yaml").write_text(paper_yaml("gamma", name="N\u0435RF"), encoding="utf-8")
    flagged = [p for p in problems_in(catalog_dir, "gamma.yaml") if p.rule == "lookalike-letters"]
    assert [(p.field, p.severity) for p in flagged] == [("name", Severity.WARNING)]


def test_a_greek_letter_that_looks_like_no_latin_one_is_not_flagged(catalog_dir):
    (catalog_dir / "papers" / "gamma.yaml").write_text(paper_yaml("gamma", name="\u03bc-Net"), encoding="utf-8")
    assert not [p for p in problems_in(catalog_dir, "gamma.yaml") if p.rule == "lookalike-letters"]


def test_copied_abstracts_with_zero_width_characters_are_still_duplicates(catalog_dir):
    abstract = "The abstract of alpha-net."
    disguised = "The\u00a0abstract of alph\u0430-net."  # no-break space, Cyrillic а
    assert fingerprint(disguised) == fingerprint(abstract)
    (catalog_dir / "papers" / "gamma.yaml").write_text(paper_yaml("gamma", abstract=f'"{disguised}"'), encoding="utf-8")
    assert [p.rule for p in problems_in(catalog_dir, "gamma.yaml")] == ["duplicate-abstract"]


def test_a_key_with_control_characters_is_shown_escaped(catalog_dir):
    (catalog_dir / "papers" / "gamma.yaml").write_text(paper_yaml("gamma") + '"ti\\etle": x\n', encoding="utf-8")
    (problem,) = problems_in(catalog_dir, "gamma.yaml")
    assert "unknown field 'ti\\x1btle'" in problem.format() and problem.format().isprintable()
