"""Loading the catalog directory into validated records, with every problem located in its file."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from ai4radiology.catalog import messages
from ai4radiology.catalog.models import (
    Category,
    Dataset,
    Family,
    Modalities,
    Modality,
    Paper,
    Record,
    Review,
    Taxonomy,
    Topic,
)
from ai4radiology.catalog.problems import Location, Problem, Severity, sort_problems
from ai4radiology.catalog.yamlsource import YamlDocument, YamlSourceError, load_yaml

R = TypeVar("R", bound=Record)

# One folder per record type, one record per file: pull requests never touch the same file.
COLLECTIONS: dict[str, type[Record]] = {"papers": Paper, "datasets": Dataset, "topics": Topic}
SINGLETONS: dict[str, type[Record]] = {"taxonomy": Taxonomy, "modalities": Modalities, "review": Review}


class CatalogInvalid(Exception):
    """The catalog has errors; callers that need a valid catalog report these and stop."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"the catalog has {len(problems)} error(s); run `ai4radiology validate` for details")
        self.problems = problems


@dataclass
class Catalog:
    root: Path
    taxonomy: Taxonomy
    modalities: Modalities
    review: Review | None
    papers: list[Paper] = field(default_factory=list)
    datasets: list[Dataset] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    rejected: list[tuple[type[Record], dict]] = field(default_factory=list, repr=False)
    """Raw data of records the schema rejected: still checked for cross-references."""
    _sources: dict[int, tuple[Path, YamlDocument]] = field(default_factory=dict, repr=False)

    # --- where records come from -------------------------------------------------
    def source_path(self, record: Record | dict) -> str:
        return display_path(self._sources[id(record)][0])

    def locate(self, record: Record | dict, field_path: str | tuple = ()) -> Location:
        path, document = self._sources[id(record)]
        parts = tuple(field_path.split(".")) if isinstance(field_path, str) and field_path else tuple(field_path)
        parts = tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in parts)
        line, column = document.locate(parts)
        return Location(display_path(path), line, column)

    # --- lookups -------------------------------------------------------------------
    @property
    def families(self) -> list[Family]:
        return self.taxonomy.families

    @property
    def categories(self) -> dict[str, Category]:
        return {c.id: c for f in self.taxonomy.families for c in f.categories}

    def family_of(self, category_id: str) -> Family:
        return next(f for f in self.taxonomy.families if any(c.id == category_id for c in f.categories))

    @property
    def modality_ids(self) -> dict[str, Modality]:
        return {m.id: m for m in self.modalities.modalities}

    @property
    def dataset_ids(self) -> dict[str, Dataset]:
        return {d.id: d for d in self.datasets}

    @property
    def paper_ids(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}

    def papers_using(self, dataset_id: str) -> list[Paper]:
        """Derived, never stored: a dataset's papers are those that list it."""
        return [p for p in self.papers if dataset_id in p.datasets]


@dataclass
class LoadResult:
    catalog: Catalog
    problems: list[Problem]
    files_checked: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def require_valid(self) -> Catalog:
        if self.errors:
            raise CatalogInvalid(self.errors)
        return self.catalog


def display_path(path: Path) -> str:
    """Repository-relative where possible, so reports and CI annotations point at the file."""
    try:
        return Path(os.path.relpath(path)).as_posix() if Path(path).is_absolute() else Path(path).as_posix()
    except ValueError:
        return Path(path).as_posix()


def load_catalog(root: Path | str, *, cross_checks: bool = True) -> LoadResult:
    """Read and validate every record; never raises for bad input, every problem is returned.

    `cross_checks=False` skips the rules that need the whole catalog (for callers that only need records).
    """
    # Loading allocates many small acyclic objects; the cyclic GC would rescan them again and again.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_catalog(Path(root), cross_checks)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load_catalog(root: Path, cross_checks: bool) -> LoadResult:
    from ai4radiology.catalog.checks import check_catalog  # checks need a Catalog; imported late to keep layers one-way

    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(
            Problem(
                Location(display_path(root)),
                "",
                "catalog directory not found",
                hint="run from the repository root or pass --catalog DIR",
            )
        )
        empty = Catalog(root, Taxonomy.model_construct(families=[]), Modalities.model_construct(modalities=[]), None)
        return LoadResult(empty, problems, 0)

    files_checked = 0
    singletons: dict[str, Record | None] = {}
    catalog = Catalog(root, Taxonomy.model_construct(families=[]), Modalities.model_construct(modalities=[]), None)
    for name, model in SINGLETONS.items():
        path = root / f"{name}.yaml"  # a link or FIFO here is refused by the reader
        files_checked += 1
        singletons[name] = _load_record(path, model, problems, catalog)
    catalog.taxonomy = singletons["taxonomy"] or catalog.taxonomy  # type: ignore[assignment]
    catalog.modalities = singletons["modalities"] or catalog.modalities  # type: ignore[assignment]
    catalog.review = singletons["review"]  # type: ignore[assignment]

    for folder, model in COLLECTIONS.items():
        records = getattr(catalog, folder)
        for path in _record_files(root / folder, problems):
            files_checked += 1
            record = _load_record(path, model, problems, catalog)
            if record is not None:
                records.append(record)
        records.sort(key=lambda r: r.id)

    if cross_checks:
        problems.extend(check_catalog(catalog))
    return LoadResult(catalog, sort_problems(problems), files_checked)


def _record_files(folder: Path, problems: list[Problem]) -> Iterator[Path]:
    """The record files of a collection folder; every other entry is reported, none silently skipped.

    Symbolic links are refused (they may point out of the repository); the reader refuses
    FIFOs, devices and folders named like a record.
    """

    def refuse(path: Path, message: str, hint: str | None = None) -> None:
        problems.append(Problem(Location(display_path(path)), "", message, hint=hint, rule="file-name"))

    if folder.is_symlink():
        refuse(folder, "is a symbolic link; catalog folders are read only from the repository itself")
        return
    if not folder.exists():
        return
    if not folder.is_dir():
        refuse(folder, "should be a folder of record files, not a file")
        return
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        refuse(folder, f"cannot list the folder: {exc.strerror}")
        return
    for path in entries:
        if path.name.startswith("."):
            continue  # .gitkeep, editors' swap files
        if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml":
            refuse(path, f"record files end in .yaml, not {path.suffix}", f"rename it to {path.stem}.yaml")
        elif path.suffix != ".yaml":
            refuse(path, "not a record file: records are YAML files ending in .yaml", "move or remove it")
        else:
            yield path  # links, folders and FIFOs are refused by the reader, at this path


def _load_record(path: Path, model: type[R], problems: list[Problem], catalog: Catalog) -> R | None:
    def problem(
        message: str, field: str = "", line: int = 1, column: int = 1, hint: str | None = None, rule: str = "schema"
    ) -> Problem:
        return Problem(Location(display_path(path), line, column), field, message, hint, rule=rule)

    try:
        document = load_yaml(path)
    except FileNotFoundError:
        problems.append(problem("file is missing", hint="every catalog needs this file", rule="file-name"))
        return None
    except YamlSourceError as exc:
        problems.append(problem(exc.message, exc.field, exc.line, exc.column, exc.hint, rule="yaml"))
        return None
    except OSError as exc:
        problems.append(problem(f"cannot read file: {exc.strerror}", rule="yaml"))
        return None
    for dup in document.duplicate_keys:
        problems.append(problem(dup.message, dup.field, dup.line, dup.column, dup.hint, rule="duplicate-key"))
    if not isinstance(document.data, dict):
        problems.append(
            problem(
                "expected a mapping of fields (key: value) at the top level",
                hint="see CONTRIBUTING.md for the layout of a record",
            )
        )
        return None
    try:
        record = model.model_validate(document.data)
    except ValidationError as exc:
        shown = display_path(path)
        problems.extend(
            messages.problem_from_pydantic(error, model, shown, document) for error in exc.errors(include_url=False)
        )
        catalog.rejected.append((model, document.data))
        catalog._sources[id(document.data)] = (path, document)
        return None
    catalog._sources[id(record)] = (path, document)
    record_id = getattr(record, "id", path.stem)
    if record_id != path.stem:
        line, column = document.locate(("id",))
        problems.append(
            problem(
                f"id '{record_id}' does not match the file name '{path.name}'",
                "id",
                line,
                column,
                f"rename the file to {record_id}.yaml or set id: {path.stem}",
                rule="file-name",
            )
        )
    return record
