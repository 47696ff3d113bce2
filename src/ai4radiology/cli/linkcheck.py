"""`ai4radiology linkcheck`: parse options, call the link checker library, print, exit.

Exit codes: 0 nothing broken, 1 something broken (with --strict also blocked, timed out or errored),
2 usage errors and anything that stops the check from running (invalid catalog, git failure, bad URL file,
bad policy, unwritable report).

Start-up matters for `--urls`: this module imports neither the catalog nor the validation models unless the
catalog is checked.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..catalog.writer import write_atomic
from ..linkcheck import (
    CATEGORIES,
    InvalidURL,
    Link,
    PolicyError,
    ResultCache,
    load_policy,
    read_url_file,
    run_check,
    to_json,
    to_markdown,
    to_text,
)

if TYPE_CHECKING:
    from ..linkcheck import Progress

FORMATS = {"text": to_text, "json": to_json, "markdown": to_markdown}
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class CannotRun(click.ClickException):
    """The check could not start; exit 2 like a usage error, so 1 always means "broken links"."""

    exit_code = 2


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> float:
    match = DURATION.match(value)
    if not match or float(match[1]) <= 0:
        raise click.BadParameter(f"{value!r} is not a duration such as 90s, 30m, 12h or 7d")
    return float(match[1]) * UNIT_SECONDS[match[2]]


def _categories(ctx: click.Context, param: click.Parameter, value: str | None) -> set[str] | None:
    if value is None:
        return None
    chosen = {part.strip() for part in value.split(",") if part.strip()}
    unknown = chosen - set(CATEGORIES)
    if unknown or not chosen:
        raise click.BadParameter(f"{', '.join(sorted(unknown)) or value!r}: choose from {', '.join(CATEGORIES)}")
    return chosen


@click.command("linkcheck")
@click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(path_type=Path),
    default=Path("catalog"),
    show_default=True,
    help="Folder holding the catalog's YAML records.",
)
@click.option("--only", callback=_categories, metavar="LIST", help=f"Comma-separated: {','.join(CATEGORIES)}.")
@click.option("--changed-since", metavar="REF", help="Only records changed since this git revision (for PRs).")
@click.option(
    "--urls",
    "url_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check the URLs in FILE (one a line) instead of the catalog.",
)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE (atomically); the text report still goes to stdout.",
)
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append a Markdown summary to FILE, e.g. $GITHUB_STEP_SUMMARY.",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=".cache/linkcheck.json",
    show_default=True,
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--ttl",
    default="7d",
    show_default=True,
    callback=_duration,
    metavar="DURATION",
    help="How long a cached verdict holds.",
)
@click.option("--concurrency", type=click.IntRange(1, 512), default=32, show_default=True)
@click.option("--per-host", type=click.IntRange(1, 64), default=4, show_default=True)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Extra attempts after passing trouble: timeouts, connection failures, DNS outages, 429, 5xx.",
)
@click.option(
    "--timeout", default="15s", show_default=True, callback=_duration, metavar="DURATION", help="Per request."
)
@click.option(
    "--budget", default="30m", show_default=True, callback=_duration, metavar="DURATION", help="For the whole run."
)
@click.option("--strict", is_flag=True, help="Blocked, timed-out and errored links fail the run too.")
@click.option(
    "--policy",
    "policy_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Host policy YAML instead of the packaged one.",
)
def linkcheck(
    catalog_dir: Path,
    only: set[str] | None,
    changed_since: str | None,
    url_file: Path | None,
    fmt: str,
    output: Path | None,
    summary: Path | None,
    cache_path: Path,
    no_cache: bool,
    ttl: float,
    concurrency: int,
    per_host: int,
    retries: int,
    timeout: float,
    budget: float,
    strict: bool,
    policy_path: Path | None,
) -> None:
    """Check that the catalog's links still work."""
    if url_file and (only or changed_since):
        raise click.UsageError("--urls replaces the catalog; it cannot be combined with --only or --changed-since")
    try:
        policy = load_policy(policy_path)
    except PolicyError as exc:
        raise click.BadParameter(str(exc), param_hint="--policy") from None
    links = _read_urls(url_file) if url_file else _catalog_links(catalog_dir, only, changed_since)
    from ..linkcheck.checker import CheckerConfig  # the HTTP engine: imported once there is work for it

    config = CheckerConfig(concurrency=concurrency, per_host=per_host, retries=retries, timeout=timeout, budget=budget)
    cache = None if no_cache else ResultCache.load(cache_path, dt.timedelta(seconds=ttl))
    if cache and cache.warning:
        click.echo(f"warning: {cache.warning}", err=True)

    with _progress_bar(enabled=sys.stderr.isatty() and not os.environ.get("CI")) as progress:
        report = run_check(links, config, policy, cache, progress)
    if cache and cache.save_error:
        click.echo(f"warning: {cache.save_error}", err=True)

    rendered = FORMATS[fmt](report)
    if output:
        _write(output, rendered)
        click.echo(to_text(report), nl=False)
    else:
        click.echo(rendered, nl=False)
    if summary:
        _append(summary, to_markdown(report))
    sys.exit(1 if report.failed(strict) else 0)


def _read_urls(path: Path) -> list[Link]:
    try:
        return read_url_file(path)
    except InvalidURL as exc:
        raise click.BadParameter(str(exc), param_hint="--urls") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {exc}", param_hint="--urls") from None


def _catalog_links(catalog_dir: Path, only: set[str] | None, changed_since: str | None) -> list[Link]:
    from ..catalog.loader import CatalogInvalid, load_catalog
    from ..catalog.problems import format_text
    from ..linkcheck.collect import GitDiffError, changed_files, collect_links

    result = load_catalog(catalog_dir)
    try:
        catalog = result.require_valid()
    except CatalogInvalid as exc:
        click.echo(format_text(exc.problems, result.files_checked), err=True)
        raise CannotRun("the catalog is not valid; fix the errors above (ai4radiology validate)") from None
    try:
        changed = changed_files(changed_since, catalog_dir) if changed_since else None
    except GitDiffError as exc:
        raise click.BadParameter(str(exc), param_hint="--changed-since") from None
    return collect_links(catalog, only, changed)


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """A live bar on an interactive terminal; nothing in CI logs or pipes."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("checking links"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("links", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise CannotRun(f"cannot write {path}: {exc.strerror}") from None


def _append(path: Path, text: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise CannotRun(f"cannot append to {path}: {exc.strerror}") from None
