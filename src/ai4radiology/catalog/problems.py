"""Problems found in the catalog, kept as data so every reporter can format them."""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


def display_path(path: Path | str) -> str:
    """Repository-relative where possible, so reports and CI annotations point at the file."""
    try:
        return Path(os.path.relpath(path)).as_posix() if Path(path).is_absolute() else Path(path).as_posix()
    except ValueError:
        return Path(path).as_posix()


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Problem:
    location: Location
    field: str
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR
    rule: str = "schema"

    def format(self) -> str:
        """One line; characters a terminal would act on (ESC, line breaks from a record) are shown escaped."""
        loc = self.location
        text = f"{loc.path}:{loc.line}:{loc.column}: {self.severity.value}: {self.field or '(file)'}: {self.message}"
        return visible(f"{text} (hint: {self.hint})" if self.hint else text)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return {**data.pop("location"), **data}


def shorten(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters with '...', so a message quoting a value stays one readable line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def visible(text: str) -> str:
    """`text` with every non-printable character written as a Python escape (\\x1b, \\u200b)."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest known value, matched case-insensitively."""
    choices = list(choices)
    lowered = {choice.lower(): choice for choice in choices}
    if value.lower() in lowered:
        return f"did you mean '{lowered[value.lower()]}'?"
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{lowered[close[0]]}'?"
    return f"known values: {', '.join(sorted(choices))}" if len(choices) <= 12 else None


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.location, p.field, p.message))


def format_text(problems: list[Problem], checked: int) -> str:
    lines = [problem.format() for problem in problems]
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    lines.append(f"{checked} files checked: {errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def format_json(problems: list[Problem], checked: int) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    return json.dumps(
        {
            "files_checked": checked,
            "errors": errors,
            "warnings": len(problems) - errors,
            "problems": [p.to_dict() for p in problems],
        },
        indent=2,
        ensure_ascii=False,
    )
