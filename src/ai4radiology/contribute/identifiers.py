"""Paper identifiers as contributors type them: `arxiv:2505.15235`, `doi:10.1109/...`, or a link to either.

Only the forms the catalog stores are accepted: new-style arXiv ids (YYMM.NNNNN, since 2007) and DOIs.
A version suffix (v2) is dropped, since a record is about the paper, not one of its versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from ai4radiology.catalog.models import arxiv_url, doi_url

ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5})(?:v\d+)?$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# arXiv mints DOIs for its own papers (DataCite): 10.48550/arXiv.2505.15235 is the preprint itself.
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}

Kind = Literal["arxiv", "doi"]


class IdentifierError(ValueError):
    """Text that names no paper the tools can look up; the message says what was expected."""


@dataclass(frozen=True)
class Identifier:
    kind: Kind
    value: str
    """Bare id: '2505.15235' or '10.1109/tmi.2022.3217543' (DOIs are case-insensitive; kept lowercase)."""

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def url(self) -> str:
        return arxiv_url(self.value) if self.kind == "arxiv" else doi_url(self.value)


def arxiv(value: str) -> Identifier:
    match = ARXIV_ID.match(value.strip())
    if not match:
        raise IdentifierError(f"'{value}' is not an arXiv id such as 2505.15235")
    return Identifier("arxiv", match.group(1))


def doi(value: str) -> Identifier:
    value = value.strip()
    if not DOI.match(value):
        raise IdentifierError(f"'{value}' is not a DOI such as 10.1109/TMI.2022.3217543")
    preprint = ARXIV_DOI.match(value)
    return Identifier("arxiv", preprint.group(1)) if preprint else Identifier("doi", value.lower())


def parse_identifier(text: str) -> Identifier:
    """`arxiv:ID`, `doi:DOI`, an arxiv.org or doi.org link, or a bare arXiv id or DOI."""
    text = text.strip()
    scheme, _, rest = text.partition(":")
    if scheme.lower() == "arxiv" and rest:
        return arxiv(rest)
    if scheme.lower() == "doi" and rest:
        return doi(rest)
    if scheme.lower() in ("http", "https"):
        return _from_url(text)
    if ARXIV_ID.match(text):
        return arxiv(text)
    if DOI.match(text):
        return doi(text)
    raise IdentifierError(
        f"'{text}' is not a paper identifier: write arxiv:2505.15235, doi:10.1109/TMI.2022.3217543 "
        "or an arxiv.org / doi.org link"
    )


def _from_url(text: str) -> Identifier:
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if host in _ARXIV_HOSTS:
        match = re.match(r"^/(?:abs|pdf|html)/(.+?)(?:\.pdf)?/?$", path)
        if match:
            return arxiv(match.group(1))
    if host in _DOI_HOSTS and len(path) > 1:
        return doi(path[1:])
    raise IdentifierError(f"'{text}' is not an arxiv.org/abs/… or doi.org/… link")
