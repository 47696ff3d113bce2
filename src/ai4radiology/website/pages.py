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
import posixpath
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from mkdocs.utils import get_relative_url

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import (
    CLASSIFICATION_SOURCES,
    TASK_SOURCES,
    Category,
    Dataset,
    Family,
    Modality,
    Paper,
    Record,
)
from ai4radiology.catalog.slugs import slugify, unique_slug
from ai4radiology.formats.bibtex import catalog_bibtex, paper_bibtex
from ai4radiology.formats.catalogjson import catalog_json, published_schemas
from ai4radiology.formats.csl import catalog_csl
from ai4radiology.formats.feed import atom_feed, newest_papers
from ai4radiology.formats.ris import catalog_ris
from ai4radiology.render import escape as mdtext
from ai4radiology.render.escape import Markdown
from ai4radiology.render.views import (
    category_views,
    counts,
    display_title,
    family_views,
    family_views_2026,
    modality_views,
    paper_order,
    papers_per_modality,
    papers_per_year,
    sorted_datasets,
    sorted_topics,
)
from ai4radiology.website.charts import Series, horizontal_bars, stacked_years
from ai4radiology.website.explorer import ROWS_WITHOUT_SCRIPT, explorer_index, explorer_search, newest_first
from ai4radiology.website.filters import (
    attribute,
    code_fence,
    description,
    escape_output,
    front_matter_text,
    indent,
    meta_json,
    paragraphs,
    site_cell,
    site_text,
    verbatim,
)
from ai4radiology.website.linkmarks import LinkMark
from ai4radiology.website.paperpage import RelatedPapers, citation_meta, classification_lines, paper_links, record_file

SITE_TEMPLATES = "site"  # under the --templates folder
ASSETS = "assets"  # <templates>/site/assets/** is copied to <docs>/assets/site/**
NEWEST_ON_HOME = 5
ROWS_ON_RECORD_PAGES = 50  # category, modality and dataset pages list the newest papers; the explorer has them all

UrlOf = Callable[[str], str]  # a docs source path -> its URL relative to the site root


class TemplateProblem(Exception):
    """A site template cannot be read or rendered; the message names the template and line."""


def modality_slugs(modalities: list[Modality]) -> dict[str, str]:
    """Modality ids are free text ('X-ray'); their pages need file-safe names that never collide."""
    slugs: dict[str, str] = {}
    for modality in modalities:
        slugs[modality.id] = unique_slug(slugify(modality.id) or "item", set(slugs.values()))
    return slugs


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
        self.url_of = cache(url_of)  # asked ~7 times per page, for far fewer distinct pages
        self.link_marks = link_marks or {}
        self.site_url = site_url
        self.modality_slugs = modality_slugs(catalog.modalities.modalities)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.templates_dir),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # escaping is Markdown's, not HTML's: see escape_output
            finalize=escape_output,
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
            display_title=display_title,
            meta=meta_json,
            newest=newest_first,
            verbatim=verbatim,
            indent=indent,
            # Jinja's own HTML escape, made one line (see attribute()); `attr` says what it is for.
            attr=attribute,
            e=attribute,
            escape=attribute,
        )
        self.env.globals.update(
            catalog=catalog, counts=counts(catalog), link_mark=self.link_marks.get, rows_shown=ROWS_ON_RECORD_PAGES
        )

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
    def render(self, template: str, page: str, **context: Any) -> str:
        def href(target: Record | str) -> Markdown:
            """A Markdown link target from this page's source to another page's source (MkDocs checks it)."""
            return Markdown(mdtext.url(_relative_path(self.source(target), posixpath.dirname(page) or ".")))

        def asset(path: str) -> Markdown:
            """A URL for raw HTML, relative to this page's final URL (MkDocs does not rewrite raw HTML)."""
            return Markdown(html.escape(get_relative_url(self.url_of(path), self.url_of(page))))

        def explore(**filters: str | list[str]) -> str:
            """A link into the explorer with filters set (their values are catalog text: URL-encoded)."""
            query = urlencode({k: v for k, v in filters.items() if v}, doseq=True)
            return href("explorer.md") + (f"?{query}" if query else "")

        try:
            return self.env.get_template(template).render(page=page, href=href, asset=asset, explore=explore, **context)
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if isinstance(exc.name, str) else template
            raise TemplateProblem(
                f"template {self.templates_dir / missing} not found (is --templates the repository's templates folder?)"
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
                years=sorted({p.year for p in catalog.papers}),
                rows=self._explorer_rows(),
            ),
            "taxonomy/index.md": self.render(
                "taxonomy.md.j2",
                "taxonomy/index.md",
                families=family_views(catalog),
                filed_by_catalog=sorted(
                    (p for p in catalog.papers if p.representation_source == "catalog"), key=paper_order
                ),
                sources=CLASSIFICATION_SOURCES,
            ),
            "datasets/index.md": self.render(
                "datasets.md.j2",
                "datasets/index.md",
                rows=[(d, len(catalog.papers_using(d.id))) for d in sorted_datasets(catalog)],
                tasks=catalog.task_ids,
                sources=TASK_SOURCES,
            ),
            "modalities/index.md": self.render(
                "modalities.md.j2", "modalities/index.md", modalities=modality_views(catalog)
            ),
            "topics.md": self.render("topics.md.j2", "topics.md", topics=sorted_topics(catalog)),
        }
        if catalog.taxonomy_2026 is not None:
            files["taxonomy-2026.md"] = self.render(
                "taxonomy-2026.md.j2",
                "taxonomy-2026.md",
                families=family_views_2026(catalog),
                sources=CLASSIFICATION_SOURCES,
            )
        if catalog.metrics is not None:
            files["metrics.md"] = self.render("metrics.md.j2", "metrics.md", groups=catalog.metrics.groups)
        for family in family_views(catalog):
            files[self.source(family.family)] = self.render("family.md.j2", self.source(family.family), view=family)
        for category in category_views(catalog):
            files[self.source(category.category)] = self.render(
                "category.md.j2", self.source(category.category), view=category
            )
        for modality in modality_views(catalog):
            files[self.source(modality.modality)] = self.render(
                "modality.md.j2", self.source(modality.modality), view=modality
            )
        for dataset in catalog.datasets:
            files[self.source(dataset)] = self.render(
                "dataset.md.j2",
                self.source(dataset),
                dataset=dataset,
                modalities=self._modalities(dataset.modalities),
                tasks=[catalog.task_ids[t] for t in dataset.tasks if t in catalog.task_ids],
                tasks_source=TASK_SOURCES[dataset.tasks_source],
                papers=sorted(catalog.papers_using(dataset.id), key=paper_order),
            )
        related = RelatedPapers(catalog)
        for paper in catalog.papers:
            files[self.source(paper)] = self.render(
                "paper.md.j2",
                self.source(paper),
                paper=paper,
                links=paper_links(paper),
                categories=[catalog.categories[c] for c in paper.representation],
                modalities=self._modalities(paper.modalities),
                datasets=[catalog.dataset_ids[d] for d in paper.datasets],
                classification=classification_lines(catalog, paper),
                bibtex=paper_bibtex(paper, catalog.venue_ids.get(paper.venue)).strip(),
                related=related.of(paper),
                citation=citation_meta(paper, catalog.venue_ids.get(paper.venue)),
                record=record_file(paper),
            )
        files.update(self._data_files())
        return files

    def _explorer_rows(self) -> list[dict[str, object]]:
        """The explorer's built-in table (newest papers), for readers without JavaScript."""
        shorts = {c.id: c.short for c in self.catalog.categories.values()}
        return [
            {
                "id": p.id,
                "name": p.name,
                "title": p.title or "",
                "authors": p.authors,
                "venue": p.venue,
                "year": p.year,
                "modalities": p.modalities,
                "categories": [shorts[c] for c in p.representation],
                "code": p.code,
                "page": self.source(p),
            }
            for p in newest_first(self.catalog.papers)[:ROWS_WITHOUT_SCRIPT]
        ]

    def _modalities(self, ids: list[str]) -> list[Modality]:
        return [self.catalog.modality_ids[m] for m in ids]

    def _home(self) -> dict[str, Any]:
        catalog = self.catalog
        series = [
            Series(c.id, c.label if c.short == c.label else f"{c.label} ({c.short})")
            for c in catalog.categories.values()
        ]
        per_modality = papers_per_modality(catalog)
        explorer = get_relative_url(self.url_of("explorer.md"), self.url_of("index.md"))

        def year_link(year: int, category: str) -> str:
            return f"{explorer}?{urlencode({'from': year, 'to': year, 'categories': category})}"

        def modality_link(modality: str) -> str:
            return f"{explorer}?{urlencode({'modality': modality})}"

        return {
            # SVG built by charts.py, which escapes every label and link it prints.
            "year_chart": Markdown(
                stacked_years(
                    papers_per_year(catalog), series, "Papers per year, stacked by representation category", year_link
                )
            ),
            "modality_chart": Markdown(
                horizontal_bars(
                    [(m.id, per_modality[m.id]) for m in catalog.modalities.modalities],
                    "Papers per imaging modality",
                    modality_link,
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
            "catalog.csl.json": catalog_csl(self.catalog),
            "catalog.ris": catalog_ris(self.catalog),
            "feed.xml": atom_feed(self.catalog, paper_url, base_url=self.site_url),
            "explorer.json": explorer_index(self.catalog, paper_url),
            "explorer-search.json": explorer_search(self.catalog),
        }
        files.update({f"schemas/{name}": text for name, text in published_schemas().items()})
        assets = self.templates_dir / ASSETS
        for path in sorted(assets.rglob("*")):
            if path.is_file():
                files[f"{ASSETS}/site/{path.relative_to(assets).as_posix()}"] = _read_asset(path)
        return files


@cache  # 10,000 paper pages link to the same categories, modalities and datasets
def _relative_path(path: str, start: str) -> str:
    return posixpath.relpath(path, start)


def _read_asset(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateProblem(f"{path}: not UTF-8 text ({exc.reason}); site assets are text files") from None
    except OSError as exc:
        raise TemplateProblem(f"cannot read {path}: {exc.strerror}") from None
