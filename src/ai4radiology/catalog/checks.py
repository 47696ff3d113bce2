"""Rules that need the whole catalog: cross-references and data quality across records."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher, get_close_matches

from ai4radiology.catalog.catalog import Catalog, RawRecord
from ai4radiology.catalog.models import TODO_MARK, Dataset, Paper, Record
from ai4radiology.catalog.problems import Problem, Severity, did_you_mean, shorten
from ai4radiology.catalog.recordchecks import check_records
from ai4radiology.catalog.urls import normalize_url, record_urls

NEAR_DUPLICATE_TITLE = 0.92
# A paper's own identity links: two papers sharing one of these are one paper, or one link is wrong.
IDENTITY_FIELDS = ("paper", "doi", "arxiv")


def check_catalog(catalog: Catalog) -> list[Problem]:
    rules = (
        check_references,
        check_duplicate_urls,
        check_duplicate_abstracts,
        check_duplicate_contributions,
        check_near_duplicate_titles,
        check_name_spelling,
        check_records,
    )
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


def fingerprint(text: str) -> str:
    """Case, punctuation and spacing aside: what makes two texts the same text."""
    return " ".join(_WORD.findall(text.casefold()))


_WORD = re.compile(r"\w+")


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
        key = fingerprint(abstract)
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
        first = seen.setdefault(fingerprint(paper.contribution), paper)
        if first is not paper:
            yield _problem(
                catalog,
                paper,
                "contribution",
                f"same contribution as paper '{first.id}' ({catalog.source_path(first)})",
                "a sentence copied from another entry: describe what this paper contributes",
                rule="duplicate-contribution",
            )


def _squash(text: str) -> str:
    return "".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold())).replace("_", "")


def _lookalike_words(name: str, text: str) -> list[str]:
    """Words that could be a typo of `name`: same first letter, similar length (keeps the check cheap)."""
    first, size = name[:1].casefold(), len(name)
    words = {word.strip(".,;:()[]\"'") for word in text.split()}
    return sorted(w for w in words if w[:1].casefold() == first and abs(len(w) - size) <= 2)


def check_name_spelling(catalog: Catalog) -> Iterator[Problem]:
    """A method name that its own title and abstract spell differently is most likely a typo."""
    for paper in catalog.papers:
        if "et al" in paper.name:
            continue
        text = f"{paper.title or ''} {paper.abstract or ''}"
        if _squash(paper.name) in _squash(text):
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
    keys = [fingerprint(p.title or "") for p in papers]
    for i, j in _similar_pairs(keys):
        same = keys[i] == keys[j]
        yield _problem(
            catalog,
            papers[j],
            "title",
            f"{'same' if same else 'nearly the same'} title as paper "
            f"'{papers[i].id}' ({catalog.source_path(papers[i])})",
            "is this the same paper twice?",
            Severity.ERROR if same else Severity.WARNING,
            rule="duplicate-title",
        )


def _similar_pairs(keys: list[str]) -> Iterable[tuple[int, int]]:
    """Index pairs of near-identical strings without comparing all pairs.

    Two near-identical titles share most words, so they share at least one of
    each title's three rarest words; only those candidates are compared.
    """
    words = [set(key.split()) for key in keys]
    frequency = Counter(w for ws in words for w in ws)
    by_word: dict[str, list[int]] = defaultdict(list)
    rare = [sorted(ws, key=lambda w: (frequency[w], w))[:3] for ws in words]
    for i, ws in enumerate(rare):
        for w in ws:
            by_word[w].append(i)
    pairs: set[tuple[int, int]] = set()
    compared: set[tuple[int, int]] = set()
    for members in by_word.values():
        for a_index, a in enumerate(members):
            for b in members[a_index + 1 :]:
                pair = (min(a, b), max(a, b))
                if pair in compared:
                    continue
                compared.add(pair)
                a_words, b_words = words[pair[0]], words[pair[1]]
                if len(a_words & b_words) < 0.5 * len(a_words | b_words):
                    continue  # titles sharing under half their words are not near-identical
                matcher = SequenceMatcher(None, keys[pair[0]], keys[pair[1]], autojunk=False)
                if matcher.quick_ratio() >= NEAR_DUPLICATE_TITLE and matcher.ratio() >= NEAR_DUPLICATE_TITLE:
                    pairs.add(pair)
    return sorted(pairs)
