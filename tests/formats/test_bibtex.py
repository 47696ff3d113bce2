"""BibTeX out (`export bibtex`, `paper_bibtex`) and in (`parse_entries`), checked with bibtexparser and real BibTeX."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import middlewares
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from readme_kit import REPO

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.models import Paper, Topic
from ai4radiology.cli.bib import export
from ai4radiology.formats.bibtex import (
    BibtexError,
    catalog_bibtex,
    entry_type,
    paper_bibtex,
    parse_entries,
    reference_keys,
    title_word,
)
from ai4radiology.render.views import counts

# A style that makes BibTeX parse every entry, split every author list into names and case-change every
# title: what real styles do, without needing a TeX distribution's .bst files.
CHECK_STYLE = r"""
ENTRY { author title journal booktitle howpublished year doi url eprint } {} {}
INTEGERS { nameptr numnames }
FUNCTION {check.names}
{ author empty$
    'skip$
    { author num.names$ 'numnames :=
      #1 'nameptr :=
      { nameptr numnames #1 + < }
      { author nameptr "{ff~}{vv~}{ll}{, jj}" format.name$ write$ newline$
        nameptr #1 + 'nameptr := }
      while$ }
  if$ }
FUNCTION {begin.item}
{ "\bibitem{" cite$ * "}" * write$ newline$
  check.names }
FUNCTION {default.type}
{ begin.item
  title "t" change.case$ write$ newline$ }
FUNCTION {article} { default.type }
FUNCTION {inproceedings} { default.type }
FUNCTION {misc}
{ begin.item
  title empty$ 'skip$ { title "t" change.case$ write$ newline$ } if$ }
READ
ITERATE {call.type$}
"""

needs_bibtex = pytest.mark.skipif(
    shutil.which("bibtex") is None and os.environ.get("CI") != "true",
    reason="BibTeX not installed (apt-get install texlive-binaries); required under CI=true",
)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REPO / "catalog").require_valid()


def decoded(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text, append_middleware=[middlewares.LatexDecodingMiddleware()])
    assert not library.failed_blocks
    return library


def _authors(fields: dict) -> list[str]:
    return fields["author"].value.split(" and ") if "author" in fields else []


def run_bibtex(folder: Path, bib_text: str) -> tuple[subprocess.CompletedProcess, str]:
    """Real BibTeX over every entry of `bib_text`; returns the run and the .bbl it wrote."""
    (folder / "entries.bib").write_text(bib_text, encoding="utf-8")
    (folder / "check.bst").write_text(CHECK_STYLE, encoding="ascii")
    (folder / "check.aux").write_text("\\citation{*}\n\\bibdata{entries}\n\\bibstyle{check}\n", encoding="ascii")
    env = {**os.environ, "BIBINPUTS": str(folder), "BSTINPUTS": str(folder)}
    run = subprocess.run(["bibtex", "check"], cwd=folder, env=env, capture_output=True, text=True, timeout=60)
    bbl = folder / "check.bbl"
    return run, bbl.read_text(encoding="utf-8", errors="replace") if bbl.exists() else ""


# --- export ------------------------------------------------------------------------------------------


def test_catalog_bibtex_has_one_entry_per_paper_and_reference_with_stable_keys(catalog):
    library = decoded(catalog_bibtex(catalog))
    total = counts(catalog)
    assert len(library.entries) == total.papers + total.references
    keys = [entry.key for entry in library.entries]
    assert len(set(keys)) == len(keys)
    assert {p.id for p in catalog.papers} <= set(keys)
    assert catalog_bibtex(catalog) == catalog_bibtex(catalog)


def test_export_round_trips_titles_venues_years_and_identifiers(catalog):
    text = catalog_bibtex(catalog)
    entries = {entry.key: entry.fields_dict for entry in decoded(text).entries}
    # URLs and DOIs are verbatim fields (LaTeX decoding would read '--' as a dash and '%' as a comment).
    verbatim = {entry.key: entry.fields_dict for entry in bibtexparser.parse_string(text).entries}
    venues = catalog.venue_ids
    for paper in catalog.papers:
        fields = entries[paper.id]
        venue = venues[paper.venue]
        _kind, venue_field = entry_type(paper.venue, venue.kind if paper.title else "preprint")
        if paper.title:
            assert fields["title"].value == " ".join(paper.title.split()), paper.id
        else:  # an unknown title: @misc, the one common type where a title is optional
            assert "title" not in fields, paper.id
        assert fields[venue_field].value == venue.name
        assert [" ".join(a.split()) for a in _authors(fields)] == paper.authors, paper.id
        assert fields["year"].value == str(paper.year)
        assert verbatim[paper.id]["url"].value == paper.paper
        assert (verbatim[paper.id]["doi"].value if paper.doi else None) == paper.doi
        if paper.arxiv:
            assert fields["eprint"].value == paper.arxiv and fields["archiveprefix"].value == "arXiv"


def test_paper_bibtex_is_the_same_entry_as_in_catalog_bib(catalog):
    whole = catalog_bibtex(catalog)
    venues = catalog.venue_ids
    for paper in catalog.papers[:5]:
        entry = paper_bibtex(paper, venues[paper.venue])
        assert entry.startswith(f"@{entry_type(paper.venue, venues[paper.venue].kind)[0]}{{{paper.id},")
        assert entry in whole


@pytest.mark.parametrize(
    "paper_id, entry, field, venue_name",
    [
        ("corediff", "article", "journal", "IEEE Transactions on Medical Imaging"),
        ("naf", "inproceedings", "booktitle", "International Conference on Medical Image Computing"),
        ("dudotrans", "inproceedings", "booktitle", "International Workshop on Machine Learning for Medical Image"),
        ("gbir", "misc", "howpublished", "OpenReview submission"),
        ("implicitvol", "misc", "howpublished", "arXiv preprint"),
    ],
)
def test_the_venue_kind_sets_the_entry_type_and_the_full_name_is_written(catalog, paper_id, entry, field, venue_name):
    paper = catalog.paper_ids[paper_id]
    [parsed] = decoded(paper_bibtex(paper, catalog.venue_ids[paper.venue])).entries
    assert parsed.entry_type == entry
    assert " ".join(parsed.fields_dict[field].value.split()).startswith(venue_name)


@pytest.mark.parametrize(
    "venue, expected",
    [
        ("MICCAI", "inproceedings"),
        ("CVPR", "inproceedings"),
        ("Proc. SPIE Medical Imaging Conference", "inproceedings"),
        ("arXiv", "misc"),
        ("OpenReview", "misc"),
        ("IEEE TMI", "article"),
        ("Med. Phys.", "article"),
    ],
)
def test_entry_type_from_venue(venue, expected):
    assert entry_type(venue)[0] == expected


def test_special_characters_and_authors_survive_export():
    paper = Paper.model_validate(
        {
            "id": "odd",
            "name": "Odd",
            "title": "Müller's CT & 50% of $x_1$ #1 ~ \\ NeRF",
            "authors": ["Müller, Jörg", "van der Berg, Anna", "Barnes and Noble", "Li, Wei"],
            "venue": "IEEE TMI",
            "year": 2024,
            "modalities": ["CT"],
            "representation": ["nrf"],
            "contribution": "c",
            "abstract": "a",
            "paper": "https://example.org/a_b%20c{d}",
            "code": None,
            "added": "2025-06-17",
        }
    )
    library = bibtexparser.parse_string(
        paper_bibtex(paper), append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    assert not library.failed_blocks
    names = library.entries[0].fields_dict["author"].value
    assert [n.last for n in names] == [['M{\\"u}ller'], ["Berg"], ["{Barnes and Noble}"], ["Li"]]
    assert names[1].von == ["van", "der"]
    assert decoded(paper_bibtex(paper)).entries[0].fields_dict["title"].value == paper.title
    assert library.entries[0].fields_dict["url"].value == "https://example.org/a_b%20c%7Bd%7D"


def test_braces_in_the_data_cannot_unbalance_an_entry():
    paper = Paper.model_validate(
        {
            "id": "braces",
            "name": "B",
            "title": "One { two }} three {",
            "authors": ["{Doe", "Jane}"],
            "venue": "V}",
            "year": 2024,
            "modalities": ["CT"],
            "representation": ["nrf"],
            "contribution": "c",
            "abstract": "a",
            "paper": "https://example.org/{x",
            "code": None,
            "added": "2025-06-17",
        }
    )
    text = paper_bibtex(paper)
    assert _balanced(text)
    assert set(bibtexparser.parse_string(text).entries[0].fields_dict) == {"author", "title", "journal", "year", "url"}


@needs_bibtex
def test_real_bibtex_reads_the_catalog_export(catalog, tmp_path):
    run, bbl = run_bibtex(tmp_path, catalog_bibtex(catalog))
    assert run.returncode == 0, run.stdout
    assert "Warning" not in run.stdout
    total = counts(catalog)
    assert bbl.count("\\bibitem{") == total.papers + total.references


@needs_bibtex
def test_real_bibtex_rejects_what_it_should(tmp_path):
    """The BibTeX check is not vacuous: unbalanced braces and a four-comma name are errors."""
    run, _ = run_bibtex(tmp_path, "@article{x, title={a {b}, author={A, B, C, D}}\n")
    assert run.returncode != 0


hostile = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Cf"]), min_size=1, max_size=40).filter(
    lambda s: s.strip() and not s.strip().upper().startswith("TODO")
)


@settings(max_examples=150, deadline=None)
@given(title=hostile, venue=hostile, authors=st.lists(hostile, max_size=3))
def test_any_text_gives_an_entry_bibtexparser_reads_whole(title, venue, authors):
    paper = Paper.model_validate(
        {
            "id": "x",
            "name": "X",
            "title": title,
            "authors": authors,
            "venue": venue,
            "year": 2024,
            "modalities": ["CT"],
            "representation": ["nrf"],
            "contribution": "c",
            "abstract": "a",
            "paper": "https://example.org/x",
            "code": None,
            "added": "2025-06-17",
        }
    )
    library = bibtexparser.parse_string(paper_bibtex(paper))
    assert not library.failed_blocks
    assert [entry.key for entry in library.entries] == ["x"]
    assert set(library.entries[0].fields_dict) >= {"title", "year", "url"}
    assert _balanced(paper_bibtex(paper))


@needs_bibtex
@settings(max_examples=1, deadline=None)
@given(titles=st.lists(hostile, min_size=30, max_size=30), authors=st.lists(hostile, min_size=30, max_size=30))
def test_real_bibtex_reads_entries_made_of_any_text(titles, authors, tmp_path_factory):
    entries = "".join(
        paper_bibtex(
            Paper.model_validate(
                {
                    "id": f"p{i}",
                    "name": "X",
                    "title": title,
                    "authors": [author, "Doe, Jane"],
                    "venue": "V",
                    "year": 2024,
                    "modalities": ["CT"],
                    "representation": ["nrf"],
                    "contribution": "c",
                    "abstract": "a",
                    "paper": "https://example.org/x",
                    "code": None,
                    "added": "2025-06-17",
                }
            )
        )
        for i, (title, author) in enumerate(zip(titles, authors, strict=False))
    )
    run, bbl = run_bibtex(tmp_path_factory.mktemp("bibtex"), entries)
    assert run.returncode == 0, run.stdout
    assert bbl.count("\\bibitem{") == len(titles)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_export_command_writes_the_file(tmp_path, catalog):
    output = tmp_path / "out" / "catalog.bib"
    result = CliRunner().invoke(export, ["bibtex", "--catalog", str(REPO / "catalog"), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8") == catalog_bibtex(catalog)
    total = counts(catalog)
    assert f"wrote {total.papers + total.references} entries" in result.output


def test_export_refuses_an_invalid_catalog_without_traceback(tmp_path):
    result = CliRunner().invoke(export, ["bibtex", "--catalog", str(tmp_path / "missing")])
    assert result.exit_code == 1 and "catalog directory not found" in result.output
    assert "Traceback" not in result.output


# --- keys --------------------------------------------------------------------------------------------


def test_title_words():
    assert title_word("A Review of the NeRF: on CT") == "review"
    assert title_word("On the Use of 3D Gaussians") == "3d"


def test_reference_keys_do_not_move_when_a_reference_is_added():
    def topic(titles: list[str]) -> Topic:
        return Topic.model_validate(
            {
                "id": "fl",
                "title": "FL",
                "order": 1,
                "references": [{"title": t, "venue": "V", "year": 2022, "abstract": "a"} for t in titles],
            }
        )

    before = reference_keys(topic(["Federated priors", "Secure aggregation"]), set())
    after = reference_keys(topic(["Adaptive clients", "Federated priors", "Secure aggregation"]), set())
    assert before == ["fl-federated-2022", "fl-secure-2022"]
    assert after[1:] == before


# --- import ------------------------------------------------------------------------------------------

LATEX_ENTRY = r"""
@string{tmi = "IEEE Transactions on Medical Imaging"}
@article{Mueller2025,
  title = {{R$^2$}-{G}aussian: {M}{\"u}ller's \& {NeRF} --- Rectifying \textit{Splatting}},
  author = {M{\"u}ller, J{\"o}rg and van der Berg, Anna and {Barnes and Noble} and Li Wei},
  journal = tmi,
  year = 2025,
  doi = {https://doi.org/10.1109/TMI.2025.12\_34},
  abstract = {We show {\em things} in 50\% less time.},
}
@misc{arxivonly, title = {Just a preprint}, author = {Doe, Jane}, year = {2024},
  eprint = {2405.20693v2}, archivePrefix = {arXiv}}
@inproceedings{noauthor, title = "Quoted {T}itle", booktitle = {MICCAI}, year = {in press},
  url = {\url{https://example.org/~user/paper_1}}}
"""


def test_parse_entries_decodes_latex_and_fills_what_it_knows():
    first, second, third = parse_entries(LATEX_ENTRY)
    assert first.title == "R$^2$-Gaussian: Müller's & NeRF — Rectifying Splatting"  # math is kept as written
    assert first.authors == ("Müller, Jörg", "van der Berg, Anna", "Barnes and Noble", "Wei, Li")
    assert first.first_author_family == "Müller"
    assert first.venue == "IEEE Transactions on Medical Imaging"
    assert (first.year, first.doi, first.arxiv) == (2025, "10.1109/TMI.2025.12_34", None)
    assert first.paper_url == "https://doi.org/10.1109/TMI.2025.12_34"
    assert first.abstract == "We show things in 50% less time."
    assert first.line == 3
    assert (second.arxiv, second.venue, second.paper_url) == (
        "2405.20693v2",
        "arXiv",
        "https://arxiv.org/abs/2405.20693v2",
    )
    assert (third.title, third.year, third.authors) == ("Quoted Title", None, ())
    assert third.url == "https://example.org/~user/paper_1"


@pytest.mark.parametrize(
    "text, line",
    [
        ("@article{ok, title={fine}}\n\n@article{broken, title = {unbalanced, year=2020\n", 3),
        ("@article{a, title={x}}\n@article{a, title={y}}\n", 2),
        ("@article{names, author={A, B, C, D}, title={t}}\n", 1),
    ],
)
def test_unreadable_entries_are_reported_with_their_line(text, line):
    with pytest.raises(BibtexError) as error:
        parse_entries(text)
    assert f"line {line}:" in str(error.value)


def test_text_without_entries_is_an_error():
    with pytest.raises(BibtexError, match="no BibTeX entries found"):
        parse_entries("just some words\n")
