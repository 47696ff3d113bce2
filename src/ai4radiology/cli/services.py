"""Options and error handling shared by the commands that ask arXiv and Crossref (add, enrich, discover).

Exit code 2 means the look-up could not be done (bad identifier, unknown or withdrawn paper, a service
down, slow or answering garbage); nothing is written then.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class CannotLookUp(click.ClickException):
    """One line on standard error, exit 2: like a usage error, so 1 keeps meaning 'refused as duplicate'."""

    exit_code = 2


def service_options(command: F) -> F:
    """Adds --base-url, --rate-limit, --contact, --timeout and --no-cache, passed on as `settings`."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ai4radiology.contribute.http import Settings

        kwargs["settings"] = Settings.from_base_url(
            kwargs.pop("base_url"),
            interval=kwargs.pop("rate_limit"),
            contact=kwargs.pop("contact") or None,
            timeout=kwargs.pop("timeout"),
            cache_path=None if kwargs.pop("no_cache") else Path(".cache/lookups.json"),
        )
        return command(*args, **kwargs)

    options = [
        click.option(
            "--base-url",
            envvar="AI4RADIOLOGY_BASE_URL",
            metavar="URL",
            help="Ask this server instead of arXiv and Crossref (it answers /api/query and /works/DOI), "
            "e.g. a local test server.  [env: AI4RADIOLOGY_BASE_URL]",
        ),
        click.option(
            "--rate-limit",
            type=click.FloatRange(min=0),
            envvar="AI4RADIOLOGY_RATE_LIMIT",
            default=3.0,
            show_default=True,
            metavar="SECONDS",
            help="Seconds between arXiv requests (arXiv asks for 3; Crossref gets at most 5 a second); "
            "0 turns every wait off, for local test servers only.  [env: AI4RADIOLOGY_RATE_LIMIT]",
        ),
        click.option(
            "--contact",
            envvar="AI4RADIOLOGY_CONTACT",
            metavar="EMAIL",
            help="Address sent to Crossref (its polite pool) and in the User-Agent.  [env: AI4RADIOLOGY_CONTACT]",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.05),
            envvar="AI4RADIOLOGY_TIMEOUT",
            default=20.0,
            show_default=True,
            metavar="SECONDS",
            help="How long to wait for one answer.",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write .cache/lookups.json (kept 7 days)."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


@contextmanager
def lookup_failures() -> Iterator[None]:
    """Every fault of input or service as one line and exit 2; never a traceback."""
    from ai4radiology.contribute.http import ServiceError
    from ai4radiology.contribute.identifiers import IdentifierError
    from ai4radiology.contribute.services import PaperNotFound
    from ai4radiology.contribute.suggest import KeywordsError

    try:
        yield
    except (IdentifierError, PaperNotFound, ServiceError, KeywordsError) as exc:
        raise CannotLookUp(f"{exc}; nothing written") from None
    except OSError as exc:
        raise CannotLookUp(f"cannot write {exc.filename or 'a file'}: {exc.strerror}; nothing written") from None


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[], None]]:
    """A live bar on an interactive terminal for runs of several look-ups; nothing in CI logs or pipes."""
    if total < 2 or not sys.stderr.isatty() or os.environ.get("CI"):
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
