"""The URLs of a record, listed once for every feature that needs them, and the one http(s) URL rule."""

from __future__ import annotations

import re
from typing import Any

import pytest
from readme_kit import REPO

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.models import arxiv_url, doi_url, require_http_url
from ai4radiology.catalog.urls import record_urls

CATALOG = load_catalog(REPO / "catalog").require_valid()


def url_fields(data: Any, path: str = "") -> dict[str, str]:
    """Every http(s) string in a record's data, by field path."""
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in url_fields(value, f"{path}{key}.").items()}
    if isinstance(data, list):
        return {k: v for i, value in enumerate(data) for k, v in url_fields(value, f"{path}{i}.").items()}
    return {path.rstrip("."): data} if isinstance(data, str) and data.startswith(("http://", "https://")) else {}


RECORDS = [*CATALOG.papers, *CATALOG.datasets, *CATALOG.topics, CATALOG.review]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: getattr(r, "id", "review"))
def test_every_url_a_record_holds_is_listed_with_its_field(record):
    listed = {link.field: link.url for link in record_urls(record)}
    bare_ids = {"doi": doi_url, "arxiv": arxiv_url}
    expected = url_fields(record.model_dump(mode="json"))
    expected.update(
        {field: to_url(getattr(record, field)) for field, to_url in bare_ids.items() if getattr(record, field, None)}
    )
    assert listed == expected


def test_vocabulary_records_hold_no_urls():
    assert list(record_urls(CATALOG.taxonomy)) == [] and list(record_urls(CATALOG.modalities)) == []


@pytest.mark.parametrize(
    "url", ["https://example.org/x", "http://[::1]:8080/", "https://user:pw@example.org:65535/a?b#c"]
)
def test_http_urls_with_a_host_pass(url):
    assert require_http_url(url) == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/file", "must be an http(s) URL"),
        ("https://exa mple.org", "must be an http(s) URL"),
        ("http://", "must be an http(s) URL"),
        ("example.org/x", "must be an http(s) URL"),
        ("http://example.org:99999/", "port '99999' is not a port number (0 to 65535)"),
        ("http://example.org:8o/", "port '8o' is not a port number"),
        ("http://[::1/x", "the host has a '[' without ']'"),
        ("http://::1]/x", "the host has a '[' without ']'"),
    ],
)
def test_other_urls_are_refused_saying_why(url, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        require_http_url(url)
