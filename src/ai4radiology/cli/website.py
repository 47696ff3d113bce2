"""`ai4radiology build` and `ai4radiology serve`: the published site."""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.problems import display_path, format_text
from ai4radiology.cli.options import catalog_option, load_valid_catalog, path_option
from ai4radiology.website.build import Preview, SiteError, build_site
from ai4radiology.website.linkmarks import LinkMark, LinkReportError, read_link_report

DEFAULT_LINK_REPORT = Path("linkcheck-report.json")


F = TypeVar("F", bound=Callable[..., Any])


def site_options(command: F) -> F:
    """Options shared by build and serve: where the catalog, templates, MkDocs config and link report are."""
    options = [
        catalog_option,
        path_option(
            "--templates",
            "templates_dir",
            default="templates",
            kind="folder",
            help="Folder of jinja2 templates; the site's are in its site/ subfolder.",
        ),
        path_option(
            "--config",
            "config_file",
            default="mkdocs.yml",
            kind="file",
            help="MkDocs configuration; its docs_dir receives the generated pages.",
        ),
        path_option(
            "--linkcheck-report",
            "link_report",
            default=str(DEFAULT_LINK_REPORT),
            kind="file",
            help="JSON report of `ai4radiology linkcheck`: each link shows its last verified status. "
            "Without the file, links carry no marks.",
        ),
        click.option(
            "--force",
            is_flag=True,
            help="Replace the generated folders even if they hold files this tool did not write.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _link_marks(report: Path) -> dict[str, LinkMark] | None:
    """The report's marks; a missing default report means no marks, a missing named one is an error.

    Raises LinkReportError when the report cannot be used.
    """
    ctx = click.get_current_context()
    named = ctx.get_parameter_source("link_report") is not click.core.ParameterSource.DEFAULT
    if not report.exists() and not named:
        return None
    return read_link_report(report)


@contextmanager
def _mkdocs_messages() -> Iterator[None]:
    """Show MkDocs' warnings (each one fails a strict build) on stderr while it runs in this process."""
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


@click.command()
@site_options
@path_option(
    "--output",
    "site_dir",
    default="site",
    kind="folder",
    help="Folder for the built site (replaced only when the build succeeds).",
)
def build(
    catalog_dir: Path, templates_dir: Path, config_file: Path, link_report: Path, force: bool, site_dir: Path
) -> None:
    """Build the site: pages from the catalog, then `mkdocs build --strict` into OUTPUT.

    The pages, catalog.json, catalog.bib, the Atom feed and the explorer's index are
    generated into the docs_dir of the MkDocs configuration (build/site-docs); any
    MkDocs warning fails the build. Pagefind then writes the search index into
    OUTPUT/pagefind. Exit status 1 when the catalog is invalid or the
    build fails; the previous site is then left as it was.
    """
    catalog = load_valid_catalog(catalog_dir)
    started = time.perf_counter()
    try:
        marks = _link_marks(link_report)
        with _mkdocs_messages():
            report = build_site(
                catalog,
                templates_dir=templates_dir,
                config_file=config_file,
                site_dir=site_dir,
                link_marks=marks,
                force=force,
            )
    except (LinkReportError, SiteError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"built {display_path(report.site_dir)} from {len(catalog.papers)} papers and "
        f"{len(catalog.datasets)} datasets ({report.files} generated files in {display_path(report.docs_dir)}, "
        f"{report.changed} changed) in {time.perf_counter() - started:.1f} s"
    )


def _parse_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise click.BadParameter("expected HOST:PORT, e.g. 127.0.0.1:8000", param_hint="--dev-addr")
    return host.strip("[]"), int(port)


@click.command()
@site_options
@click.option(
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="HOST:PORT",
    help="Address to serve on; the default is reachable from this machine only.",
)
def serve(
    catalog_dir: Path, templates_dir: Path, config_file: Path, link_report: Path, force: bool, dev_addr: str
) -> None:
    """Build the site, serve it, and rebuild it whenever the catalog, templates or MkDocs config change.

    Each rebuild is the full strict build of `ai4radiology build`, into a temporary
    folder (site/ is left alone); the server switches to it only when it succeeds,
    so an invalid record shows its errors here while the last good site stays up.
    Reload the page in the browser to see a rebuild. Stop with Ctrl+C.
    """
    host, port = _parse_address(dev_addr)

    def build_into(target: Path) -> None:
        result = load_catalog(catalog_dir)
        if result.errors:
            raise SiteError(f"{format_text(result.errors, result.files_checked)}\nthe catalog is not valid")
        try:
            marks = _link_marks(link_report)
        except LinkReportError as exc:
            raise SiteError(str(exc)) from None
        with _mkdocs_messages():
            build_site(
                result.catalog,
                templates_dir=templates_dir,
                config_file=config_file,
                site_dir=target,
                link_marks=marks,
                force=force,
            )

    def report(error: Exception | None, seconds: float) -> None:
        if error:
            click.echo(f"Error: {error}\nstill serving the last good build", err=True)
        else:
            click.echo(f"built the site in {seconds:.1f} s")

    watched = [catalog_dir, templates_dir, config_file, link_report]
    announced = threading.Event()

    def announce_watching() -> None:
        if not announced.is_set():
            announced.set()
            click.echo(f"watching {', '.join(str(p) for p in watched if p.exists())} for changes; Ctrl+C stops")

    with tempfile.TemporaryDirectory(prefix="ai4radiology-serve-") as workdir:
        try:
            preview = Preview(build_into, Path(workdir), (host, port))
        except OSError as exc:
            raise click.ClickException(f"cannot serve on {dev_addr}: {exc.strerror}") from None
        try:
            preview.rebuild_reporting(report)
            preview.server.start()
            try:
                click.echo(f"serving {preview.server.url}")
                preview.watch(watched, report, on_idle=announce_watching)
            finally:
                preview.server.shutdown()
        except KeyboardInterrupt:
            pass  # Ctrl+C during a build; during watching, watchfiles ends the loop itself
        finally:
            preview.server.server_close()
        click.echo("stopped")
