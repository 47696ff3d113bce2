"""The three report formats, from a hand-made report."""

from __future__ import annotations

import datetime as dt
import json
import re

from markdown_it import MarkdownIt

from ai4radiology.linkcheck import LinkOrigin, LinkResult, Status, to_json, to_markdown, to_text
from ai4radiology.linkcheck.model import Report

WHEN = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
A = LinkOrigin("catalog/papers/a.yaml", 12, 7, "a", "code")
B = LinkOrigin("catalog/papers/b.yaml", 30, 8, "b", "paper")


def sample() -> Report:
    return Report(
        [
            LinkResult("https://ok.example/", Status.OK, 200, "https://ok.example/", "", WHEN, (A,), 1),
            LinkResult(
                "https://gone.example/x",
                Status.BROKEN,
                404,
                "https://gone.example/x",
                "HTTP 404: page not found",
                WHEN,
                (A, B),
                2,
            ),
            LinkResult(
                "https://old.example/p",
                Status.MOVED,
                200,
                "https://new.example/p",
                "moved permanently: update the link to https://new.example/p",
                WHEN,
                (B,),
                2,
            ),
            LinkResult("https://wall.example/a|b", Status.BLOCKED, 403, None, "HTTP 403", WHEN, (B,), 0, cached=True),
        ],
        WHEN,
        1.25,
    )


def test_text_groups_problems_by_status_with_the_place_to_fix():
    text = to_text(sample())
    lines = text.splitlines()
    assert lines[0] == "BROKEN (1)"
    assert lines[1] == "  catalog/papers/a.yaml:12:7  a.code  https://gone.example/x  HTTP 404: page not found"
    assert lines[2].startswith("  catalog/papers/b.yaml:30:8  b.paper  https://gone.example/x")
    assert text.index("MOVED (1)") < text.index("BLOCKED (1)")
    assert "https://ok.example/" not in text
    assert lines[-1] == "Checked 4 links (1 from cache) in 1.2 s: 1 broken, 1 moved, 1 blocked, 1 ok"


def test_json_has_the_documented_schema():
    data = json.loads(to_json(sample()))
    assert data["schema_version"] == 1
    assert data["generated_at"] == "2026-01-05T03:00:00+00:00"
    assert data["summary"] == {"broken": 1, "moved": 1, "error": 0, "timeout": 0, "blocked": 1, "skipped": 0, "ok": 1}
    broken = next(r for r in data["results"] if r["status"] == "broken")
    assert broken == {
        "url": "https://gone.example/x",
        "status": "broken",
        "http_status": 404,
        "final_url": "https://gone.example/x",
        "detail": "HTTP 404: page not found",
        "checked_at": "2026-01-05T03:00:00+00:00",
        "cached": False,
        "requests_sent": 2,
        "origins": [
            {"record_id": "a", "field": "code", "path": "catalog/papers/a.yaml", "line": 12, "column": 7},
            {"record_id": "b", "field": "paper", "path": "catalog/papers/b.yaml", "line": 30, "column": 8},
        ],
    }


def test_markdown_tables_escape_pipes_and_cap_their_rows():
    markdown = to_markdown(sample())
    assert "### Broken (2)" in markdown  # one row per place to fix
    assert (
        "| `catalog/papers/a.yaml:12:7` | `a.code` | `https://gone.example/x` | `HTTP 404: page not found` |"
        in markdown
    )
    assert "`https://wall.example/a\\|b`" in markdown
    capped = to_markdown(sample(), max_rows=1)
    assert "… and 1 more" in capped


def test_markdown_says_so_when_all_is_well():
    report = Report([LinkResult("https://ok.example/", Status.OK, 200, checked_at=WHEN)], WHEN, 0.5)
    assert "No problems found." in to_markdown(report)
    assert not report.failed(strict=True)


def test_only_broken_fails_unless_strict():
    report = Report([LinkResult("https://x.example/", Status.BLOCKED, 403, checked_at=WHEN)], WHEN, 0.1)
    assert (report.failed(), report.failed(strict=True)) == (False, True)
    assert sample().failed()


def test_server_text_is_a_code_span_in_markdown_whatever_it_holds():
    """Issue 8, item 13: Markdown in a redirect's Location used to reach the weekly issue as markup."""
    hostile = "x` [click](https://evil.example) <img src=x onerror=alert(1)> ``` | @team\n# Title"
    report = Report(
        [LinkResult("https://a.example/x", Status.ERROR, 302, None, f"HTTP 302 redirect to: {hostile}", WHEN, (A,), 1)],
        WHEN,
        0.1,
    )
    markdown = to_markdown(report)
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<a " not in html and "<img" not in html and "<h1" not in html
    (cell,) = [c for c in re.findall(r"<td>(.*?)</td>", html) if "redirect to" in c]
    assert cell.startswith("<code>") and cell.endswith("</code>")  # one code span, whole
    assert "[click](https://evil.example)" in cell and "&lt;img" in cell and "| @team" in cell


def test_a_code_span_of_text_that_starts_with_a_backtick_is_padded():
    from ai4radiology.linkcheck.report import _code

    assert _code("`x`") == "`` `x` ``"
    assert _code("a``b") == "```a``b```"
    assert _code("") == ""
