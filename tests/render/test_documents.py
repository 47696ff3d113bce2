"""`ai4radiology render`: the README's catalog section and CONTRIBUTING's field reference, from the catalog."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from minicatalog import paper_yaml
from readme_kit import CONTRIBUTING_PROSE, README_PROSE, REPO, generated_block, mini_repo, tables

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.models import Dataset, Paper, Topic
from ai4radiology.cli.render import render
from ai4radiology.render.documents import CATALOG_MARKERS, CodeBlock, GithubSlugger, Markdown, document_headings
from ai4radiology.render.views import counts


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(mini_repo(tmp_path))
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(render, list(args), catch_exceptions=False)


def add_paper(repo: Path, paper_id: str, **fields: str) -> None:
    (repo / "catalog" / "papers" / f"{paper_id}.yaml").write_text(paper_yaml(paper_id, **fields), encoding="utf-8")


def readme(repo: Path) -> str:
    return (repo / "README.md").read_text(encoding="utf-8")


def paper_tables(document: str) -> dict[str, list[list[str]]]:
    """Category heading -> rows (header first) of that category's paper table."""
    sections = re.split(r"^### (.+)$", generated_block(document), flags=re.MULTILINE)
    return {
        title: (tables(body) or [[]])[0]
        for title, body in zip(sections[1::2], sections[2::2], strict=False)
        if "| Name |" in body or "No papers" in body
    }


def test_render_fills_the_block_and_keeps_the_prose(repo):
    result = run()
    assert result.exit_code == 0, result.output
    text = readme(repo)
    before, after = README_PROSE.split(CATALOG_MARKERS.start)[0], README_PROSE.split(CATALOG_MARKERS.end)[1]
    assert text.startswith(before + CATALOG_MARKERS.start + "\n")
    assert text.endswith(CATALOG_MARKERS.end + after)
    assert "AlphaNet" in generated_block(text)


def test_second_render_changes_nothing_and_check_passes(repo):
    run()
    first = readme(repo), (repo / "CONTRIBUTING.md").read_text()
    assert "up to date" in run().output
    assert (readme(repo), (repo / "CONTRIBUTING.md").read_text()) == first
    assert run("--check").exit_code == 0


def test_check_fails_with_a_unified_diff_and_writes_nothing(repo):
    run()
    add_paper(repo, "gamma-net", name="GammaNet", year="2024")
    before = readme(repo)
    result = CliRunner().invoke(render, ["--check"])
    assert result.exit_code == 1
    assert "--- README.md (committed)" in result.output and "+++ README.md (rendered)" in result.output
    assert re.search(r"^\+\| \[GammaNet\]\(https://papers\.example\.org/gamma-net\) \|", result.output, re.MULTILINE)
    assert "run `ai4radiology render`" in result.output
    assert "Traceback" not in result.output
    assert readme(repo) == before


def test_counts_come_from_the_catalog(repo):
    run()
    catalog = load_catalog(repo / "catalog").require_valid()
    total = counts(catalog)
    line = next(line for line in generated_block(readme(repo)).splitlines() if "papers with code" in line)
    assert f"**{total.papers} papers**" in line
    assert f"**{total.datasets} datasets**" in line
    assert f"**{total.with_code} papers with code**" in line


def test_rows_sorted_by_year_then_name_and_a_paper_in_two_categories_is_in_both(repo):
    add_paper(repo, "zeta-net", name="ZetaNet", year="2019", representation="[slice, nrf]")
    add_paper(repo, "aa-net", name="aaNet", year="2023")
    run()
    by_category = paper_tables(readme(repo))
    slice_names = [row[0] for row in by_category["Slice"][1:]]
    assert slice_names == ["ZetaNet", "aaNet", "AlphaNet"]  # 2019; then 2023 by name, case-insensitive
    assert "ZetaNet" in [row[0] for row in by_category["Neural Radiance Fields (NRF)"][1:]]


def test_rows_have_the_issue_columns_and_mark_missing_code(repo):
    run()
    rows = paper_tables(readme(repo))["Implicit Prior Embedding (IPE)"]
    assert rows[0] == ["Name", "Title", "Venue", "Year", "Modality", "Code"]
    beta = next(row for row in rows if row[0] == "BetaNet")
    assert beta[1:] == ["Title of beta-net for sparse-view CT", "IEEE TMI", "2023", "CT", "no code"]


def test_empty_category_says_so_instead_of_an_empty_table(repo):
    run()
    assert paper_tables(readme(repo))["Gaussian"] == []
    assert "No papers in this category yet." in readme(repo)


def test_dataset_and_topic_tables(repo):
    run()
    found = tables(generated_block(readme(repo)))
    datasets = next(t for t in found if t[0][0] == "Name" and "Tasks" in t[0])
    assert datasets[0] == ["Name", "Modality", "Description", "Size", "Tasks", "Link"]
    assert datasets[1] == ["LIDC", "CT", "Lung CT.", "–", "–", "website"]
    topic = next(t for t in found if t[0][0] == "Title")
    assert topic[0] == ["Title", "Venue", "Year", "Links"]
    assert topic[1] == ["A transfer paper", "AIM", "2021", "paper"]


def test_every_contents_link_reaches_a_heading_on_github(repo):
    (repo / "README.md").write_text(README_PROSE.replace("## Install", "## Datasets"), encoding="utf-8")
    run()
    document = readme(repo)
    slugger = GithubSlugger()
    anchors = {slugger.slug(heading) for heading in document_headings(document)}
    links = re.findall(r"\]\(#([^)]+)\)", generated_block(document))
    assert links and set(links) <= anchors
    assert "datasets-1" in links  # the hand-written '## Datasets' above takes 'datasets'


@pytest.mark.parametrize(
    "headings, expected",
    [
        (["Hello World!"], ["hello-world"]),
        (["Implicit Prior Embedding (IPE)"], ["implicit-prior-embedding-ipe"]),
        (["C++ & Python"], ["c--python"]),
        (["Test-Time Training"], ["test-time-training"]),
        (["Ünïcode Straße"], ["ünïcode-straße"]),
        (["Foo", "Foo", "Foo-1"], ["foo", "foo-1", "foo-1-1"]),
    ],
)
def test_slugs_follow_github(headings, expected):
    slugger = GithubSlugger()
    assert [slugger.slug(h) for h in headings] == expected


def test_citation_fence_is_longer_than_any_backtick_run_in_it():
    bibtex = "@article{x,\n  note = {```` four and ``` three},\n}\n```"
    block = CodeBlock("bibtex", Markdown(bibtex))
    markdown = f"{block.fence}{block.info}\n{block.text}\n{block.fence}\n"
    fences = [t for t in MarkdownIt("commonmark").parse(markdown) if t.type == "fence"]
    assert len(fences) == 1 and fences[0].content == bibtex + "\n"


def test_marker_text_in_the_review_bibtex_stops_the_render(repo):
    review = repo / "catalog" / "review.yaml"
    review.write_text(review.read_text().replace("title={A review}", f"note={{{CATALOG_MARKERS.end}}}"))
    result = CliRunner().invoke(render, [])
    assert result.exit_code == 1 and "contains a marker line" in result.output
    assert readme(repo) == README_PROSE


def test_citation_shows_the_review_bibtex(repo):
    run()
    code = [t for t in MarkdownIt("commonmark").parse(readme(repo)) if t.type == "fence" and t.info == "bibtex"]
    assert code[0].content == "@article{a, title={A review}}\n"


def test_readme_without_markers_is_a_clear_error(repo):
    (repo / "README.md").write_text("# Just prose\n", encoding="utf-8")
    result = CliRunner().invoke(render, [])
    assert result.exit_code == 1
    assert CATALOG_MARKERS.start in result.output and CATALOG_MARKERS.end in result.output
    assert "Traceback" not in result.output
    assert readme(repo) == "# Just prose\n"


def test_doubled_markers_are_a_clear_error(repo):
    (repo / "README.md").write_text(README_PROSE + CATALOG_MARKERS.start + "\n", encoding="utf-8")
    result = CliRunner().invoke(render, [])
    assert result.exit_code == 1 and "keep one of each" in result.output


def test_missing_readme_or_templates_is_a_clear_error(repo):
    result = CliRunner().invoke(render, ["--readme", "NOPE.md"])
    assert result.exit_code == 1 and "NOPE.md not found" in result.output
    result = CliRunner().invoke(render, ["--templates", "nowhere"])
    assert result.exit_code == 1 and "templates folder 'nowhere' not found" in result.output


def test_invalid_catalog_stops_render_with_the_validator_report(repo):
    add_paper(repo, "gamma-net", representation="[gausian]")
    result = CliRunner().invoke(render, [])
    assert result.exit_code == 1
    assert "unknown category 'gausian'" in result.output
    assert readme(repo) == README_PROSE


def test_interrupted_render_leaves_the_old_readme_whole(repo, monkeypatch):
    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)  # Ctrl-C between writing the new text and renaming it
    result = CliRunner().invoke(render, [])
    assert result.exit_code == 1 and "Aborted" in result.output
    assert readme(repo) == README_PROSE
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".")) == []


def test_contributing_field_reference_comes_from_the_models(repo):
    run()
    text = (repo / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert text.startswith(CONTRIBUTING_PROSE.split("<!-- fields:start -->")[0])
    found = tables(text)
    for model in (Paper, Dataset, Topic):
        table = next(t for t in found if [row[0] for row in t[1:]] == list(model.model_fields))
        for row in table[1:]:
            field = model.model_fields[row[0]]
            assert row[1] == ("yes" if field.is_required() else "no")
            assert row[3] == (field.description or "–")


def test_contributing_lists_categories_from_the_taxonomy_and_goes_stale_with_it(repo):
    run()
    taxonomy = repo / "catalog" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("Radiance fields.", "Fields of radiance along rays."))
    result = CliRunner().invoke(render, ["--check"])
    assert result.exit_code == 1
    assert "+| `nrf` | Neural Radiance Fields | Fields of radiance along rays. |" in result.output
    assert "CONTRIBUTING.md" in result.output


def test_committed_readme_and_contributing_are_rendered_from_the_committed_catalog(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(render, ["--check"])
    assert result.exit_code == 0, result.output
