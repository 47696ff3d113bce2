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
            if result["status"] in STATUS_WORDS:
                marks[result["url"]] = LinkMark(
                    result["status"],
                    result.get("http_status"),
                    result.get("final_url"),
                    dt.datetime.fromisoformat(result["checked_at"]).date(),
                )
        except (KeyError, TypeError, ValueError) as exc:
            raise LinkReportError(
                f"the link report {path}: result {index + 1} is malformed ({exc!r}); "
                "write it again with `ai4radiology linkcheck`"
            ) from None
    return marks
