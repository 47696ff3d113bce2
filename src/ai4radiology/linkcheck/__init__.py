"""Checking the catalog's links: a small async library; `ai4radiology linkcheck` is a thin CLI over it.

    links = collect_links(load_catalog("catalog").require_valid())
    report = run_check(links, CheckerConfig(concurrency=32), load_policy(), ResultCache.load(path, ttl))
    print(to_text(report)); raise SystemExit(1 if report.failed() else 0)
"""

from __future__ import annotations

import asyncio
from typing import Iterable

from .cache import ResultCache
from .checker import CheckerConfig, Progress, check_links
from .collect import CATEGORIES, GitDiffError, changed_files, collect_links, read_url_file
from .model import InvalidURL, Link, LinkOrigin, LinkResult, Report, Status
from .policy import HostPolicy, LinkPolicy, PolicyError, load_policy
from .report import to_json, to_markdown, to_text


def run_check(links: Iterable[Link], config: CheckerConfig | None = None, policy: LinkPolicy | None = None,
              cache: ResultCache | None = None, progress: Progress | None = None) -> Report:
    """`check_links` for callers without an event loop."""
    return asyncio.run(check_links(links, config, policy, cache, progress))


__all__ = [
    "CATEGORIES", "CheckerConfig", "GitDiffError", "HostPolicy", "InvalidURL", "Link", "LinkOrigin", "LinkPolicy",
    "LinkResult", "PolicyError", "Progress", "Report", "ResultCache", "Status", "changed_files", "check_links",
    "collect_links", "load_policy", "read_url_file", "run_check", "to_json", "to_markdown", "to_text",
]
