"""From an identifier to a new paper record: look the paper up, join preprint and published version,
suggest modalities and categories, and check the catalog does not have it already."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.sametext import fingerprint
from ai4radiology.contribute.http import PoliteClient, Settings
from ai4radiology.contribute.identifiers import Identifier
from ai4radiology.contribute.scaffold import Identity, paper_id, paper_values
from ai4radiology.contribute.services import Arxiv, Crossref, Metadata, PaperNotFound, join
from ai4radiology.contribute.suggest import Keywords


@dataclass
class Services:
    client: PoliteClient
    arxiv: Arxiv
    crossref: Crossref


@contextmanager
def services(settings: Settings) -> Iterator[Services]:
    """Clients for one run; the cache is saved when the run ends, even after an error."""
    client = PoliteClient(settings)
    try:
        yield Services(client, Arxiv(client), Crossref(client))
    finally:
        client.close()
        client.cache.save()


def look_up(identifier: Identifier, found: Services) -> Metadata:
    """The paper an identifier names, with its preprint or published version joined in where known.

    Raises PaperNotFound for an unknown or withdrawn id, ServiceError when a service fails.
    """
    if identifier.kind == "arxiv":
        preprint = found.arxiv.entry(identifier.value)
        published = _optional(found.crossref.work, preprint.preprint_of)
        return join(preprint, published)
    published = found.crossref.work(identifier.value)
    return join(_optional(found.arxiv.entry, published.arxiv), published)


def _optional(fetch: Any, key: str | None) -> Metadata | None:
    """The other version, when a service links one; a link to nothing is not the contributor's error."""
    if not key:
        return None
    try:
        result: Metadata = fetch(key)
    except PaperNotFound:
        return None
    return result


def catalog_venue(venue: str | None, catalog: Catalog) -> str | None:
    """The venue as records write it: the vocabulary's id (catalog/venues.yaml) when the service's name
    matches an entry's id or full name; otherwise the name as it comes, for `validate` to question."""
    if not venue:
        return venue
    wanted = fingerprint(venue)
    for entry in catalog.venue_ids.values():
        if wanted in (fingerprint(entry.id), fingerprint(entry.name)):
            return entry.id
    return venue


@dataclass(frozen=True)
class Draft:
    """A record about to be written: its values, the suggested modalities and categories, its identity."""

    values: dict[str, Any]
    suggestions: dict[str, list[str]]
    identity: Identity


def draft(
    metadata: Metadata, catalog: Catalog, keywords: Keywords, taken: set[str], today: dt.date, folder: str
) -> Draft:
    record_id = paper_id(metadata, taken)
    values = paper_values(metadata, record_id, today)
    values["venue"] = catalog_venue(values["venue"], catalog)
    text = " ".join(filter(None, [metadata.title, metadata.abstract]))
    suggestions = {
        "modalities": keywords.suggest("modalities", text, set(catalog.modality_ids)),
        "representation": keywords.suggest("representation", text, set(catalog.categories)),
    }
    return Draft(values, suggestions, Identity.of(f"{folder}/{record_id}.yaml", values))
