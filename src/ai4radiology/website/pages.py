"""The site's pages and data files, rendered from the catalog for MkDocs to build.

Everything the site shows comes from here: Markdown pages (jinja2 templates in
`<templates>/site/`), the explorer's JSON index, catalog.json and its schemas,
catalog.bib and the Atom feed. Templates get ready-made structures and only lay
them out. The environment escapes by default: every `{{ ... }}` is catalog text, escaped for
Markdown (and for quoted HTML attributes), unless it is trusted markup, marked explicitly: a
`Markdown` string built here (`|attr` or `|e` for raw HTML), or Markup (`|safe` on a macro's output).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
from mkdocs.utils import get_relative_url

from ai4radiology.catalog.loader import Catalog
from ai4radiology.catalog.models import Category, Dataset, Family, Modality, Paper, Record, arxiv_url, doi_url
from ai4radiology.formats.bibtex import catalog_bibtex, paper_bibtex
from ai4radiology.formats.catalogjson import catalog_json, published_schemas
from ai4radiology.formats.feed import atom_feed, newest_papers
from ai4radiology.render import escape as mdtext
from ai4radiology.render.escape import Markdown
from ai4radiology.render.views import (
    category_views,
    counts,
    family_views,
    modality_views,
    paper_order,
    papers_per_modality,
    papers_per_year,
    sorted_datasets,
    sorted_topics,
)
from ai4radiology.website.charts import Series, horizontal_bars, stacked_years
from ai4radiology.website.linkmarks import LinkMark

SITE_TEMPLATES = "site"  # under the --templates folder
ASSETS = "assets"  # <templates>/site/assets/** is copied to <docs>/assets/site/**
DESCRIPTION_LENGTH = 200  # search engines and link previews show about this much
NEWEST_ON_HOME = 5

UrlOf = Callable[[str], str]  # a docs source path -> its URL relative to the site root


class TemplateProblem(Exception):
    """A site template cannot be read or rendered; the message names the template and line."""


@dataclass(frozen=True)
class PaperLink:
    label: str
    url: str


def paper_links(paper: Paper) -> list[PaperLink]:
    """The outgoing links of a paper page, in reading order; DOI and arXiv ids become their resolver URLs."""
    links = [PaperLink("Paper", paper.paper)]
    if paper.code:
        links.append(PaperLink("Code", paper.code))
    if paper.doi:
        links.append(PaperLink(f"DOI {paper.doi}", doi_url(paper.doi)))
    if paper.arxiv:
        links.append(PaperLink(f"arXiv {paper.arxiv}", arxiv_url(paper.arxiv)))
    if paper.project:
        links.append(PaperLink("Project page", paper.project))
    return links


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-") or "item"


# Characters YAML does not allow in a document, escaped or not (control characters, surrogates).
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def front_matter_text(value: object) -> Markdown:
    """A YAML string for page front matter. MkDocs themes print `title`/`description` unescaped into
    HTML, so the text is HTML-escaped here; JSON strings are valid YAML."""
    printable = _NOT_YAML_PRINTABLE.sub("", " ".join(str(value).split()))
    return Markdown(json.dumps(html.escape(printable), ensure_ascii=False))


def description(value: object) -> str:
    return textwrap.shorten(" ".join(str(value).split()), DESCRIPTION_LENGTH, placeholder=" …")


def site_text(value: object) -> Markdown:
    """Catalog text for a site page: escaped for Markdown and for a quoted HTML attribute alike."""
    return Markdown(mdtext.text(value, quotes=True))


def site_cell(value: object) -> Markdown:
    return Markdown(mdtext.cell(value, quotes=True))


# In raw HTML the browser decodes character references, but Markdown's inline patterns (code spans,
# escapes, links, emphasis) still run over inline HTML: every character they read becomes a reference.
_ATTRIBUTE_SPECIAL = re.compile(r"""[&<>"'`\\\[\]*_{}!~|]""")


def attribute(value: object) -> Markdown:
    """Text for raw HTML (an attribute's quoted value, or an element's text): one line, every character
    that HTML or Markdown would read written as a character reference.

    One line, because a line break inside raw HTML would end the HTML block for Markdown.
    """
    one_line = " ".join(str(value).split())
    return Markdown(_ATTRIBUTE_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", one_line))


def paragraphs(value: object) -> Markdown:
    """Multi-paragraph text as escaped Markdown paragraphs (blank lines in the source separate them)."""
    parts = re.split(r"\n\s*\n", str(value))
    return Markdown("\n\n".join(site_text(part) for part in parts if part.strip()))


def code_fence(value: str) -> Markdown:
    """A backtick fence longer than any backtick run inside `value`, so the block cannot be closed early."""
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    return Markdown("`" * max(3, longest + 1))


def verbatim(value: str) -> Markdown:
    """The text of a fenced code block, as it is (the fence from `code_fence` keeps it inside the block)."""
    return Markdown(value)


def indent(value: object, width: int = 4) -> object:
    """Jinja's indent, keeping Markdown trusted: indenting escaped text does not make it data again."""
    indented = jinja2.filters.do_indent(str(value), width)
    return Markdown(indented) if isinstance(value, Markdown) else indented


def _escape_output(value: object) -> object:
    """Every `{{ ... }}` of a site template goes through here: data is escaped unless marked trusted."""
    if isinstance(value, (Markdown, markupsafe.Markup)):
        return value
    return "" if value is None else site_text(value)


def modality_slugs(modalities: list[Modality]) -> dict[str, str]:
    """Modality ids are free text ('X-ray'); their pages need file-safe names that never collide."""
    slugs: dict[str, str] = {}
    for modality in modalities:
        candidate, n = slug(modality.id), 1
        while candidate in slugs.values():
            n += 1
            candidate = f"{slug(modality.id)}-{n}"
        slugs[modality.id] = candidate
    return slugs


def explorer_index(catalog: Catalog, paper_url: Callable[[Paper], str]) -> str:
    """What the explorer filters client-side: one small entry per paper, in the catalog's reading order."""
    return json.dumps(
        {
            "categories": {c.id: c.short for c in catalog.categories.values()},
            "papers": [
                {
                    "id": p.id,
                    "name": p.name,
                    "title": p.title,
                    "authors": p.authors,
                    "venue": p.venue,
                    "year": p.year,
                    "modalities": p.modalities,
                    "categories": p.representation,
                    "code": p.code,
                    "url": paper_url(p),
                }
                for p in sorted(catalog.papers, key=paper_order)
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


class SitePages:
    """Renders every page and data file of the site as {docs path: text}."""

    def __init__(
        self,
        catalog: Catalog,
        templates_dir: Path,
        url_of: UrlOf,
        *,
        link_marks: dict[str, LinkMark] | None = None,
        site_url: str | None = None,
    ):
        self.catalog = catalog
        self.templates_dir = Path(templates_dir) / SITE_TEMPLATES
        self.url_of = url_of
        self.link_marks = link_marks or {}
        self.site_url = site_url
        self.modality_slugs = modality_slugs(catalog.modalities.modalities)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.templates_dir),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # escaping is Markdown's, not HTML's: see _escape_output
            finalize=_escape_output,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            md=site_text,  # what every `{{ }}` does anyway; kept so older templates still render
            cell=site_cell,
            url=lambda value: Markdown(mdtext.url(value)),
            front=front_matter_text,
            description=description,
            paragraphs=paragraphs,
            fence=code_fence,
            verbatim=verbatim,
            indent=indent,
            # Jinja's own HTML escape, made one line (see attribute()); `attr` says what it is for.
            attr=attribute,
            e=attribute,
            escape=attribute,
        )
        self.env.globals.update(catalog=catalog, counts=counts(catalog), link_mark=self.link_marks.get)

    # --- where each record's page lives ----------------------------------------------
    def source(self, target: Record | str) -> str:
        """The docs path of a record's page (a path string is returned as is)."""
        if isinstance(target, str):
            return target
        if isinstance(target, Paper):
            return f"papers/{target.id}.md"
        if isinstance(target, Dataset):
            return f"datasets/{target.id}.md"
        if isinstance(target, Modality):
            return f"modalities/{self.modality_slugs[target.id]}.md"
        if isinstance(target, Family):
            return f"taxonomy/{target.id}/index.md"
        if isinstance(target, Category):
            return f"taxonomy/{self.catalog.family_of(target.id).id}/{target.id}.md"
        raise TypeError(f"no page for {type(target).__name__}")

    # --- rendering -------------------------------------------------------------------
    def render(self, template: str, page: str, **context) -> str:
        def href(target: Record | str) -> Markdown:
            """A Markdown link target from this page's source to another page's source (MkDocs checks it)."""
            return Markdown(mdtext.url(posixpath.relpath(self.source(target), posixpath.dirname(page) or ".")))

        def asset(path: str) -> Markdown:
            """A URL for raw HTML, relative to this page's final URL (MkDocs does not rewrite raw HTML)."""
            return Markdown(html.escape(get_relative_url(self.url_of(path), self.url_of(page))))

        try:
            return self.env.get_template(template).render(page=page, href=href, asset=asset, **context)
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(
                f"template {self.templates_dir / exc.name} not found "
                "(is --templates the repository's templates folder?)"
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(f"{exc.filename}:{exc.lineno}: {exc.message}") from None
        except jinja2.TemplateError as exc:  # e.g. a field the record does not have
            raise TemplateProblem(f"{self.templates_dir / template}: {exc.message or exc!r}") from None
        except UnicodeDecodeError as exc:  # the template itself, or one it imports
            raise TemplateProblem(
                f"a template in {self.templates_dir} is not UTF-8 text ({exc.reason}); save it as UTF-8"
            ) from None
        except OSError as exc:
            raise TemplateProblem(f"cannot read a template in {self.templates_dir}: {exc.strerror}") from None

    def files(self) -> dict[str, str]:
        catalog = self.catalog
        files = {
            "index.md": self.render("home.md.j2", "index.md", **self._home()),
            "explorer.md": self.render(
                "explorer.md.j2",
                "explorer.md",
                families=family_views(catalog),
                years=sorted({p.year for p in catalog.papers}),
            ),
            "taxonomy/index.md": self.render("taxonomy.md.j2", "taxonomy/index.md", families=family_views(catalog)),
            "datasets/index.md": self.render(
                "datasets.md.j2",
                "datasets/index.md",
                rows=[(d, len(catalog.papers_using(d.id))) for d in sorted_datasets(catalog)],
            ),
            "modalities/index.md": self.render(
                "modalities.md.j2", "modalities/index.md", modalities=modality_views(catalog)
            ),
            "topics.md": self.render("topics.md.j2", "topics.md", topics=sorted_topics(catalog)),
        }
        for family in family_views(catalog):
            files[self.source(family.family)] = self.render("family.md.j2", self.source(family.family), view=family)
        for view in category_views(catalog):
            files[self.source(view.category)] = self.render("category.md.j2", self.source(view.category), view=view)
        for view in modality_views(catalog):
            files[self.source(view.modality)] = self.render("modality.md.j2", self.source(view.modality), view=view)
        for dataset in catalog.datasets:
            files[self.source(dataset)] = self.render(
                "dataset.md.j2",
                self.source(dataset),
                dataset=dataset,
                modalities=self._modalities(dataset.modalities),
                papers=sorted(catalog.papers_using(dataset.id), key=paper_order),
            )
        for paper in catalog.papers:
            files[self.source(paper)] = self.render(
                "paper.md.j2",
                self.source(paper),
                paper=paper,
                links=paper_links(paper),
                categories=[catalog.categories[c] for c in paper.representation],
                modalities=self._modalities(paper.modalities),
                datasets=[catalog.dataset_ids[d] for d in paper.datasets],
                bibtex=paper_bibtex(paper).strip(),
            )
        files.update(self._data_files())
        return files

    def _modalities(self, ids: list[str]) -> list[Modality]:
        return [self.catalog.modality_ids[m] for m in ids]

    def _home(self) -> dict:
        catalog = self.catalog
        series = [
            Series(c.id, c.label if c.short == c.label else f"{c.label} ({c.short})")
            for c in catalog.categories.values()
        ]
        per_modality = papers_per_modality(catalog)
        return {
            # SVG built by charts.py, which escapes every label it prints.
            "year_chart": Markdown(
                stacked_years(papers_per_year(catalog), series, "Papers per year, stacked by representation category")
            ),
            "modality_chart": Markdown(
                horizontal_bars(
                    [(m.id, per_modality[m.id]) for m in catalog.modalities.modalities], "Papers per imaging modality"
                )
            ),
            "newest": newest_papers(catalog, NEWEST_ON_HOME),
            "families": family_views(catalog),
        }

    def _data_files(self) -> dict[str, str]:
        def paper_url(paper: Paper) -> str:
            return self.url_of(self.source(paper))

        files = {
            "catalog.json": catalog_json(self.catalog),
            "catalog.bib": catalog_bibtex(self.catalog),
            "feed.xml": atom_feed(self.catalog, paper_url, base_url=self.site_url),
            "explorer.json": explorer_index(self.catalog, paper_url),
        }
        files.update({f"schemas/{name}": text for name, text in published_schemas().items()})
        assets = self.templates_dir / ASSETS
        for path in sorted(assets.rglob("*")):
            if path.is_file():
                files[f"{ASSETS}/site/{path.relative_to(assets).as_posix()}"] = _read_asset(path)
        return files


def _read_asset(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateProblem(f"{path}: not UTF-8 text ({exc.reason}); site assets are text files") from None
    except OSError as exc:
        raise TemplateProblem(f"cannot read {path}: {exc.strerror}") from None
