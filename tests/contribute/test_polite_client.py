"""Identifiers, pacing, back-off and the cache of the service clients, without waiting for real time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from fakeservices import SPLAT, Answer, FakeServices, atom

from ai4radiology.contribute.http import JsonCache, PoliteClient, ServiceError, Settings, retry_after
from ai4radiology.contribute.identifiers import Identifier, IdentifierError, parse_identifier
from ai4radiology.contribute.services import Arxiv

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arxiv:2505.15235", Identifier("arxiv", "2505.15235")),
        ("arXiv:2505.15235v3", Identifier("arxiv", "2505.15235")),
        ("2505.15235", Identifier("arxiv", "2505.15235")),
        ("https://arxiv.org/abs/2505.15235v2", Identifier("arxiv", "2505.15235")),
        ("https://arxiv.org/pdf/2505.15235.pdf", Identifier("arxiv", "2505.15235")),
        ("doi:10.1109/TMI.2022.3217543", Identifier("doi", "10.1109/tmi.2022.3217543")),
        ("https://doi.org/10.1109/TMI.2022.3217543", Identifier("doi", "10.1109/tmi.2022.3217543")),
        ("10.1109/TMI.2022.3217543", Identifier("doi", "10.1109/tmi.2022.3217543")),
        ("doi:10.48550/arXiv.2505.15235", Identifier("arxiv", "2505.15235")),
    ],
)
def test_identifiers_in_every_form(text, expected):
    assert parse_identifier(text) == expected


@pytest.mark.parametrize(
    "text", ["", "arxiv:", "arxiv:25.1", "doi:11.1/x", "math/0510097", "https://arxiv.org/list/cs"]
)
def test_malformed_identifiers(text):
    with pytest.raises(IdentifierError):
        parse_identifier(text)


class FakeTime:
    """A clock that moves only when the client sleeps: waits are recorded, never spent."""

    def __init__(self) -> None:
        self.now, self.sleeps = 100.0, []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def fake():
    services = FakeServices([SPLAT]).start()
    yield services
    services.stop()


def client(fake: FakeServices, time: FakeTime, **settings) -> PoliteClient:
    config = Settings.from_base_url(fake.url, cache_path=None, **settings)
    return PoliteClient(config, sleep=time.sleep, clock=time.clock)


def test_arxiv_requests_keep_three_seconds_apart(fake):
    time = FakeTime()
    arxiv = Arxiv(client(fake, time))
    for _ in range(3):
        arxiv.entry("2501.01234")
    assert time.sleeps == [3.0, 3.0]
    assert fake.counts["/api/query"] == 3


def test_back_off_honours_retry_after_then_doubles(fake):
    time = FakeTime()
    ok = Answer(200, atom([SPLAT]))
    fake.script("/api/query", Answer(429, "", {"Retry-After": "7"}), Answer(503, ""), ok)
    Arxiv(client(fake, time)).entry("2501.01234")
    # Retry-After 7 s, then 3 s * 2 for the second retry; each wait covers the 3 s pacing too
    assert time.sleeps == [7.0, 6.0]
    assert fake.counts["/api/query"] == 3


def test_retries_end_with_a_clear_error(fake):
    time = FakeTime()
    fake.script("/api/query", Answer(503, "", {"Retry-After": "1"}))
    with pytest.raises(ServiceError, match=r"arXiv is unavailable \(HTTP 503 after 3 retries\)"):
        Arxiv(client(fake, time)).entry("2501.01234")
    assert fake.counts["/api/query"] == 4


def test_rate_limit_zero_waits_for_nothing(fake):
    time = FakeTime()
    fake.script("/api/query", Answer(429, "", {"Retry-After": "5"}), Answer(200, atom([SPLAT])))
    Arxiv(client(fake, time, interval=0)).entry("2501.01234")
    assert time.sleeps == []


def test_retry_after_as_seconds_or_http_date():
    now = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
    assert retry_after("120", now) == 120
    assert retry_after("Sun, 01 Jun 2025 12:00:30 GMT", now) == 30
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_cache_entries_expire_and_damaged_files_are_ignored(tmp_path):
    clock = [dt.datetime(2025, 6, 1, tzinfo=dt.UTC)]
    path = tmp_path / ".cache" / "lookups.json"
    cache = JsonCache(path, dt.timedelta(days=7), lambda: clock[0])
    cache.put("k", "answer")
    cache.save()
    assert JsonCache(path, dt.timedelta(days=7), lambda: clock[0]).get("k") == "answer"
    clock[0] += dt.timedelta(days=8)
    assert JsonCache(path, dt.timedelta(days=7), lambda: clock[0]).get("k") is None
    path.write_text("{broken", encoding="utf-8")
    assert JsonCache(path, dt.timedelta(days=7), lambda: clock[0]).get("k") is None


def test_keywords_name_only_ids_the_catalog_defines():
    keywords = yaml.safe_load((REPO / "catalog" / "keywords.yaml").read_text(encoding="utf-8"))
    modalities = {m["id"] for m in yaml.safe_load((REPO / "catalog" / "modalities.yaml").read_text())["modalities"]}
    taxonomy = yaml.safe_load((REPO / "catalog" / "taxonomy.yaml").read_text(encoding="utf-8"))
    categories = {c["id"] for family in taxonomy["families"] for c in family["categories"]}
    assert set(keywords["modalities"]) <= modalities
    assert set(keywords["representation"]) <= categories
