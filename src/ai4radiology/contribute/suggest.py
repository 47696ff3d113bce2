"""Modality and category suggestions for new records, from keywords kept as data in catalog/keywords.yaml.

A suggestion is never a decision: `add` writes it as `TODO CT` so validation fails until the contributor
has looked and deleted the mark. Keywords in capitals (CT, PET, US) are acronyms and match only as written,
whole words; others match any case, as whole words or phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

KEYWORDS_FILE = "keywords.yaml"
FIELDS = ("modalities", "representation")


class KeywordsError(Exception):
    """catalog/keywords.yaml cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Keywords:
    terms: dict[str, dict[str, tuple[str, ...]]]
    """field -> value (a modality or category id) -> keywords that suggest it."""

    @classmethod
    def load(cls, catalog_dir: Path) -> Keywords:
        """The catalog's keywords; none when the file does not exist."""
        path = catalog_dir / KEYWORDS_FILE
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls({})
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise KeywordsError(f"cannot read {path.as_posix()}: {exc}") from None
        return cls(_checked(data, path))

    def suggest(self, field: str, text: str, allowed: set[str]) -> list[str]:
        """Values of `field` (limited to `allowed`, the catalog's vocabulary) whose keywords occur in `text`."""
        return [
            value
            for value, words in self.terms.get(field, {}).items()
            if value in allowed and any(_pattern(word).search(text) for word in words)
        ]


def _checked(data: object, path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    where = path.as_posix()
    if data is None:
        return {}
    if not isinstance(data, dict) or set(data) - set(FIELDS):
        raise KeywordsError(f"{where}: expected a mapping with the keys {' and '.join(FIELDS)}")
    terms: dict[str, dict[str, tuple[str, ...]]] = {}
    for field, values in data.items():
        if not isinstance(values, dict):
            raise KeywordsError(f"{where}: {field}: expected a mapping of id to a list of keywords")
        terms[field] = {}
        for value, words in values.items():
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                raise KeywordsError(f"{where}: {field}.{value}: expected a list of keywords")
            terms[field][str(value)] = tuple(words)
    return terms


def _pattern(word: str) -> re.Pattern[str]:
    flags = 0 if word.isupper() else re.IGNORECASE
    return re.compile(r"(?<!\w)" + re.escape(word.strip()) + r"(?!\w)", flags)
