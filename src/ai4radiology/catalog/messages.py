"""Friendly wording for pydantic's errors, kept as data (one entry per error type)."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

from ai4radiology.catalog.fields import description_at, model_at
from ai4radiology.catalog.models import TODO_MARK, Record
from ai4radiology.catalog.problems import Location, Problem, did_you_mean, shorten
from ai4radiology.catalog.yamlsource import YamlDocument

# error type -> (message, hint); {input} and {field} are filled in.
MESSAGES: dict[str, tuple[str, str | None]] = {
    "missing": ("required field is missing", "add `{field}:` to this record"),
    "extra_forbidden": ("unknown field '{field}'", None),
    "string_too_short": ("must not be empty", None),
    "string_type": ("expected text, got {kind}", "quote the value if it is meant as text"),
    "int_type": ("expected a whole number, got {kind}", None),
    "int_parsing": ("expected a whole number, got '{input}'", None),
    "int_from_float": ("expected a whole number, got '{input}'", None),
    "list_type": ("expected a list, got {kind}", "write a list: `[a, b]` or one `- item` per line"),
    "too_short": ("must list at least one value", None),
    "dict_type": ("expected a mapping (key: value), got {kind}", None),
    "literal_error": ("'{input}' is not allowed", "allowed: {expected}"),
    "date_type": ("expected a date like 2025-06-17, got {kind}", None),
    "date_parsing": ("expected a date like 2025-06-17, got '{input}'", None),
    "date_from_datetime_parsing": ("expected a date like 2025-06-17, got '{input}'", None),
    "greater_than_equal": ("must be at least {ge}", None),
    "model_type": ("expected a mapping of fields, got {kind}", None),
}

# pattern mismatches are explained by the field that has the pattern
PATTERN_HINTS: dict[str, tuple[str, str]] = {
    "doi": ("'{input}' is not a bare DOI", "write only the DOI, e.g. 10.1109/TMI.2023.3261822 (no https://doi.org/)"),
    "arxiv": ("'{input}' is not a bare arXiv id", "write only the id, e.g. 2405.20693"),
}
SLUG_MESSAGE = ("'{input}' is not a valid id", "use lowercase letters, digits and single hyphens, e.g. r2-gaussian")


def problem_from_pydantic(error: ErrorDetails, model: type[Record], path: str, document: YamlDocument) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    field_name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    value: Any = error.get("input")
    line, column = document.locate(loc, at_key=kind in ("extra_forbidden",))
    values = {
        "field": field_name,
        "input": shorten(str(value)),
        "kind": _kind(value),
        **{k: v for k, v in (error.get("ctx") or {}).items()},
    }
    message, hint = _wording(kind, field_name, value, error, model, values)
    return Problem(Location(path, line, column), ".".join(map(str, loc)), message, hint, rule="schema")


def _wording(
    kind: str, field_name: str, value: Any, error: ErrorDetails, model: type[Record], values: dict[str, Any]
) -> tuple[str, str | None]:
    loc = error["loc"]
    if isinstance(value, str) and value.strip().upper().startswith(TODO_MARK):
        return "still a TODO placeholder", description_at(model, loc) or "replace TODO with the real value"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, "), None
    if kind == "string_pattern_mismatch":
        pattern_message, pattern_hint = PATTERN_HINTS.get(field_name, SLUG_MESSAGE)
        return pattern_message.format(**values), pattern_hint
    if kind == "extra_forbidden":
        parent = model_at(model, loc[:-1])
        return MESSAGES[kind][0].format(**values), did_you_mean(field_name, list((parent or model).model_fields))
    if kind in MESSAGES:
        message, hint = MESSAGES[kind]
        return message.format(**values), hint.format(**values) if hint else description_at(model, loc)
    return str(error["msg"]), None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"'{shorten(str(value))}'"
