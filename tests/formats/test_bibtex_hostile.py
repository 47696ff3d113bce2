"""`add --bibtex` on entries that once crashed the import (issue 8, item 8): each is read or refused with
a message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from minicatalog import write_mini_catalog

from ai4radiology.cli import main
from ai4radiology.formats.bibtex import BibtexError, parse_entries


def entry(title: str, author: str = "Doe, Jane") -> str:
    return f"@article{{x2024, title = {{{title}}}, author = {{{author}}}, journal = {{IEEE TMI}}, year = {{2024}}}}\n"


@pytest.mark.parametrize(
    "title, shown",
    [
        (r"See \href{https://example.org}{the page}", "See https://example.org the page"),
        (r"Sparse CT\footnote{A note}", "Sparse CT[A note]"),
        (r"A \verb|x| trick", "A trick"),
        (r"A bare \verb", "A bare"),
        ("Red \x1b[31m text\x00", "Red [31m text"),
    ],
)
def test_latex_that_the_decoder_cannot_read_becomes_plain_text(title, shown):
    (parsed,) = parse_entries(entry(title))
    assert parsed.title == shown and parsed.title.isprintable()


@pytest.mark.parametrize("field", ["title", "author"])
def test_braces_nested_300_deep_are_refused_with_the_line(field):
    deep = "{" * 300 + "x" + "}" * 300
    text = "\n" + (entry(deep) if field == "title" else entry("A title", author=deep))
    with pytest.raises(BibtexError, match="line 2: braces nested more than 32 deep"):
        parse_entries(text)


def test_add_reports_deep_nesting_and_writes_nothing(tmp_path: Path):
    catalog = write_mini_catalog(tmp_path / "catalog")
    bib = tmp_path / "deep.bib"
    bib.write_text(entry("{" * 300 + "x" + "}" * 300), encoding="utf-8")
    before = sorted(p.name for p in (catalog / "papers").iterdir())
    result = CliRunner().invoke(main, ["add", "--catalog", str(catalog), "--bibtex", str(bib)])
    assert result.exit_code == 1 and "braces nested more than 32 deep" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in (catalog / "papers").iterdir()) == before


def test_add_finds_a_near_duplicate_among_many_similar_titles(tmp_path: Path):
    """The index finds the one-word-apart title among entries that all share most words."""
    catalog = write_mini_catalog(tmp_path / "catalog")
    shared = "Deep sparse view neural field reconstruction for radiology"
    entries = [entry(f"{shared} variant{i} case{i}").replace("x2024", f"k{i}") for i in range(60)]
    entries.append(entry(f"{shared} variant7 cases7").replace("x2024", "typo"))  # 'case7' mistyped
    bib = tmp_path / "many.bib"
    bib.write_text("\n".join(entries), encoding="utf-8")
    result = CliRunner().invoke(main, ["add", "--catalog", str(catalog), "--bibtex", str(bib)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "nearly the same title" in line]
    assert len(warnings) == 1  # the 61st entry, written as doe-2024-deep-61, matches the 8th only
    assert "doe-2024-deep-61.yaml has nearly the same title as " in warnings[0]
    assert warnings[0].endswith("doe-2024-deep-8.yaml: delete it if it is the same paper")
