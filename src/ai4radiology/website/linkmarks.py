"""Reading the link checker's JSON report, so each rendered link can show when it was last verified."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

# The words shown next to a link for each status; 'skipped' says nothing about the link and is not shown.
STATUS_WORDS = {
    "ok": "verified",
    "moved": "moved",
    "broken": "broken",
    "blocked": "not checkable",
    "timeout": "timed out",
    "error": "check failed",
}


class LinkReportError(Exception):
    """The report exists but cannot be used; the message says why."""


@dataclass(frozen=True)
class LinkMark:
    status: str
    http_status: int | None
    final_url: str | None
    checked_on: dt.date

    @property
    def word(self) -> str:
        """What the site shows for the status, e.g. 'verified'."""
        return STATUS_WORDS[self.status]


def read_link_report(path: Path) -> dict[str, LinkMark]:
    """URL -> its last check. The report is a list of results (or an object holding them under 'results')."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LinkReportError(f"cannot read the link report {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise LinkReportError(f"the link report {path} is not valid JSON: {exc}") from None
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise LinkReportError(
            f"the link report {path} holds no list of results; write it with `ai4radiology linkcheck`"
        )
    marks = {}
    for index, result in enumerate(results):
        try:
            mark = _mark(result)
        except (KeyError, TypeError, ValueError) as exc:
            raise LinkReportError(
                f"the link report {path}: result {index + 1} is malformed ({exc}); "
                "write it again with `ai4radiology linkcheck`"
            ) from None
        if mark is not None:
            marks[result["url"]] = mark
    return marks


def _mark(result: object) -> LinkMark | None:
    """One result's mark, every field checked for its type: the report is input, and its values reach HTML."""
    if not isinstance(result, dict):
        raise TypeError("not an object")
    status, url, http_status, final_url = (result.get(k) for k in ("status", "url", "http_status", "final_url"))
    if not isinstance(status, str) or not isinstance(url, str):
        raise TypeError("'status' and 'url' must be strings")
    if status not in STATUS_WORDS:
        return None
    if http_status is not None and (type(http_status) is not int or not 100 <= http_status <= 599):
        raise ValueError(f"'http_status' must be an HTTP status code, not {http_status!r:.40}")
    if final_url is not None and not isinstance(final_url, str):
        raise TypeError("'final_url' must be a string")
    checked_at = result.get("checked_at")
    if not isinstance(checked_at, str):
        raise TypeError("'checked_at' must be an ISO date-time string")
    return LinkMark(status, http_status, final_url, dt.datetime.fromisoformat(checked_at).date())
