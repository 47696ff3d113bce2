"""Characters a reader cannot see, found in one place for the record models and the URL rule."""

from __future__ import annotations

import unicodedata
from functools import cache

# Characters a reader cannot see: control characters (NUL, ESC...; they also make feed.xml invalid XML)
# and format characters (zero-width spaces, bidirectional overrides, soft hyphens). Category Cs cannot
# come from YAML. Long text may hold line breaks and tabs; YAML writes those as whitespace anyway.
_INVISIBLE_CATEGORIES = ("Cc", "Cf")
PROSE_WHITESPACE = "\n\t\r"


def unseen_character(value: str, allowed: str = "") -> str | None:
    """A description of the first invisible character in `value`, or None."""
    if value.isprintable() or (allowed and value.translate(_as_spaces(allowed)).isprintable()):
        return None  # the common case, checked in C: no Cc or Cf character at all
    for index, char in enumerate(value):
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES and char not in allowed:
            name = unicodedata.name(char, "control character")
            return f"U+{ord(char):04X} {name} at character {index + 1}"
    return None


@cache
def _as_spaces(allowed: str) -> dict[int, str]:
    return dict.fromkeys(map(ord, allowed), " ")
