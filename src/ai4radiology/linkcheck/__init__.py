"""Checking the catalog's links: a small async library; `ai4radiology linkcheck` is a thin CLI over it.

    links = collect_links(load_catalog("catalog").require_valid())
    report = run_check(links, CheckerConfig(concurrency=32), load_policy(), ResultCache.load(path, ttl))
    print(to_text(report)); raise SystemExit(1 if report.failed() else 0)

Importing the package is light: the HTTP engine and the catalog side (`collect_links`, `changed_files`)
are imported on first use, so `ai4radiology linkcheck --urls FILE` never loads the catalog's models.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Coroutine, Iterable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .cache import ResultCache
from .model import CATEGORIES, InvalidURL, Link, LinkOrigin, LinkResult, Report, Status
from .policy import HostPolicy, LinkPolicy, PolicyError, load_policy
from .report import to_json, to_markdown, to_text
from .urlfile import read_url_file

if TYPE_CHECKING:
    from .checker import CheckerConfig, Progress, check_links
    from .collect import GitDiffError, changed_files, collect_links

_LAZY = {
    "CheckerConfig": "checker",
    "Progress": "checker",
    "check_links": "checker",
    "GitDiffError": "collect",
    "changed_files": "collect",
    "collect_links": "collect",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run_check(
    links: Iterable[Link],
    config: CheckerConfig | None = None,
    policy: LinkPolicy | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
) -> Report:
    """`check_links` for callers without an event loop: on uvloop when it is installed, and with the garbage
    collector told that what exists now (the imported modules) is permanent and to run less often, which
    measured about 10% less CPU per request. Both settings are restored afterwards."""
    from .checker import check_links

    run = _event_loop_runner()
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, *thresholds[1:])
    try:
        return run(check_links(links, config, policy, cache, progress))
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _event_loop_runner() -> Callable[[Coroutine[Any, Any, Report]], Report]:
    """uvloop's `run` where uvloop is installed (it is not on Windows), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


__all__ = [
    "CATEGORIES",
    "CheckerConfig",
    "GitDiffError",
    "HostPolicy",
    "InvalidURL",
    "Link",
    "LinkOrigin",
    "LinkPolicy",
    "LinkResult",
    "PolicyError",
    "Progress",
    "Report",
    "ResultCache",
    "Status",
    "changed_files",
    "check_links",
    "collect_links",
    "load_policy",
    "read_url_file",
    "run_check",
    "to_json",
    "to_markdown",
    "to_text",
]
