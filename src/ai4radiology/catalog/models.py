"""The record types of the catalog: what one YAML file may hold.

Field-level rules live here; rules that need the whole catalog (known ids,
duplicates across records) live in :mod:`ai4radiology.catalog.checks`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ai4radiology.catalog.characters import PROSE_WHITESPACE, unseen_character
from ai4radiology.catalog.httpurl import require_http_url

TODO_MARK = "TODO"

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _not_todo(value: str) -> str:
    if value.strip().upper().startswith(TODO_MARK):
        raise ValueError("still a TODO placeholder: replace it with the real value")
    return value


def _visible_line(value: str) -> str:
    found = unseen_character(value)
    if found:
        raise ValueError(f"contains an invisible or control character ({found}): delete it")
    return value


def _visible_prose(value: str) -> str:
    found = unseen_character(value, PROSE_WHITESPACE)
    if found:
        raise ValueError(f"contains an invisible or control character ({found}): delete it")
    return value


def _year(value: int) -> int:
    latest = dt.date.today().year + 1
    if not 1990 <= value <= latest:
        raise ValueError(f"year must be between 1990 and {latest}")
    return value


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_not_todo),
    AfterValidator(_visible_line),
]
"""One line of text: a name, title, venue, label."""
Prose = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_not_todo),
    AfterValidator(_visible_prose),
]
"""Text that may run over several lines and paragraphs: a description, abstract, BibTeX."""
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Url = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_not_todo), AfterValidator(require_http_url)
]
Year = Annotated[int, AfterValidator(_year)]
ModalityId = Text
"""The id of an entry of catalog/modalities.yaml ('MRI', 'X-ray'): free text, not a slug; checks.py verifies
that records name known ones."""
Doi = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^10\.\d{4,9}/\S+$")]
ArxivId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}\.\d{4,5}(v\d+)?$")]


def doi_url(doi: str) -> str:
    """The resolver URL of a bare DOI: the one address every renderer and the link checker use."""
    return f"https://doi.org/{doi}"


def arxiv_url(arxiv_id: str) -> str:
    """The abstract page of a bare arXiv id."""
    return f"https://arxiv.org/abs/{arxiv_id}"


class Record(BaseModel):
    """Base of every catalog file: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Category(Record):
    id: Slug
    label: Text
    short: Text = Field(description="Short label for table headings, e.g. 'IPE'.")
    description: Prose


class Family(Record):
    id: Slug
    label: Text
    description: Prose
    categories: list[Category] = Field(min_length=1)


class Taxonomy(Record):
    """`catalog/taxonomy.yaml` (2025 scheme) or `catalog/taxonomy-2026.yaml`: families and their categories."""

    scheme: Scheme | None = Field(None, description="Which review edition defined this taxonomy.")
    families: list[Family] = Field(min_length=1)


class Scheme(Record):
    """Where a taxonomy comes from: the review edition that defined it."""

    id: Slug = Field(description="Short id of the scheme, e.g. '2026'.")
    label: Text = Field(description="Name shown to readers, e.g. 'The 2026 scheme'.")
    edition: dt.date = Field(description="Date of the review edition that introduced the scheme.")


class Modality(Record):
    id: ModalityId = Field(description="Canonical short name used in records, e.g. 'MRI'.")
    label: Text
    description: Prose
    aliases: dict[str, list[str]] = Field(
        default_factory=dict,
        description="What sources write for this modality, mapped to the tags it implies ('3D US': ['3d']).",
    )


class Modalities(Record):
    """`catalog/modalities.yaml`: the controlled vocabulary of imaging modalities."""

    modalities: list[Modality] = Field(min_length=1)


VenueKind = Literal["journal", "conference", "workshop", "preprint"]


class Venue(Record):
    id: Text = Field(description="The abbreviation papers write in `venue`, e.g. 'IEEE TMI'.")
    name: Text = Field(description="Full name, e.g. 'IEEE Transactions on Medical Imaging'.")
    kind: VenueKind = Field(description="journal, conference, workshop or preprint (sets the BibTeX entry type).")


class Venues(Record):
    """`catalog/venues.yaml`: every journal, conference, workshop and preprint server papers appear in."""

    venues: list[Venue] = Field(min_length=1)


class Task(Record):
    id: Slug = Field(description="Id used in dataset records, e.g. 'task-i'.")
    label: Text = Field(description="Short label as the review writes it, e.g. 'Task I'.")
    name: Text = Field(description="Readable name, e.g. 'Reconstruction from raw measurements'.")
    description: Prose


class Tasks(Record):
    """`catalog/tasks.yaml`: the reconstruction tasks datasets serve."""

    tasks: list[Task] = Field(min_length=1)


class Metric(Record):
    id: Slug
    name: Text = Field(description="Name as written in papers, e.g. 'PSNR'.")
    description: Prose


class MetricGroup(Record):
    id: Slug
    label: Text
    description: Prose
    metrics: list[Metric] = Field(min_length=1)


class Metrics(Record):
    """`catalog/metrics.yaml`: evaluation metrics for reconstruction, grouped by what they measure."""

    groups: list[MetricGroup] = Field(min_length=1)


ClassificationSource = Literal["2025-edition", "2026-edition", "catalog"]
CLASSIFICATION_SOURCES: dict[str, str] = {
    "2025-edition": "filed as in the review's 2025-06-17 edition",
    "2026-edition": "filed as in the review's 2026-06-20 edition",
    "catalog": "filed by this catalog from the scheme's definitions, not by the review",
}


TaskSource = Literal["2026-edition", "catalog"]
TASK_SOURCES: dict[str, str] = {
    "2026-edition": "as the review's 2026-06-20 edition lists them",
    "catalog": "assigned by this catalog from the task definitions, not by the review",
}


class Classification(Record):
    """A paper's place in the 2026 scheme, and who put it there."""

    category: Slug = Field(description="Category id from catalog/taxonomy-2026.yaml.")
    source: ClassificationSource = Field(
        description="2026-edition: the review's 2026 table; catalog: assigned here from the scheme's definitions."
    )
    note: Prose | None = Field(None, description="Why, when the catalog assigned the category itself.")


class Paper(Record):
    """`catalog/papers/<id>.yaml`: one method paper."""

    id: Slug = Field(description="Stable slug; equals the file name without .yaml.")
    name: Text = Field(description="Short method name as the community knows it, e.g. 'CTTR' or 'Du et al.'.")
    title: Text | None = Field(
        None, description="Full title as published, in plain text (no LaTeX); null only while it is not known."
    )
    authors: list[Text] = Field(
        default_factory=list, description="In publication order, 'Family, Given' (initials where only those are known)."
    )
    venue: Text = Field(description="Venue id from catalog/venues.yaml, e.g. 'IEEE TMI'.")
    year: Year = Field(description="Year of publication.")
    modalities: list[ModalityId] = Field(min_length=1, description="Ids from catalog/modalities.yaml.")
    representation: list[Slug] = Field(
        min_length=1, description="Category ids of the 2025 scheme (catalog/taxonomy.yaml)."
    )
    representation_source: ClassificationSource = Field(
        "catalog",
        description="Who filed the paper under `representation`: catalog (its contributors) or 2025-edition.",
    )
    representation_note: Prose | None = Field(
        None, description="Why, when the catalog assigned the 2025 category itself."
    )
    taxonomy_2026: Classification | None = Field(
        None, description="The paper's category in the 2026 scheme (catalog/taxonomy-2026.yaml) and its source."
    )
    contribution: Prose = Field(description="One or two sentences: what is new.")
    abstract: Prose | None = Field(
        None, description="The paper's own abstract, in plain text; left out when no source gives it."
    )
    paper: Url = Field(description="Link to the paper (publisher page or PDF).")
    code: Url | None = Field(description="Link to the code, or null when no code is public.")
    doi: Doi | None = Field(None, description="Bare DOI, e.g. 10.1109/TMI.2023.3261822 (no https://doi.org/).")
    arxiv: ArxivId | None = Field(
        None, description="Bare arXiv id, e.g. '2405.20693' (quoted, or YAML reads a number)."
    )
    project: Url | None = Field(None, description="Project page, if any.")
    datasets: list[Slug] = Field(default_factory=list, description="Ids of dataset records the paper uses.")
    tags: list[Slug] = Field(
        default_factory=list, description="Free lowercase keywords, e.g. sparse-view, low-dose, 3d."
    )
    added: dt.date = Field(description="Date the record entered the catalog (feeds the 'new papers' feed).")


class Dataset(Record):
    """`catalog/datasets/<id>.yaml`: one public dataset."""

    id: Slug = Field(description="Stable slug; equals the file name without .yaml.")
    name: Text = Field(description="Name as the community knows it, e.g. 'LIDC-IDRI'.")
    modalities: list[ModalityId] = Field(min_length=1, description="Ids from catalog/modalities.yaml.")
    description: Prose = Field(description="One or two sentences: what the data are and what they are for.")
    url: Url = Field(description="Where to get the data (the official page rather than a mirror).")
    size: Text | None = Field(None, description="How much data, e.g. '299 clinical CT examinations'.")
    tasks: list[Slug] = Field(default_factory=list, description="Task ids from catalog/tasks.yaml, e.g. task-i.")
    tasks_source: TaskSource = Field(
        "2026-edition",
        description="Who assigned `tasks`: 2026-edition (the review's table) or catalog (from the task definitions).",
    )
    tasks_note: Prose | None = Field(None, description="Why, when the catalog assigned the tasks itself.")
    access: Literal["open", "registration", "restricted"] | None = Field(
        None,
        description="open: download directly; registration: sign-up or data-use agreement; restricted: on request.",
    )
    added: dt.date = Field(description="Date the record entered the catalog.")

    @model_validator(mode="after")
    def _tasks_provenance(self) -> Dataset:
        # The note explains the catalog's own choice; beside the review's tasks it would misattribute them.
        if self.tasks_note is not None and self.tasks_source != "catalog":
            raise ValueError("tasks_note explains catalog-assigned tasks; set tasks_source: catalog or drop it")
        return self


class Reference(Record):
    title: Text = Field(description="Full title as published.")
    venue: Text = Field(description="Journal or conference, abbreviated as usual.")
    year: Year = Field(description="Year of publication.")
    url: Url | None = Field(None, description="Link to the paper.")
    code: Url | None = Field(None, description="Link to the code, if public.")
    abstract: Prose = Field(description="The reference's own abstract.")


class Topic(Record):
    """`catalog/topics/<id>.yaml`: one of the review's challenges and opportunities."""

    id: Slug = Field(description="Stable slug; equals the file name without .yaml.")
    title: Text = Field(description="Topic heading, e.g. 'Federated learning'.")
    order: int = Field(ge=1, description="Position in the review's list.")
    summary: Prose | None = Field(None, description="A sentence on why the topic matters for reconstruction.")
    references: list[Reference] = Field(min_length=1, description="Papers on the topic.")


class Author(Record):
    name: Text
    url: Url | None = None


class Review(Record):
    """`catalog/review.yaml`: the systematic review the catalog grew from."""

    title: Text
    authors: list[Author] = Field(min_length=1)
    arxiv: ArxivId
    url: Url
    repository: Url
    bibtex: Prose
    abstract: Prose
    intro: dict[str, Prose] = Field(
        description="Section introductions by section: 'datasets', 'papers', 'explicit', 'implicit', 'topics'."
    )
