"""Loading the catalog directory into a validated Catalog, with every problem located in its file."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Generic, TypeVar

from pydantic import ValidationError

from ai4radiology.catalog import messages
from ai4radiology.catalog.catalog import Catalog, RawRecord, Source, empty_modalities, empty_taxonomy
from ai4radiology.catalog.checks import check_catalog
from ai4radiology.catalog.kinds import (
    DATASET,
    METRICS,
    MODALITIES,
    PAPER,
    REVIEW,
    TASKS,
    TAXONOMY,
    TAXONOMY_2026,
    TOPIC,
    VENUES,
    RecordKind,
)
from ai4radiology.catalog.models import Dataset, Paper, Record, Topic
from ai4radiology.catalog.parallel import Forked, usable_cpus, worth_forking
from ai4radiology.catalog.problems import Location, Problem, Severity, display_path, sort_problems
from ai4radiology.catalog.yamlsource import YamlSourceError, load_yaml

R = TypeVar("R", bound=Record)
C = TypeVar("C", Paper, Dataset, Topic)


class CatalogInvalid(Exception):
    """The catalog has errors; callers that need a valid catalog report these and stop."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"the catalog has {len(problems)} error(s); run `ai4radiology validate` for details")
        self.problems = problems


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


def load_catalog(root: Path | str, *, cross_checks: bool = True) -> LoadResult:
    """Read and validate every record; never raises for bad input, every problem is returned.

    `cross_checks=False` skips the rules that need the whole catalog (for callers that only need records).
    """
    with cycle_collector_paused():
        return _load_catalog(Path(root), cross_checks)


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Loading allocates many small acyclic objects: the cyclic GC would rescan them again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_catalog(root: Path, cross_checks: bool) -> LoadResult:
    if not root.is_dir():
        missing = Problem(
            Location(display_path(root)),
            "",
            "catalog directory not found",
            hint="run from the repository root or pass --catalog DIR",
        )
        return LoadResult(Catalog(root, empty_taxonomy(), empty_modalities()), [missing], 0)

    reader = _Reader()
    taxonomy = reader.read(TAXONOMY.path(root), TAXONOMY.model)
    modalities = reader.read(MODALITIES.path(root), MODALITIES.model)
    review = reader.read(REVIEW.path(root), REVIEW.model)
    catalog = Catalog(
        root,
        taxonomy or empty_taxonomy(),
        modalities or empty_modalities(),
        review,
        reader.collection(root, PAPER),
        reader.collection(root, DATASET),
        reader.collection(root, TOPIC),
        reader.optional(root, TAXONOMY_2026),
        reader.optional(root, VENUES),
        reader.optional(root, TASKS),
        reader.optional(root, METRICS),
        rejected=tuple(reader.rejected),
        sources=MappingProxyType(reader.sources),
    )
    checks = check_catalog(catalog, fork=worth_forking(len(catalog.papers))) if cross_checks else []
    problems = [*reader.problems, *checks]
    return LoadResult(catalog, sort_problems(problems), reader.files_checked)


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


@dataclass
class _Reader:
    """Reads record files one by one, keeping what the Catalog is then built from."""

    problems: list[Problem] = field(default_factory=list)
    rejected: list[tuple[type[Record], RawRecord]] = field(default_factory=list)
    sources: dict[int, Source] = field(default_factory=dict)
    files_checked: int = 0

    keep_positions: bool = True
    """False in a worker process: positions are not sent back, the parent reads them again when needed."""

    def collection(self, root: Path, kind: RecordKind[C]) -> tuple[C, ...]:
        """The valid records of a kind kept one per file in a folder, sorted by id."""
        paths = list(_record_files(root / kind.attribute, self.problems))
        records = (
            self._read_shared(paths, kind.model) if worth_forking(len(paths)) else self._read_all(paths, kind.model)
        )
        return tuple(sorted((r for r in records if r is not None), key=lambda r: r.id))

    def _read_all(self, paths: list[Path], model: type[C]) -> list[C | None]:
        return [self.read(path, model) for path in paths]

    def _read_shared(self, paths: list[Path], model: type[C]) -> list[C | None]:
        """Reads one share here while forked children read the others."""
        count = usable_cpus()
        shares = [paths[i::count] for i in range(count)]
        children = [Forked(_read_in_worker, share, model) for share in shares[1:]]
        records = self._read_all(shares[0], model)
        for child in children:
            records.extend(self._adopt(child.result()))
        return records

    def _adopt(self, share: _Share[C]) -> list[C | None]:
        """A worker's results, with sources that read positions again when a problem needs them."""
        self.problems.extend(share.problems)
        self.files_checked += len(share.records)
        for path, model, data in share.rejected:
            self.rejected.append((model, data))
            self.sources[id(data)] = Source(path)
        for path, record in share.records:
            if record is not None:
                self.sources[id(record)] = Source(path)
        return [record for _, record in share.records]

    def optional(self, root: Path, kind: RecordKind[R]) -> R | None:
        """A single file a catalog may lack (a 2026 vocabulary): None when absent, without a problem."""
        path = kind.path(root)
        return self.read(path, kind.model) if path.exists() else None

    def read(self, path: Path, model: type[R]) -> R | None:
        """The record in `path`, or None when it cannot be read or validated (problems say why)."""
        self.files_checked += 1

        def problem(
            message: str, field: str = "", line: int = 1, column: int = 1, hint: str | None = None, rule: str = "schema"
        ) -> Problem:
            return Problem(Location(display_path(path), line, column), field, message, hint, rule=rule)

        try:
            document = load_yaml(path)
        except FileNotFoundError:
            self.problems.append(problem("file is missing", hint="every catalog needs this file", rule="file-name"))
            return None
        except YamlSourceError as exc:
            self.problems.append(problem(exc.message, exc.field, exc.line, exc.column, exc.hint, rule="yaml"))
            return None
        except OSError as exc:
            self.problems.append(problem(f"cannot read file: {exc.strerror}", rule="yaml"))
            return None
        for dup in document.duplicate_keys:
            self.problems.append(problem(dup.message, dup.field, dup.line, dup.column, dup.hint, rule="duplicate-key"))
        if not isinstance(document.data, dict):
            self.problems.append(
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
            self.problems.extend(
                messages.problem_from_pydantic(error, model, shown, document) for error in exc.errors(include_url=False)
            )
            self.rejected.append((model, document.data))
            self.sources[id(document.data)] = Source(path, document if self.keep_positions else None)
            return None
        self.sources[id(record)] = Source(path, document if self.keep_positions else None)
        record_id = getattr(record, "id", path.stem)
        if record_id != path.stem:
            line, column = document.locate(("id",))
            self.problems.append(
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


@dataclass
class _Share(Generic[C]):
    """What a worker read: each path with its record (None when rejected), and what it found wrong."""

    records: list[tuple[Path, C | None]]
    rejected: list[tuple[Path, type[Record], RawRecord]]
    problems: list[Problem]


def _read_in_worker(paths: list[Path], model: type[C]) -> _Share[C]:
    reader = _Reader(keep_positions=False)
    records = [(path, reader.read(path, model)) for path in paths]
    rejected = [(reader.sources[id(data)].path, kind, data) for kind, data in reader.rejected]
    return _Share(records, rejected, reader.problems)
