"""The pieces of the site build on their own: charts, the docs folder, the link report, text helpers."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ai4radiology.catalog.models import Modality
from ai4radiology.website.build import DOCS_MARK, SiteError, write_docs
from ai4radiology.website.charts import PLOT_HEIGHT, Series, horizontal_bars, nice_ticks, stacked_years
from ai4radiology.website.filters import front_matter_text
from ai4radiology.website.linkmarks import LinkReportError, read_link_report
from ai4radiology.website.pages import modality_slugs

SERIES = [Series("slice", "Slice"), Series("nrf", "Neural Radiance Fields (NRF)")]


# --- charts -----------------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=100_000))
def test_ticks_start_at_zero_cover_the_maximum_and_are_evenly_spaced(maximum):
    ticks = nice_ticks(maximum)
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert ticks[0] == 0 and ticks[-1] >= maximum and len(steps) == 1
    assert 2 <= len(ticks) <= 6
    step = steps.pop()
    assert re.fullmatch(r"[125]0*", str(step)), step


def _rects(svg: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'(\w+)="([^"]*)"', rect)) for rect in re.findall(r"<rect ([^>]*)>", svg)]


def test_stacked_years_draws_one_segment_per_nonzero_count_at_the_right_height():
    per_year = {2019: Counter(slice=2), 2021: Counter(slice=1, nrf=3)}
    svg = stacked_years(per_year, SERIES, "Papers per year")
    rects = _rects(svg)
    assert [(r["class"]) for r in rects] == ["series-0", "series-0", "series-1"]
    scale = float(rects[0]["height"]) / 2
    assert [float(r["height"]) for r in rects] == [2 * scale, 1 * scale, 3 * scale]
    assert 4 * scale <= PLOT_HEIGHT  # the tallest column fits the plot
    assert re.findall(r">(20\d\d)</text>", svg) == ["2019", "2020", "2021"]  # the empty year keeps its place
    assert "<title>2021 · Neural Radiance Fields (NRF): 3</title>" in svg


def test_charts_take_their_colours_from_the_stylesheet_and_text_from_currentcolor():
    svgs = [stacked_years({2020: Counter(slice=1)}, SERIES, "a"), horizontal_bars([("CT", 3), ("MRI", 0)], "b")]
    for svg in svgs:
        assert 'fill="currentColor"' in svg
        assert not re.search(r'(fill|stroke|color)="#', svg), "colours belong to the stylesheet (light and dark)"


def test_horizontal_bars_keep_the_given_order_and_scale_to_the_longest():
    svg = horizontal_bars([("CT", 10), ("MRI", 5), ("X-ray", 0)], "Papers per modality")
    assert re.findall(r'text-anchor="end">([^<]+)</text>', svg) == ["CT", "MRI", "X-ray"]
    widths = [float(r["width"]) for r in _rects(svg)]
    assert widths[0] == 2 * widths[1] and widths[2] == 0


def test_chart_labels_are_escaped():
    svg = horizontal_bars([("<b>&", 1)], "a <label>")
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg and "a &lt;label&gt;" in svg


def test_chart_segments_link_where_asked_and_carry_their_numbers_as_a_table():
    per_year = {2020: Counter(slice=2), 2021: Counter(slice=1, nrf=3)}
    svg = stacked_years(per_year, SERIES, "Per year", lambda year, s: f"explorer.html?from={year}&categories={s}")
    assert re.findall(r'<a href="([^"]+)"', svg) == [
        "explorer.html?from=2020&amp;categories=slice",
        "explorer.html?from=2021&amp;categories=slice",
        "explorer.html?from=2021&amp;categories=nrf",
    ]
    assert 'role="group"' in svg  # links inside role="img" would be hidden from assistive technology
    table = re.search(r"<table>.*</table>", svg).group(0)
    assert re.findall(r"<tr><th scope=\"row\">(\d+)</th>((?:<td>\d+</td>)+)</tr>", table) == [
        ("2020", "<td>2</td><td>0</td><td>2</td>"),
        ("2021", "<td>1</td><td>3</td><td>4</td>"),
    ]
    bars = horizontal_bars([("<b>", 2)], "Per modality", lambda name: f"explorer.html?modality={name}")
    assert '<a href="explorer.html?modality=&lt;b&gt;"' in bars and "<b>" not in bars
    assert '<th scope="row">&lt;b&gt;</th><td>2</td>' in bars
    assert 'role="img"' in horizontal_bars([("CT", 1)], "no links")


# --- the docs folder ----------------------------------------------------------------------------------


def test_write_docs_writes_changes_only_and_removes_stale_files(tmp_path):
    docs = tmp_path / "docs"
    assert write_docs(docs, {"index.md": "home", "papers/a.md": "A", "papers/b.md": "B"}) == 3
    before = (docs / "papers" / "a.md").stat().st_mtime_ns
    assert write_docs(docs, {"index.md": "home", "papers/a.md": "A", "papers/b.md": "B, edited"}) == 1
    assert (docs / "papers" / "a.md").stat().st_mtime_ns == before
    assert write_docs(docs, {"index.md": "home"}) == 0
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == [DOCS_MARK, "index.md"]


def test_write_docs_refuses_a_folder_of_someone_elses_files(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "handwritten.md").write_text("mine")
    with pytest.raises(SiteError, match="did not generate"):
        write_docs(docs, {"index.md": "home"})
    assert (docs / "handwritten.md").read_text() == "mine"
    write_docs(docs, {"index.md": "home"}, force=True)
    assert not (docs / "handwritten.md").exists()


# --- the link report ----------------------------------------------------------------------------------


def _report(tmp_path: Path, data) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data))
    return path


def test_link_report_keeps_the_verdicts_worth_showing(tmp_path):
    results = [
        {
            "url": "https://a.example.org",
            "status": "ok",
            "http_status": 200,
            "final_url": "https://a.example.org",
            "checked_at": "2025-07-01T09:00:00Z",
            "origins": [],
        },
        {
            "url": "https://b.example.org",
            "status": "skipped",
            "http_status": None,
            "final_url": None,
            "checked_at": "2025-07-01T09:00:00+00:00",
            "origins": [],
        },
    ]
    for data in (results, {"results": results}):
        marks = read_link_report(_report(tmp_path, data))
        assert list(marks) == ["https://a.example.org"]
        assert (marks["https://a.example.org"].status, str(marks["https://a.example.org"].checked_on)) == (
            "ok",
            "2025-07-01",
        )


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "is not valid JSON"),
        ('{"results": 3}', "holds no list of results"),
        ('[{"url": "https://a.example.org", "status": "ok", "checked_at": "yesterday"}]', "result 1 is malformed"),
        # Values that reach an HTML attribute must have their types (issue 8, item 2).
        (
            '[{"url": "https://a.example.org", "status": "ok", "checked_at": "2025-07-01T09:00:00Z",'
            ' "http_status": "200\\" onmouseover=\\"alert(1)"}]',
            "'http_status' must be an HTTP status code",
        ),
        ('[{"url": "u", "status": "ok", "checked_at": "2025-07-01", "http_status": true}]', "HTTP status code"),
        ('[{"url": "u", "status": "ok", "checked_at": "2025-07-01", "final_url": ["x"]}]', "'final_url' must be"),
        ('[{"url": ["u"], "status": "ok", "checked_at": "2025-07-01"}]', "'status' and 'url' must be strings"),
        ('[{"url": "u", "status": "ok", "checked_at": 20250701}]', "'checked_at' must be"),
        ("[7]", "result 1 is malformed"),
    ],
)
def test_unusable_link_reports_are_explained(tmp_path, content, message):
    path = tmp_path / "report.json"
    path.write_text(content)
    with pytest.raises(LinkReportError, match=message):
        read_link_report(path)


# --- text helpers ---------------------------------------------------------------------------------------


@given(st.text())
def test_front_matter_text_is_one_yaml_string_safe_in_an_html_attribute(value):
    loaded = yaml.safe_load(f"title: {front_matter_text(value)}\n")["title"]
    assert isinstance(loaded, str) and not set('<>"') & set(loaded)


def test_modality_pages_get_distinct_file_names():
    modalities = [Modality(id=i, label=i, description="d") for i in ("X-ray", "X ray", "x-ray!", "CT")]
    slugs = modality_slugs(modalities)
    assert slugs == {"X-ray": "x-ray", "X ray": "x-ray-2", "x-ray!": "x-ray-3", "CT": "ct"}
