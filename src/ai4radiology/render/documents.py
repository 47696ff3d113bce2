"""The generated parts of README.md and CONTRIBUTING.md, rendered from the catalog between markers.

Hand-written text outside the markers is kept as it is. Templates only lay out: the structures here
are sorted, grouped and counted already, and every value a template prints is escaped for Markdown
unless it is a `Markdown` string built here or by a filter.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import CLASSIFICATION_SOURCES, TASK_SOURCES, Dataset, MetricGroup, Task, Topic
from ai4radiology.render import escape as mdtext
from ai4radiology.render.escape import Markdown
from ai4radiology.render.fieldref import fields_context
from ai4radiology.render.views import (
    CategoryView,
    Counts,
    FamilyView,
    counts,
    family_views,
    family_views_2026,
    sorted_datasets,
    sorted_topics,
)


@dataclass(frozen=True)
class Markers:
    start: str
    end: str


CATALOG_MARKERS = Markers("<!-- catalog:start -->", "<!-- catalog:end -->")
FIELDS_MARKERS = Markers("<!-- fields:start -->", "<!-- fields:end -->")

README_TEMPLATE = "readme.md.j2"
FIELDS_TEMPLATE = "contributing_fields.md.j2"


class RenderError(Exception):
    """A file that cannot be rendered into (markers missing or doubled, template missing)."""


# --- headings and their GitHub anchors ---------------------------------------------------------------


class GithubSlugger:
    """Anchor ids as GitHub gives them to headings (github-slugger): lowercase, punctuation dropped,
    spaces to hyphens, and '-1', '-2'... for repeats, counted over the whole document."""

    def __init__(self, headings: Iterable[str] = ()):
        self._seen: dict[str, int] = {}
        for heading in headings:
            self.slug(heading)

    def slug(self, heading: str) -> str:
        base = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        slug = base
        while slug in self._seen:
            self._seen[base] += 1
            slug = f"{base}-{self._seen[base]}"
        self._seen[slug] = 0
        return slug


def document_headings(markdown: str) -> list[str]:
    """Plain text of every heading, as GitHub renders it (so code fences and escapes are understood)."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [_plain_text(tokens[i + 1]) for i, token in enumerate(tokens) if token.type == "heading_open"]


def _plain_text(inline: Any) -> str:
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


@dataclass(frozen=True)
class Heading:
    text: str
    anchor: Markdown
    """`#slug`, ready to be a link target."""


class _Headings:
    """Hands out headings in document order, so repeated titles get GitHub's numbered anchors."""

    def __init__(self, before: str):
        self._slugger = GithubSlugger(document_headings(before))

    def __call__(self, text: str) -> Heading:
        return Heading(text, Markdown(mdtext.url("#" + self._slugger.slug(" ".join(text.split())))))


# --- README ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySection:
    heading: Heading
    view: CategoryView


@dataclass(frozen=True)
class FamilySection:
    heading: Heading
    view: FamilyView
    categories: list[CategorySection]


@dataclass(frozen=True)
class TopicSection:
    heading: Heading
    topic: Topic


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block whose fence is longer than any backtick run inside, so nothing can close it early."""

    info: str
    text: Markdown

    @property
    def fence(self) -> Markdown:
        return Markdown(mdtext.fence(self.text))


@dataclass(frozen=True)
class ReadmeContext:
    counts: Counts
    contents: Heading
    taxonomy: Heading
    families: list[FamilySection]
    scheme_2026_heading: Heading
    families_2026: list[FamilySection]
    datasets_heading: Heading
    datasets: list[Dataset]
    tasks: Mapping[str, Task]
    metrics_heading: Heading
    metrics: list[MetricGroup]
    topics_heading: Heading
    topics: list[TopicSection]
    citation_heading: Heading
    citation: CodeBlock | None
    sources: dict[str, str]
    """What each classification source means, for the legend of catalog-assigned categories."""
    task_sources: dict[str, str]
    """The same for the tasks of datasets."""


def category_heading(view: CategoryView) -> str:
    category = view.category
    return category.label if category.short == category.label else f"{category.label} ({category.short})"


def readme_context(catalog: Catalog, before: str = "") -> ReadmeContext:
    """Everything the README block shows; `before` is the hand-written text above it (its headings count
    for anchors). Headings are handed out in the order the template prints them."""
    heading = _Headings(before)
    contents, taxonomy = heading("Contents"), heading("Taxonomy")
    families = []
    for view in family_views(catalog):
        family_heading = heading(view.family.label)
        families.append(
            FamilySection(
                family_heading, view, [CategorySection(heading(category_heading(c)), c) for c in view.categories]
            )
        )
    scheme_2026_heading = heading("The 2026 taxonomy")
    families_2026 = [FamilySection(heading(view.family.label), view, []) for view in family_views_2026(catalog)]
    datasets_heading, metrics_heading = heading("Datasets"), heading("Evaluation metrics")
    topics_heading = heading("Challenges and opportunities")
    topics = [TopicSection(heading(topic.title), topic) for topic in sorted_topics(catalog)]
    citation_heading = heading("Citation")
    citation = CodeBlock("bibtex", Markdown(catalog.review.bibtex)) if catalog.review else None
    return ReadmeContext(
        counts(catalog),
        contents,
        taxonomy,
        families,
        scheme_2026_heading,
        families_2026,
        datasets_heading,
        sorted_datasets(catalog),
        catalog.task_ids,
        metrics_heading,
        catalog.metrics.groups if catalog.metrics else [],
        topics_heading,
        topics,
        citation_heading,
        citation,
        CLASSIFICATION_SOURCES,
        TASK_SOURCES,
    )


# --- CONTRIBUTING field reference --------------------------------------------------------------------


# --- templates ---------------------------------------------------------------------------------------


def _escape_output(value: Any) -> Any:
    """Every `{{ ... }}` goes through here: data is escaped unless it is Markdown already."""
    if isinstance(value, Markdown):
        return value
    return "" if value is None else mdtext.text(value)


def _cell(value: Any) -> Markdown:
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    return Markdown(mdtext.cell("" if value is None else value))


def _code_span(value: Any) -> Markdown:
    text = " ".join(str(value).split())
    fence = mdtext.fence(text, minimum=1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return Markdown(f"{fence}{padding}{text}{padding}{fence}")


def _task_label(task_id: str, tasks: Mapping[str, Task]) -> str:
    """'Task I (Reconstruction from raw measurements)', or the id itself when the vocabulary lacks it."""
    task = tasks.get(task_id)
    return f"{task.label} ({task.name})" if task else task_id


def environment(templates: Path) -> jinja2.Environment:
    if not Path(templates).is_dir():
        raise RenderError(
            f"templates folder '{templates}' not found: run from the repository root or pass --templates DIR"
        )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_escape_output,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        link=lambda label, target: Markdown(mdtext.link(label, target)),
        cell=_cell,
        heading=lambda value: Markdown(mdtext.text(value)),
        code=_code_span,
        task_label=_task_label,
    )
    return env


def _render(templates: Path, name: str, context: Any) -> str:
    try:
        template = environment(templates).get_template(name)
        return template.render(context if isinstance(context, dict) else vars(context))
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template '{exc.name}' not found in '{templates}'") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename}:{exc.lineno}: error: {exc.message}") from None
    except UnicodeDecodeError as exc:
        raise RenderError(f"a template in '{templates}' is not UTF-8 text ({exc.reason}); save it as UTF-8") from None


def readme_block(catalog: Catalog, templates: Path, before: str = "") -> str:
    return _render(templates, README_TEMPLATE, readme_context(catalog, before))


def fields_block(catalog: Catalog, templates: Path) -> str:
    return _render(templates, FIELDS_TEMPLATE, fields_context(catalog))


# --- splicing into files -----------------------------------------------------------------------------


def split_at_markers(document: str, markers: Markers, name: str) -> tuple[str, str, str]:
    """(text before the start marker, old block, text after the end marker)."""
    starts, ends = document.count(markers.start), document.count(markers.end)
    if starts == 0 or ends == 0:
        raise RenderError(
            f"{name} has no generated section: add the two lines\n  {markers.start}\n  {markers.end}\n"
            f"where it should go (hand-written text outside them is kept)"
        )
    if starts > 1 or ends > 1:
        raise RenderError(f"{name} has {starts} '{markers.start}' and {ends} '{markers.end}' markers; keep one of each")
    before, rest = document.split(markers.start)
    if markers.end not in rest:
        raise RenderError(f"{name}: '{markers.end}' comes before '{markers.start}'; swap them")
    block, after = rest.split(markers.end)
    return before, block, after


def splice(document: str, block: str, markers: Markers, name: str) -> str:
    """`document` with the text between the markers replaced by `block`."""
    if markers.start in block or markers.end in block:
        raise RenderError(
            f"the generated text for {name} contains a marker line, which would break the next render; "
            "remove marker text from the catalog"
        )
    before, _, after = split_at_markers(document, markers, name)
    return f"{before}{markers.start}\n{block.rstrip()}\n{markers.end}{after}"


@dataclass(frozen=True)
class GeneratedFile:
    path: Path
    current: str
    rendered: str

    @property
    def stale(self) -> bool:
        return self.current != self.rendered

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.current.splitlines(keepends=True),
                self.rendered.splitlines(keepends=True),
                fromfile=f"{self.path.as_posix()} (committed)",
                tofile=f"{self.path.as_posix()} (rendered)",
            )
        )


def render_files(catalog: Catalog, templates: Path, readme: Path, contributing: Path) -> list[GeneratedFile]:
    """README.md and CONTRIBUTING.md as they should be; nothing is written here."""
    readme_text = _read(readme)
    before, _, _ = split_at_markers(readme_text, CATALOG_MARKERS, readme.name)
    contributing_text = _read(contributing)
    return [
        GeneratedFile(
            readme,
            readme_text,
            splice(readme_text, readme_block(catalog, templates, before), CATALOG_MARKERS, readme.name),
        ),
        GeneratedFile(
            contributing,
            contributing_text,
            splice(contributing_text, fields_block(catalog, templates), FIELDS_MARKERS, contributing.name),
        ),
    ]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RenderError(f"{path} not found: run from the repository root or pass its path") from None
    except OSError as exc:
        raise RenderError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise RenderError(f"{path}:{line}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
