"""Slugs: the ASCII names of records, BibTeX keys and page files, made from free text in one way."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens ('Müller-Lyer' -> 'muller-lyer').

    Accents are folded (NFKD, then the marks dropped); a letter with no ASCII form is dropped too,
    so the result may be empty: callers that need a name supply their own fallback.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def unique_slug(candidate: str, taken: set[str]) -> str:
    """`candidate`, or `candidate-2`, `-3`... whichever is not taken yet."""
    slug, number = candidate, 2
    while slug in taken:
        slug, number = f"{candidate}-{number}", number + 1
    return slug
