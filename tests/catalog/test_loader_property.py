"""Property: whatever text a contributor types into any field, the loader reports, never crashes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from minicatalog import paper_yaml, write_mini_catalog

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.problems import Problem

TEXT_FIELDS = [
    "id",
    "name",
    "title",
    "venue",
    "contribution",
    "abstract",
    "paper",
    "code",
    "doi",
    "arxiv",
    "project",
    "added",
    "year",
    "modalities",
    "representation",
    "datasets",
    "tags",
    "authors",
]
BASE = yaml.safe_load(paper_yaml("gamma"))

any_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200)


def _load_with(file_text: str | bytes) -> list[Problem]:
    root = Path(tempfile.mkdtemp())
    try:
        catalog_dir = write_mini_catalog(root / "catalog")
        target = catalog_dir / "papers" / "gamma.yaml"
        if isinstance(file_text, bytes):
            target.write_bytes(file_text)
        else:
            target.write_text(file_text, encoding="utf-8")
        return load_catalog(catalog_dir).problems
    finally:
        shutil.rmtree(root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(TEXT_FIELDS), value=any_text | st.integers() | st.none() | st.lists(any_text, max_size=3))
def test_any_value_in_any_field_is_reported_not_raised(field, value):
    data = {**BASE, field: value}
    problems = _load_with(yaml.safe_dump(data, allow_unicode=True))
    assert all(isinstance(p, Problem) and p.location.line >= 1 for p in problems)
    assert all(p.location.path.endswith(".yaml") for p in problems)


@settings(max_examples=150, deadline=None)
@given(content=st.binary(max_size=300) | any_text)
def test_any_file_content_is_reported_not_raised(content):
    problems = _load_with(content)
    assert all(isinstance(p, Problem) for p in problems)


plain_scalar = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x17F), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(plain_scalar, min_size=1, max_size=6))
@example(values=["!"])
def test_values_mean_what_yaml_safe_load_says(values):
    """Our reader takes its shortcut for plain text; dates, numbers, booleans and nulls still mean what
    the PyYAML safe loader it builds on makes of them (libyaml's where installed: it reads a bare `!` as ''
    where the pure-Python loader reads None), and what that loader refuses we refuse."""
    from ai4radiology.catalog.yamlsource import YamlSourceError, parse_yaml

    text = "".join(f"k{i}: {value}\n" for i, value in enumerate(values))
    try:
        expected = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError, OverflowError):
        try:
            parse_yaml(text)
        except YamlSourceError:
            return
        raise AssertionError(f"accepted what PyYAML refuses: {text!r}") from None
    if not isinstance(expected, dict):
        return
    assert repr(parse_yaml(text).data) == repr(expected)  # repr: .nan is not equal to itself
