"""Shared by the README, BibTeX, scaffold and contributor-flow tests: a repository in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from markdown_it import MarkdownIt
from minicatalog import write_mini_catalog

from ai4radiology.render.documents import CATALOG_MARKERS, FIELDS_MARKERS

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"

README_PROSE = f"""\
# A catalog

Hand-written introduction with a | pipe and a [link](https://example.org).

## Install

```sh
# not a heading: inside a code fence
pip install something
```

{CATALOG_MARKERS.start}
{CATALOG_MARKERS.end}

Hand-written closing words.
"""

CONTRIBUTING_PROSE = f"""\
# Contributing

Hand-written guide.

{FIELDS_MARKERS.start}
{FIELDS_MARKERS.end}
"""


def mini_repo(root: Path) -> Path:
    """A repository with the mini catalog, the real templates and README/CONTRIBUTING with empty markers."""
    write_mini_catalog(root / "catalog")
    shutil.copytree(TEMPLATES, root / "templates", ignore=shutil.ignore_patterns("site"))
    (root / "README.md").write_text(README_PROSE, encoding="utf-8")
    (root / "CONTRIBUTING.md").write_text(CONTRIBUTING_PROSE, encoding="utf-8")
    return root


def copy_of_repo(root: Path) -> Path:
    """The real catalog, templates, README.md and CONTRIBUTING.md, copied so a test can change them."""
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copytree(TEMPLATES, root / "templates", ignore=shutil.ignore_patterns("site"))
    for name in ("README.md", "CONTRIBUTING.md"):
        shutil.copy(REPO / name, root / name)
    return root


def generated_block(document: str) -> str:
    return document.split(CATALOG_MARKERS.start)[1].split(CATALOG_MARKERS.end)[0]


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table as GitHub-flavoured Markdown reads it: rows (header first) of cell plain texts."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    found: list[list[list[str]]] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            found[-1].append([])
        elif token.type in ("th_open", "td_open"):
            found[-1][-1].append(plain_text(tokens[i + 1]))
    return found


def plain_text(inline) -> str:
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))
