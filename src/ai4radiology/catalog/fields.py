"""What the models say about their fields, read from pydantic: kinds in words, nesting, descriptions.

Validation hints, scaffolds and CONTRIBUTING's field reference all describe fields through this
module, so they say the same thing as the models that validate them.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic.fields import FieldInfo

from ai4radiology.catalog.models import ArxivId, Doi, Record, Slug, Text, Url, Year

# Names for the value types of models.py, as a contributor reads them.
_TYPE_NAMES: tuple[tuple[Any, str], ...] = (
    (Url, "URL"),
    (Slug, "slug"),
    (Year, "year"),
    (Doi, "DOI"),
    (ArxivId, "arXiv id"),
    (Text, "text"),
)


def value_kind(annotation: Any) -> str:
    """What a field holds, in words: 'URL or null', 'list of id', 'one of: open, registration'."""
    origin = typing.get_origin(annotation)
    for alias, name in _TYPE_NAMES:
        if annotation == alias:
            return name
    if origin is Annotated:
        return value_kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = [value_kind(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
        return " or ".join(kinds) + (" or null" if type(None) in typing.get_args(annotation) else "")
    if origin is list:
        return f"list of {value_kind(typing.get_args(annotation)[0])}"
    if origin is dict:
        return "mapping"
    if origin is Literal:
        return "one of: " + ", ".join(map(str, typing.get_args(annotation)))
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation.__name__.lower()
    return {dt.date: "date (YYYY-MM-DD)", int: "whole number", str: "text"}.get(annotation, str(annotation))


def field_kind(field: FieldInfo) -> str:
    return value_kind(field.rebuild_annotation())


def is_list(field: FieldInfo) -> bool:
    annotation = field.rebuild_annotation()
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return typing.get_origin(annotation) is list


def nested_models(annotation: Any) -> list[type[Record]]:
    """The record models a field holds: Reference for `list[Reference]`, none for `list[str]`."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return [annotation]
    return [found for arg in typing.get_args(annotation) for found in nested_models(arg)]


def model_at(model: type[Record], path: Sequence[str | int]) -> type[Record] | None:
    """The model of the value at `path` ('references', 0 → Reference); None where no model holds it."""
    current: type[Record] | None = model
    for part in path:
        if isinstance(part, int):
            continue  # a list index: still the list's item model
        field = current.model_fields.get(part) if current else None
        if field is None:
            return None
        found = nested_models(field.rebuild_annotation())
        current = found[0] if len(found) == 1 else None
    return current


def field_at(model: type[Record], path: Sequence[str | int]) -> FieldInfo | None:
    """The field a value at `path` belongs to: ('references', 0, 'title') → Reference.title,
    ('modalities', 2) → Paper.modalities; None if the path names no field."""
    names = list(path)
    while names and isinstance(names[-1], int):
        names.pop()
    if not names:
        return None
    parent = model_at(model, names[:-1])
    last = names[-1]
    return parent.model_fields.get(last) if parent and isinstance(last, str) else None


def description_at(model: type[Record], path: Sequence[str | int]) -> str | None:
    field = field_at(model, path)
    return field.description if field and field.description else None
