"""Property: whatever text the catalog holds, the site's HTML has only the markup its templates put there.

Every text field of every record kind (and the link checker's report) gets hostile text: the payloads
that once became HTML attributes, admonitions or link titles, plus arbitrary text. Each page is rendered
by the site's templates and converted by Python-Markdown with mkdocs.yml's extensions, exactly as MkDocs
does; the HTML is parsed and compared with the same catalog filled with plain words: the same elements
with the same attribute names, no `on*` attribute, no URL scheme but http(s), no absolute URL that is not
the catalog's. A real MkDocs build with the worst payloads checks the theme's part (titles, descriptions).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
from hostile_vocabularies import hostile_vocabularies
from htmlscan import Element, PageScan, scan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data
from sitecatalog import REPO, build

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.kinds import KINDS
from ai4radiology.catalog.models import Dataset, Paper, Review, Topic, Venues
from ai4radiology.catalog.writer import dump_yaml
from ai4radiology.website.build import load_mkdocs_config
from ai4radiology.website.linkmarks import LinkMark
from ai4radiology.website.pages import SitePages

# What once turned data into markup on the site, and what could.
PAYLOADS = [
    "{onclick=alert(1)}",
    '{tabindex=0 autofocus onfocus="alert(1)"}',
    "{: .admonition onmouseover=alert(1) }",
    "!!! danger",
    '!!! note "x"',
    "??? note",
    "???+ note",
    "\\~",
    "\\=",
    "~~~",
    "===",
    "'",
    '"',
    '" onmouseover="alert(1)',
    "<img src=x onerror=alert(1)>",
    '<div markdown="1">',
    "[x](javascript:alert(1))",
    "[x]: javascript:alert(1)",
    "![i](https://e.org/i.png)",
    "<https://evil.example.org>",
    "[TOC]",
    "*[HTML]: x",
    "|",
    "`",
    "```",
    "*",
    "_",
    "#",
    "&amp;",
    "&#123;",
    "\\",
    "- ",
    "1. ",
    "> ",
    "    ",
    "\n",
    "\n\n",
    "\n\n!!! note\n\n",
    "<!--",
]
piece = st.sampled_from(PAYLOADS) | st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Cf"]), max_size=6)
prose = (
    st.lists(piece, min_size=1, max_size=5)
    .map("".join)
    .filter(lambda s: s.strip() and not s.strip().upper().startswith("TODO"))
)
hostile = prose.map(lambda s: " ".join(s.split())).filter(bool)  # names and titles are one line
url_path = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=16)
hostile_url = st.builds(lambda path: f"https://example.org/{path}", url_path)


def catalog_from(text, url, long=None) -> Catalog:
    """A catalog with one record of each kind; every text field from `text()` (or `long()` for text that
    may run over paragraphs), every URL from `url()`."""
    long = long or text
    vocabularies = hostile_vocabularies(text, long)
    review = Review.model_validate(
        {
            "title": text(),
            "authors": [{"name": text()}],
            "arxiv": "2504.11349",
            "url": url(),
            "repository": url(),
            "bibtex": long(),
            "abstract": long(),
            "intro": {key: long() for key in ("papers", "datasets", "topics", "explicit")},
        }
    )
    venue = text()
    venues = Venues.model_validate({"venues": [{"id": venue, "name": text(), "kind": "journal"}]})
    datasets = [
        Dataset.model_validate(
            {
                "id": "d",
                "name": text(),
                "modalities": ["CT"],
                "description": long(),
                "url": url(),
                "size": text(),
                "tasks": ["task-i"],
                "access": "open",
                "added": dt.date(2025, 6, 17),
            }
        )
    ]
    papers = [
        Paper.model_validate(
            {
                "id": "p",
                "name": text(),
                "title": text(),
                "authors": [text(), text()],
                "venue": venue,
                "year": 2024,
                "modalities": ["CT"],
                "representation": ["slice"],
                "representation_note": long(),
                "taxonomy_2026": {"category": "volume", "source": "catalog", "note": long()},
                "contribution": long(),
                "abstract": long(),
                "paper": url(),
                "code": url(),
                "project": url(),
                "doi": "10.1000/x.1",
                "arxiv": "2401.00001",
                "datasets": ["d"],
                "added": dt.date(2025, 6, 17),
            }
        )
    ]
    topics = [
        Topic.model_validate(
            {
                "id": "t",
                "title": text(),
                "order": 1,
                "summary": long(),
                "references": [
                    {"title": text(), "venue": text(), "year": 2020, "url": url(), "code": url(), "abstract": long()}
                ],
            }
        )
    ]
    return Catalog(
        root=Path("catalog"),
        review=review,
        papers=tuple(papers),
        datasets=tuple(datasets),
        topics=tuple(topics),
        venues=venues,
        **vocabularies,
    )


def record_urls_of(catalog: Catalog) -> set[str]:
    """Every URL the catalog holds, as written (link marks are looked up by these)."""
    paper, dataset, reference = catalog.papers[0], catalog.datasets[0], catalog.topics[0].references[0]
    found = {paper.paper, paper.code, paper.project, dataset.url, reference.url, reference.code}
    found |= {catalog.review.url, catalog.review.repository}
    return {u for u in found if u}


def catalog_urls(catalog: Catalog) -> set[str]:
    """The same URLs percent-decoded, to compare with the links a page holds."""
    return {unquote(u) for u in record_urls_of(catalog)}


@cache
def markdown_settings() -> tuple[list, dict]:
    config = load_mkdocs_config(REPO / "mkdocs.yml", docs_dir=Path("build") / "property-docs")
    return config.markdown_extensions, config.mdx_configs


def to_html(page: str) -> tuple[ShapeScan, dict]:
    """A generated page as MkDocs turns it into HTML (front matter apart), parsed."""
    source, meta = get_data(page)
    extensions, configs = markdown_settings()
    parser = ShapeScan()
    parser.feed(markdown.Markdown(extensions=extensions, extension_configs=configs).convert(source))
    parser.close()
    return parser, meta


def pages_of(catalog: Catalog, marks: dict[str, LinkMark]) -> dict[str, tuple[PageScan, dict]]:
    def url_of(source: str) -> str:
        return source.removesuffix(".md") + ".html" if source.endswith(".md") else source

    files = SitePages(catalog, REPO / "templates", url_of, link_marks=marks).files()
    return {name: to_html(text) for name, text in files.items() if name.endswith(".md")}


def marks_for(catalog: Catalog, final_url: str) -> dict[str, LinkMark]:
    return {url: LinkMark("moved", 301, final_url, dt.date(2026, 1, 2)) for url in record_urls_of(catalog)}


class ShapeScan(PageScan):
    """Also sets apart the elements inside <pre>: the highlighter's token spans, which vary with the text."""

    def __init__(self) -> None:
        super().__init__()
        self.in_code: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inside_code = "pre" in self._open
        super().handle_starttag(tag, attrs)
        if inside_code:
            self.in_code.append(self.elements.pop())


def scan_shape(path: Path) -> ShapeScan:
    parser = ShapeScan()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def shape(page: ShapeScan) -> Counter:
    """What the templates decide: elements, their attribute names and classes (paragraph count aside:
    blank lines in a text make paragraphs; inside code blocks only token spans may vary)."""
    tokens = [e for e in page.in_code if e.tag == "span"]
    assert all(set(e.attrs) <= {"class"} for e in tokens), tokens
    kept = [e for e in page.elements if e.tag != "p"] + [e for e in page.in_code if e.tag != "span"]
    return Counter((e.tag, tuple(sorted(e.attrs)), e.attrs.get("class")) for e in kept)


def urls_in(page: PageScan) -> list[str]:
    return [v for e in page.elements for k, v in e.attrs.items() if k in ("href", "src", "action") and v]


@cache
def clean_pages() -> dict[str, tuple[PageScan, dict]]:
    catalog = catalog_from(lambda: "plain words", lambda: "https://example.org/plain")
    return pages_of(catalog, marks_for(catalog, "https://example.org/moved"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_hostile_text_in_any_field_adds_no_markup_to_the_site(data):
    catalog = catalog_from(lambda: data.draw(hostile), lambda: data.draw(hostile_url), lambda: data.draw(prose))
    pages = pages_of(catalog, marks_for(catalog, data.draw(hostile)))
    clean = clean_pages()
    allowed_urls = catalog_urls(catalog) | {u for page, _ in clean.values() for u in urls_in(page)}
    assert pages.keys() == clean.keys()
    for name, (page, meta) in pages.items():
        assert shape(page) == shape(clean[name][0]), name
        attributes = {k for e in page.elements for k in e.attrs}
        assert not [a for a in attributes if a.startswith("on")], name
        for url in urls_in(page):
            scheme = urlsplit(url).scheme
            assert scheme in ("", "http", "https"), (name, url)
            assert not scheme or unquote(url) in allowed_urls or url in allowed_urls, (name, url)
        assert isinstance(meta.get("title"), str) and isinstance(meta.get("description"), str), name


def test_the_property_would_notice_an_injected_attribute():
    """Not vacuous: the same page with attr_list's syntax unescaped gains an attribute the clean page lacks."""
    extensions, configs = markdown_settings()
    with_attr_list = markdown.Markdown(extensions=[*extensions, "attr_list"], extension_configs=configs)
    injected = ShapeScan()
    injected.feed(with_attr_list.convert("# Title {onclick=alert(1)}"))
    plain, _ = to_html("# Title \\{onclick=alert(1)\\}")
    assert shape(injected) != shape(plain)
    assert "onclick" in injected.elements[0].attrs


WORST = 'x {tabindex=0 autofocus onfocus="alert(1)"} ??? !!! note \\~ \\= \' " <img src=x onerror=alert(1)>'


def write_catalog(root: Path, catalog: Catalog) -> Path:
    """A catalog folder holding `catalog`'s records, one file per record as the record-kind registry says."""
    for kind in KINDS:
        records = getattr(catalog, kind.attribute)
        if kind.folder:
            (root / kind.folder).mkdir(parents=True)
            for record in records:
                data = record.model_dump(exclude_none=True)
                kind.path(root, record.id).write_text(dump_yaml(data), encoding="utf-8")
        elif records is not None:
            kind.path(root).write_text(dump_yaml(records.model_dump(exclude_none=True)), encoding="utf-8")
    return root


def test_a_real_build_with_the_worst_payloads_has_only_the_clean_builds_markup(tmp_path):
    counter = iter(range(10_000))
    worst = catalog_from(lambda: f"{WORST} {next(counter)}", lambda: "https://example.org/a'b'")
    plain = catalog_from(lambda: f"plain {next(counter)}", lambda: "https://example.org/ab")
    sites = {}
    for name, catalog in (("worst", worst), ("plain", plain)):
        sites[name] = build(write_catalog(tmp_path / name / "catalog", catalog), tmp_path / name)
    pages = sorted(p.relative_to(sites["plain"]) for p in sites["plain"].rglob("*.html"))
    assert pages == sorted(p.relative_to(sites["worst"]) for p in sites["worst"].rglob("*.html"))
    for page in pages:
        bad, good = scan_shape(sites["worst"] / page), scan_shape(sites["plain"] / page)
        assert shape(bad) == shape(good), page
        assert not [a for e in bad.elements for a in e.attrs if a.startswith("on")], page
    paper = scan(sites["worst"] / "papers" / "p.html")
    assert "https://example.org/a%27b%27" in paper.links()
    assert WORST in paper.text and "\\~" in paper.text  # shown as written, backslashes included
