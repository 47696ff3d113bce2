"""Rules that need the whole catalog: cross-references and data quality across records."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from difflib import get_close_matches
from functools import lru_cache

from ai4radiology.catalog.catalog import Catalog, RawRecord
from ai4radiology.catalog.models import TODO_MARK, Dataset, Paper, Record
from ai4radiology.catalog.parallel import Forked
from ai4radiology.catalog.problems import Problem, Severity, did_you_mean, shorten
from ai4radiology.catalog.recordchecks import check_records
from ai4radiology.catalog.sametext import NearTitles, confusables, fingerprint, skeleton, squash
from ai4radiology.catalog.urls import normalize_url, record_urls

# A paper's own identity links: two papers sharing one of these are one paper, or one link is wrong.
IDENTITY_FIELDS = ("paper", "doi", "arxiv")


def check_catalog(catalog: Catalog, *, fork: bool = False) -> list[Problem]:
    """Every catalog-wide rule; with `fork`, the costliest run in a child process meanwhile."""
    here = (
        check_references,
        check_duplicate_urls,
        check_duplicate_abstracts,
        check_duplicate_contributions,
        check_name_spelling,
    )
    apart = (check_near_duplicate_titles, check_records, check_lookalike_letters)  # about as costly as `here`
    child = Forked(_apply, apart, catalog) if fork else None
    problems = _apply(here, catalog)
    return problems + (child.result() if child else _apply(apart, catalog))


def _apply(rules: tuple[Callable[[Catalog], Iterable[Problem]], ...], catalog: Catalog) -> list[Problem]:
    return [problem for rule in rules for problem in rule(catalog)]


def _problem(
    catalog: Catalog,
    record: Record | RawRecord,
    field: str,
    message: str,
    hint: str | None = None,
    severity: Severity = Severity.ERROR,
    rule: str = "",
) -> Problem:
    return Problem(catalog.locate(record, field), field, message, hint, severity, rule)


def _label(catalog: Catalog, record: Record) -> str:
    return f"{type(record).__name__.lower()} '{getattr(record, 'id', '?')}' ({catalog.source_path(record)})"


def _named(source: Record | RawRecord, field: str) -> Iterator[tuple[int, str]]:
    """(index, value) of the strings in a list field, for valid records and rejected raw data alike."""
    values = source.get(field) if isinstance(source, dict) else getattr(source, field, None)
    if isinstance(values, list):
        yield from ((i, v) for i, v in enumerate(values) if isinstance(v, str))


def check_references(catalog: Catalog) -> Iterator[Problem]:
    """Every category, modality and dataset a record names must exist in the catalog's vocabularies.

    Records rejected by the schema are checked too, so one run reports all of a file's problems.
    """
    if not catalog.taxonomy.families or not catalog.modalities.modalities:
        return  # the vocabulary files themselves are broken; that is reported already
    categories = catalog.categories
    modalities = catalog.modality_ids
    aliases = {alias.lower(): m.id for m in catalog.modalities.modalities for alias in m.aliases}
    datasets = catalog.dataset_ids
    rejected_papers = [data for model, data in catalog.rejected if model is Paper]
    rejected_datasets = [data for model, data in catalog.rejected if model is Dataset]
    papers: list[Paper | RawRecord] = [*catalog.papers, *rejected_papers]
    for paper in papers:
        named = [category for _, category in _named(paper, "representation")]
        for i, category in _named(paper, "representation"):
            if category not in categories and not category.upper().startswith(TODO_MARK):
                yield _problem(
                    catalog,
                    paper,
                    f"representation.{i}",
                    f"unknown category '{category}'",
                    did_you_mean(category, categories),
                    rule="known-category",
                )
        if len(set(named)) != len(named):
            yield _problem(catalog, paper, "representation", "a category is listed twice", rule="known-category")
        for i, dataset in _named(paper, "datasets"):
            if dataset not in datasets:
                yield _problem(
                    catalog,
                    paper,
                    f"datasets.{i}",
                    f"unknown dataset '{dataset}'",
                    did_you_mean(dataset, datasets) or "add the dataset under catalog/datasets/ first",
                    rule="known-dataset",
                )
    records: list[Record | RawRecord] = [*catalog.papers, *catalog.datasets, *rejected_papers, *rejected_datasets]
    for record in records:
        for i, modality in _named(record, "modalities"):
            if modality in modalities or modality.upper().startswith(TODO_MARK):
                continue
            canonical = aliases.get(modality.lower())
            hint = (
                f"'{modality}' is written '{canonical}' in this catalog"
                if canonical
                else did_you_mean(modality, modalities)
            )
            yield _problem(
                catalog, record, f"modalities.{i}", f"unknown modality '{modality}'", hint, rule="known-modality"
            )


def check_duplicate_urls(catalog: Catalog) -> Iterator[Problem]:
    """The same URL on two records: an error for a paper's own identity links, a warning otherwise."""
    owners: dict[str, list[tuple[Record, str]]] = defaultdict(list)
    for record in [*catalog.papers, *catalog.datasets]:
        for link in record_urls(record):
            owners[normalize_url(link.url)].append((record, link.field))
    for uses in owners.values():
        records = {id(record) for record, _ in uses}
        if len(records) < 2:
            continue
        first_record, first_field = uses[0]
        for record, field in uses[1:]:
            if record is first_record or _declared_together(first_record, record):
                continue
            identity = field in IDENTITY_FIELDS and first_field in IDENTITY_FIELDS
            yield _problem(
                catalog,
                record,
                field,
                f"same URL as {first_field} of {_label(catalog, first_record)}",
                "two papers cannot share one paper link: one of them points at the wrong paper"
                if identity
                else "if both records really share it, ignore this warning",
                Severity.ERROR if identity else Severity.WARNING,
                rule="duplicate-url",
            )


def _declared_together(a: Record, b: Record) -> bool:
    """A paper that lists a dataset may share its link: the data are published with the paper's code."""
    paper, dataset = (a, b) if isinstance(a, Paper) else (b, a)
    return isinstance(paper, Paper) and isinstance(dataset, Dataset) and dataset.id in paper.datasets


LOOKALIKE_FIELDS = {"name", "title", "label", "short"}


def check_lookalike_letters(catalog: Catalog) -> Iterator[Problem]:
    """Names and titles with a word that mixes scripts whose letters look alike ('NеRF' with a Cyrillic
    'е'): a reader cannot see it, and search and duplicate checks would treat it as another word."""
    for record in [*catalog.papers, *catalog.datasets, *catalog.topics]:
        for field in sorted(LOOKALIKE_FIELDS):
            value = getattr(record, field, None)
            if not isinstance(value, str):
                continue
            for word in value.split():
                lookalikes = (
                    not word.isascii()
                    and confusables().is_mixed_script(word)
                    and confusables().is_confusable(word, greedy=True, preferred_aliases=["latin"])
                )
                if lookalikes:
                    break
            else:
                continue
            letters = ", ".join(f"'{entry['character']}' ({entry['alias'].lower()})" for entry in lookalikes)
            yield _problem(
                catalog,
                record,
                field,
                f"'{word}' mixes scripts, with letters that look Latin: {letters}",
                "retype the word in one script (if the letter is meant, ignore this warning)",
                Severity.WARNING,
                rule="lookalike-letters",
            )


def _texts_with_owners(catalog: Catalog) -> Iterator[tuple[Record, str, str, str]]:
    """(record, field path, title, abstract) of papers and topic references that have an abstract."""
    for paper in catalog.papers:
        if paper.abstract:
            yield paper, "", paper.title or paper.name, paper.abstract
    for topic in catalog.topics:
        for i, reference in enumerate(topic.references):
            yield topic, f"references.{i}.", reference.title, reference.abstract


def check_duplicate_abstracts(catalog: Catalog) -> Iterator[Problem]:
    seen: dict[str, tuple[Record, str]] = {}
    for record, prefix, title, abstract in _texts_with_owners(catalog):
        key = squash(skeleton(abstract))
        if key in seen:
            other, other_title = seen[key]
            yield _problem(
                catalog,
                record,
                prefix + "abstract",
                f"identical abstract to '{shorten(other_title)}' ({catalog.source_path(other)})",
                "an abstract copied from another entry: paste this paper's own abstract",
                rule="duplicate-abstract",
            )
        else:
            seen[key] = (record, title)


def check_duplicate_contributions(catalog: Catalog) -> Iterator[Problem]:
    seen: dict[str, Paper] = {}
    for paper in catalog.papers:
        first = seen.setdefault(squash(skeleton(paper.contribution)), paper)
        if first is not paper:
            yield _problem(
                catalog,
                paper,
                "contribution",
                f"same contribution as paper '{first.id}' ({catalog.source_path(first)})",
                "a sentence copied from another entry: describe what this paper contributes",
                rule="duplicate-contribution",
            )


def _lookalike_words(name: str, text: str) -> list[str]:
    """Words that could be a typo of `name`: same first letter, similar length (keeps the check cheap)."""
    first, size = name[:1], len(name)
    if not first.isalnum():
        return []
    one_word_a_line = "\n".join(text.split())
    return sorted(set(_words_starting(first, max(size - 2, 1), size + 2).findall(one_word_a_line)))


@lru_cache(maxsize=256)
def _words_starting(letter: str, shortest: int, longest: int) -> re.Pattern[str]:
    """Lines (one word each) that start with `letter` in any case, without the punctuation around the word."""
    edge = r"[.,;:()\[\]\"']*"
    return re.compile(
        rf"^{edge}({re.escape(letter)}\S{{{shortest - 1},{longest - 1}}}?){edge}$", re.IGNORECASE | re.MULTILINE
    )


def check_name_spelling(catalog: Catalog) -> Iterator[Problem]:
    """A method name that its own title and abstract spell differently is most likely a typo."""
    for paper in catalog.papers:
        if "et al" in paper.name:
            continue
        text = f"{paper.title or ''} {paper.abstract or ''}"
        if squash(paper.name) in squash(text):
            continue
        close = get_close_matches(paper.name, _lookalike_words(paper.name, text), n=1, cutoff=0.8)
        if close:
            yield _problem(
                catalog,
                paper,
                "name",
                f"name '{paper.name}' does not appear in the title or abstract",
                f"did you mean '{close[0]}'?",
                Severity.WARNING,
                rule="name-spelling",
            )


def check_near_duplicate_titles(catalog: Catalog) -> Iterator[Problem]:
    """Papers whose titles are equal or nearly so (a duplicate entry, or a title copied by mistake)."""
    papers = [p for p in catalog.papers if p.title]
    index = NearTitles()
    for paper in papers:
        key = fingerprint(paper.title or "")
        found = index.similar(key)
        index.add(key)
        if not found:
            continue
        first = papers[found[0]]
        same = index.key(found[0]) == key
        yield _problem(
            catalog,
            paper,
            "title",
            f"{'same' if same else 'nearly the same'} title as paper '{first.id}' ({catalog.source_path(first)})",
            "is this the same paper twice?",
            Severity.ERROR if same else Severity.WARNING,
            rule="duplicate-title",
        )
