"""`ai4radiology add ID...`, `enrich` and `discover`: the commands that ask arXiv and Crossref.

Exit codes: 0 done; 1 `add` refused a paper the catalog has; 2 bad identifier, unknown or withdrawn paper,
or a service that failed: nothing written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import sys
from pathlib import Path

import click

from ai4radiology.catalog.kinds import PAPER
from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.writer import FileExistsRefusal, write_atomic
from ai4radiology.cli.options import catalog_option, load_valid_catalog
from ai4radiology.cli.services import CannotLookUp, lookup_failures, progress_bar, service_options
from ai4radiology.contribute.http import Settings
from ai4radiology.contribute.identifiers import Identifier, parse_identifier
from ai4radiology.contribute.lookup import Draft, draft, look_up, services
from ai4radiology.contribute.scaffold import KnownPapers, Vocabulary, catalog_identities, scaffold, taken_ids
from ai4radiology.contribute.services import Metadata, PaperNotFound
from ai4radiology.contribute.suggest import Keywords


def add_identifiers(catalog_dir: Path, texts: tuple[str, ...], settings: Settings) -> None:
    """Look every identifier up first, then write: a failure leaves the catalog as it was."""
    with lookup_failures():
        identifiers = list(dict.fromkeys(parse_identifier(text) for text in texts))
        keywords = Keywords.load(catalog_dir)
        found: list[tuple[Identifier, Metadata]] = []
        with services(settings) as clients, progress_bar("looking up", len(identifiers)) as advance:
            for identifier in identifiers:
                metadata = look_up(identifier, clients)
                if not metadata.title:
                    raise PaperNotFound(f"{identifier} names a record without a title, not a paper")
                found.append((identifier, metadata))
                advance()

    # Records may be mid-edit: only ids and duplicates matter, so the cross-record rules are skipped.
    catalog = load_catalog(catalog_dir, cross_checks=False).catalog
    vocabulary, taken = Vocabulary.of(catalog), taken_ids(catalog, PAPER)
    known = KnownPapers(catalog_identities(catalog))
    folder, today, refused = catalog_dir / "papers", dt.date.today(), 0
    for identifier, metadata in found:
        record = draft(metadata, catalog, keywords, taken, today, folder.as_posix())
        duplicate = known.find(record.identity)
        if duplicate:
            click.echo(
                f"error: {identifier} is already in the catalog as {duplicate.record.source} "
                f"({duplicate.reason}); not added",
                err=True,
            )
            refused += 1
            continue
        _write_draft(folder / f"{record.values['id']}.yaml", record, vocabulary, identifier)
        taken.add(record.values["id"])
        known.add(record.identity)
    written = len(found) - refused
    if written:
        click.echo(f"{written} record(s) scaffolded: replace every TODO, then run `ai4radiology validate`")
    if refused:
        sys.exit(1)


def _write_draft(path: Path, record: Draft, vocabulary: Vocabulary, identifier: Identifier) -> None:
    text = scaffold(PAPER, record.values, vocabulary, "ai4radiology add", record.suggestions)
    try:
        write_atomic(path, text, overwrite=False)
    except FileExistsRefusal:
        raise click.ClickException(f"{path.as_posix()} appeared while writing; not overwriting it") from None
    except OSError as exc:
        raise CannotLookUp(f"cannot write {path.as_posix()}: {exc.strerror}") from None
    suggested = [value for values in record.suggestions.values() for value in values]
    note = f" (suggested: {', '.join(suggested)}; confirm them)" if suggested else ""
    click.echo(f"wrote {path.as_posix()} from {identifier}{note}")


def _fields(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
    from ai4radiology.contribute.enrich import FIELDS

    if value is None:
        return FIELDS
    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = set(chosen) - set(FIELDS)
    if unknown or not chosen:
        raise click.BadParameter(f"{', '.join(sorted(unknown)) or value!r}: choose from {','.join(FIELDS)}")
    return chosen


@click.command()
@catalog_option
@click.argument("paper_ids", nargs=-1, metavar="[PAPER-ID]...")
@click.option("--only", callback=_fields, metavar="LIST", help="Comma-separated fields: authors,doi,arxiv,venue.")
@click.option("--write", is_flag=True, help="Write the changes into the records (atomically); without it, only show.")
@click.option("--force", is_flag=True, help="Also replace fields that are filled already.")
@service_options
def enrich(
    catalog_dir: Path, paper_ids: tuple[str, ...], only: tuple[str, ...], write: bool, force: bool, settings: Settings
) -> None:
    """Fill in what paper records lack from arXiv and Crossref.

    Looks up each paper (or only the PAPER-IDs given) by its DOI or arXiv id, else
    by its exact title, and prints a diff of the authors, DOI, arXiv id and venue
    it would fill (a venue of 'arXiv' counts as missing: the paper may be
    published by now). Writes only with --write, and never replaces a filled
    field without --force. Exit 1 when there are changes left unwritten.
    """
    from ai4radiology.contribute.enrich import apply, changes, find, wanted

    catalog = load_valid_catalog(catalog_dir)
    unknown = set(paper_ids) - set(catalog.paper_ids)
    if unknown:
        raise click.BadParameter(f"no paper record with id {', '.join(sorted(unknown))}", param_hint="PAPER-ID")
    papers = [paper for paper in catalog.papers if not paper_ids or paper.id in paper_ids]
    todo = [(paper, fields) for paper in papers if (fields := wanted(paper, only, force))]
    edits: list[tuple[Path, str, str]] = []
    with lookup_failures(), services(settings) as clients, progress_bar("looking up", len(todo)) as advance:
        for paper, fields in todo:
            path = Path(catalog.source_path(paper))
            try:
                metadata = find(paper, fields, clients)
            except PaperNotFound as exc:
                click.echo(f"warning: {path.as_posix()}: {exc}", err=True)
                metadata = None
            advance()
            found = changes(paper, metadata, fields, catalog) if metadata else []
            if found:
                old = path.read_text(encoding="utf-8")
                try:
                    edits.append((path, old, apply(old, found)))
                except ValueError as exc:
                    click.echo(f"warning: {path.as_posix()}: {exc}; edit it by hand", err=True)
    for path, old, new in edits:
        name = path.as_posix()
        diff = difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{name}", f"b/{name}")
        click.echo("".join(diff), nl=False)
    if write:
        with lookup_failures():
            for path, _, new in edits:
                write_atomic(path, new)
    verb = "wrote" if write else "would change"
    click.echo(f"{verb} {len(edits)} of {len(papers)} record(s)" + ("" if write or not edits else "; add --write"))


@click.command()
@catalog_option
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="First submission date to include (YYYY-MM-DD).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the Markdown report to FILE (atomically) instead of standard output.",
)
@service_options
def discover(catalog_dir: Path, since: dt.datetime, output: Path | None, settings: Settings) -> None:
    """Find new candidate papers on arXiv.

    Searches arXiv for preprints submitted since --since that match the terms in
    catalog/discover.yaml, drops those the catalog holds (arXiv id, DOI or title),
    and ranks the rest by the terms they match. The Markdown report lists each
    candidate with its `ai4radiology add arxiv:ID` command.
    """
    from ai4radiology.contribute.discover import SearchTerms, TermsError, report
    from ai4radiology.contribute.discover import discover as run

    try:
        terms = SearchTerms.load(catalog_dir)
    except TermsError as exc:
        raise CannotLookUp(str(exc)) from None
    catalog = load_catalog(catalog_dir).catalog
    until = dt.date.today()
    pages = -(-terms.max_results // 100)
    with lookup_failures(), services(settings) as clients, progress_bar("searching arXiv", pages) as advance:
        result = run(clients.arxiv, terms, since.date(), until, catalog_identities(catalog), advance)
    text = report(result, until)
    if output:
        with lookup_failures():
            write_atomic(output, text)
        click.echo(f"wrote {len(result.candidates)} candidate(s) to {output.as_posix()}", err=True)
    else:
        click.echo(text, nl=False)
