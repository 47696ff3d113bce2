"""A link check report as text (for people and CI logs), JSON (for the site and tools) or Markdown.

JSON report, schema_version 1 (the site reads `results` for its per-link "last verified" marks)::

    {
      "schema_version": 1,
      "generated_at": "2026-01-05T03:00:00+00:00",   # when the run started, ISO 8601 UTC
      "duration_seconds": 42.1,
      "summary": {"broken": 0, "moved": 1, "error": 0, "timeout": 0, "blocked": 2, "skipped": 0, "ok": 311},
      "results": [                                     # one per unique URL, sorted by URL
        {
          "url": "https://github.com/example/code",
          "status": "ok",                  # ok | moved | broken | blocked | timeout | error | skipped
          "http_status": 200,              # of the last answer after redirects; null when none came
          "final_url": "https://github.com/example/code",   # where redirects ended; null when unknown
          "detail": "",                    # why, in words: "HTTP 404: page not found", "moved permanently: ..."
          "checked_at": "2026-01-05T03:00:12+00:00",        # when this verdict was made (earlier if cached)
          "cached": false,                 # true when the verdict came from the cache, not a request
          "requests_sent": 1,              # in this run
          "origins": [{"record_id": "alpha-net", "field": "code",
                       "path": "catalog/papers/alpha-net.yaml", "line": 12, "column": 7}]
        }
      ]
    }
"""

from __future__ import annotations

import re

import msgspec

from .model import REPORT_ORDER, LinkOrigin, LinkResult, Report, shown

SCHEMA_VERSION = 1
PROBLEM_ORDER = [s for s in REPORT_ORDER if s.is_problem]
MARKDOWN_ROWS = 100  # per status: a step summary or an issue body must stay well under GitHub's size limits


def summary_line(report: Report) -> str:
    total = len(report.results)
    cached = sum(r.cached for r in report.results)
    counts = ", ".join(f"{n} {status.value}" for status, n in report.counts.items() if n)
    from_cache = f" ({cached} from cache)" if cached else ""
    return f"Checked {total} link{'s' * (total != 1)}{from_cache} in {report.duration:.1f} s: {counts or 'nothing'}"


def to_text(report: Report) -> str:
    """Problems grouped by status, one line per place to fix: `file:line:col  record.field  URL  detail`."""
    lines = []
    for status in PROBLEM_ORDER:
        results = [r for r in report.problems if r.status is status]
        if not results:
            continue
        lines.append(f"{status.value.upper()} ({len(results)})")
        for result in results:
            for origin in result.origins or (None,):
                where = f"{origin.location}  {_label(origin)}" if origin else "(no origin)"
                lines.append(f"  {where}  {result.url}  {_detail(result)}")
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> str:
    data = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": report.started_at.isoformat(),
        "duration_seconds": round(report.duration, 3),
        "summary": {status.value: n for status, n in report.counts.items()},
        "results": [_result_dict(r) for r in report.results],
    }
    # msgspec's encoder is compiled; json.dumps with indent falls back to pure Python (~0.5 ms per result)
    return msgspec.json.format(msgspec.json.encode(data), indent=2).decode("utf-8") + "\n"


def to_markdown(report: Report, max_rows: int = MARKDOWN_ROWS) -> str:
    lines = ["## Link check", "", summary_line(report), ""]
    for status in PROBLEM_ORDER:
        rows = [(r, o) for r in report.problems if r.status is status for o in r.origins or (None,)]
        if not rows:
            continue
        lines += [
            f"### {status.value.capitalize()} ({len(rows)})",
            "",
            "| Where | Record | Link | Detail |",
            "| --- | --- | --- | --- |",
        ]
        for result, origin in rows[:max_rows]:
            where = _code(origin.location) if origin else ""
            label = _code(_label(origin)) if origin else ""
            lines.append(f"| {where} | {label} | {_code(result.url)} | {_code(_detail(result))} |")
        if len(rows) > max_rows:
            lines.append(f"\n… and {len(rows) - max_rows} more: see the JSON report.")
        lines.append("")
    if not report.problems:
        lines.append("No problems found.")
    return "\n".join(lines) + "\n"


def _result_dict(result: LinkResult) -> dict[str, object]:
    return {
        "url": result.url,
        "status": result.status.value,
        "http_status": result.http_status,
        "final_url": result.final_url,
        "detail": result.detail,
        "checked_at": result.checked_at.isoformat(),
        "cached": result.cached,
        "requests_sent": result.requests_sent,
        "origins": [
            {"record_id": o.record_id, "field": o.field, "path": o.path, "line": o.line, "column": o.column}
            for o in result.origins
        ],
    }


def _label(origin: LinkOrigin) -> str:
    return f"{origin.record_id}.{origin.field}" if origin.record_id else origin.field


def _detail(result: LinkResult) -> str:
    detail = result.detail or (f"HTTP {result.http_status}" if result.http_status else "")
    return f"{detail} (cached)" if result.cached else detail


def _code(text: str) -> str:
    """Any text as a Markdown code span inside a table cell: never markup, whatever a server sent.

    The fence is one backtick longer than the longest run of backticks inside, padded with a space when the
    text starts or ends with a backtick; pipes are escaped, which GFM undoes inside table cells.
    """
    text = shown(text).replace("|", "\\|")
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"
