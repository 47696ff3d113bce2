"""Reading one YAML file defensively, remembering where every value stands.

PyYAML alone would keep the last of two duplicate keys (silent data loss),
expand alias bombs, and forget line numbers. We compose the node tree,
reject what a catalog record never needs (aliases, huge or binary files),
and keep a map from each value's path to its line and column.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_SafeLoader):  # type: ignore[valid-type,misc]  # CSafeLoader has no stubs
    """PyYAML's safe loader (compiled when libyaml is there). A plain scalar whose first character starts no
    implicit type (most keys and texts: 'abstract', 'Sparse-view CT ...') is a string without trying the
    type patterns: the same answer, for about a third of the parse time of a record spent resolving."""

    _typed_starts = frozenset(_SafeLoader.yaml_implicit_resolvers)
    _only_typed_starts = None not in _typed_starts and not _SafeLoader.yaml_path_resolvers

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if (
            self._only_typed_starts
            and kind is yaml.ScalarNode
            and implicit[0]
            and value
            and value[0] not in self._typed_starts
        ):
            return STR_TAG
        return str(super().resolve(kind, value, implicit))


STR_TAG = "tag:yaml.org,2002:str"
MAX_BYTES = 2 * 1024 * 1024  # a record is a few KB; anything this large is a mistake
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]


class YamlSourceError(Exception):
    """A file that cannot be read as a catalog document; carries a position and a hint."""

    def __init__(self, message: str, line: int = 1, column: int = 1, hint: str | None = None, field: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint
        self.field = field


@dataclass
class YamlDocument:
    data: Any
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    duplicate_keys: list[YamlSourceError] = field(default_factory=list)

    def locate(self, path: PathKey, *, at_key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `path`, or of its nearest existing parent."""
        path = tuple(path)
        while path:
            table = self.keys if at_key and path in self.keys else self.values
            if path in table:
                return table[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, never following a symbolic link (which could point out of the
    repository), never blocking on a FIFO, and never more than MAX_BYTES (a /proc file says size 0)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise YamlSourceError(
                "is a symbolic link; catalog files are read only from the repository itself",
                hint="replace the link with the file it points to",
            ) from None
        raise
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise YamlSourceError("not a regular file (a folder, FIFO or device)", hint="catalog files are YAML files")
        if status.st_size > MAX_BYTES:
            _too_large(f"file is {status.st_size / 1_048_576:.1f} MiB")
        raw = _read_all(fd, status.st_size)
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:  # a file whose size the system does not report (/proc) or that grew
        _too_large("file is larger than that")
    return raw


def _read_all(fd: int, size: int) -> bytes:
    """Up to MAX_BYTES + 1 bytes; asks for the reported size first (one read for a regular file, without
    allocating MAX_BYTES each time), then in blocks for files that grew or report no size."""
    chunks, total, wanted = [], 0, size + 1
    while total <= MAX_BYTES:
        chunk = os.read(fd, min(wanted, MAX_BYTES + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if size and len(chunk) < wanted:  # a short read of a file with a size is its end: no read to see EOF
            break
        wanted = 65536
    return b"".join(chunks)


def _too_large(what: str) -> None:
    raise YamlSourceError(
        f"{what}; catalog files are limited to {MAX_BYTES / 1_048_576:g} MiB",
        hint="a record should be a few kilobytes: is this the right file?",
    )


def read_text(path: Path) -> str:
    raw = read_bytes(path)
    if b"\x00" in raw:
        raise YamlSourceError("binary file, not YAML text", hint="catalog files must be UTF-8 YAML")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlSourceError(f"not valid UTF-8 (byte {exc.start})", line=line, hint="save the file as UTF-8") from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlSourceError("empty file: no fields found", hint="scaffold one with `ai4radiology new paper`")
    return text


def parse_yaml(text: str) -> YamlDocument:
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlSourceError("empty document: no fields found")
        document = YamlDocument(data=None)
        document.data = _Builder(loader, document).build(node, (), 0)
        return document
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "malformed YAML"
        raise YamlSourceError(f"malformed YAML: {message}", line, column, _yaml_hint(message)) from None
    except yaml.YAMLError as exc:
        raise YamlSourceError(f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()


def load_yaml(path: Path) -> YamlDocument:
    return parse_yaml(read_text(path))


def _yaml_hint(message: str) -> str | None:
    if "mapping values are not allowed" in message:
        return "a text containing ': ' must be quoted or written as a block (`key: >-` then indented lines)"
    if "found character '\\t'" in message:
        return "indent with spaces, not tabs"
    if "expected <block end>" in message or "did not find expected" in message:
        return "check the indentation of this line and the one above"
    return None


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """One walk over the node tree: positions, duplicate keys, and the Python value.

    Refuses aliases (no record needs them; YAML bombs do) and absurd nesting.
    Plain strings are taken straight from the node; other scalars go through
    PyYAML's safe constructor so dates, numbers and nulls mean what YAML says.
    """

    def __init__(self, loader: yaml.SafeLoader, document: YamlDocument):
        self.loader = loader
        self.doc = document
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        if id(node) in self.seen:
            raise YamlSourceError(
                "YAML anchors and aliases (&name, *name) are not allowed in catalog files",
                *_mark(node),
                hint="write the value out in full",
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlSourceError(f"nesting deeper than {MAX_DEPTH} levels", *_mark(node))
        self.doc.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == STR_TAG:
            return node.value
        return self._construct(node, path)

    def _construct(self, node: yaml.Node, path: PathKey) -> Any:
        """A date, number, boolean or null as YAML reads it; one that no Python value can hold is an error
        at its position (PyYAML raises a bare ValueError for 2025-06-31 or a 5,000-digit number)."""
        try:
            return self.loader.construct_object(node)
        except (ValueError, OverflowError) as exc:
            text = str(node.value)
            shown = text if len(text) <= 40 else f"{text[:37]}... ({len(text)} characters)"
            if node.tag.endswith(":timestamp"):
                message, hint = f"'{shown}' is not a real date ({exc})", "write the date as YYYY-MM-DD"
            else:
                message, hint = f"'{shown}' is not a number this catalog can hold", "is a digit repeated?"
            raise YamlSourceError(
                message, *_mark(node), hint=f"{hint}; quote the value if it is text", field=".".join(map(str, path))
            ) from None

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSourceError("keys must be plain names", *_mark(key_node))
            if key_node.value == "<<":
                raise YamlSourceError("merge keys (<<) are not allowed in catalog files", *_mark(key_node))
            key = key_node.value if key_node.tag == STR_TAG else self._construct(key_node, path)
            if key in first_seen:
                self.doc.duplicate_keys.append(
                    YamlSourceError(
                        f"duplicate key '{key}' (first defined on line {first_seen[key][0]}); "
                        "YAML would silently keep only the last",
                        *_mark(key_node),
                        hint="merge the two values into one key",
                        field=".".join(map(str, (*path, key))),
                    )
                )
            first_seen[key] = _mark(key_node)
            self.doc.keys[(*path, key)] = first_seen[key]
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result
