"""Problems as GitHub Actions workflow commands, so a pull request shows each one on its YAML line."""

from __future__ import annotations

from ai4radiology.catalog.problems import Problem, Severity


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """`::error file=...,line=...,col=...,title=...::message (hint: ...)`."""
    loc = problem.location
    command = "error" if problem.severity is Severity.ERROR else "warning"
    message = f"{problem.message} (hint: {problem.hint})" if problem.hint else problem.message
    properties = ",".join(
        f"{key}={_escape_property(str(value))}"
        for key, value in (
            ("file", loc.path),
            ("line", loc.line),
            ("col", loc.column),
            ("title", problem.field or "(file)"),
        )
    )
    return f"::{command} {properties}::{_escape_data(message)}"


def format_github(problems: list[Problem], checked: int) -> str:
    """Same signature as problems.format_text/format_json, for `validate --format github`."""
    errors = sum(p.severity is Severity.ERROR for p in problems)
    lines = [annotation(problem) for problem in problems]
    lines.append(f"{checked} files checked: {errors} error(s), {len(problems) - errors} warning(s)")
    return "\n".join(lines)
