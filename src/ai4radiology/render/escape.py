"""Escaping catalog text for Markdown, so no field can break a table or inject markup.

Catalog text is data, never Markdown. The same escaped text is read by two parsers: GitHub
(CommonMark + GFM) for README.md, and Python-Markdown with the site's extensions for the site.
Every character either of them gives meaning to is neutralised with an escape that both render
invisibly: a backslash where both accept one, a character reference where Python-Markdown would
show the backslash. The site's text may also stand inside a quoted HTML attribute, so there quotes
become references too (README.md keeps them readable). URLs are already validated as http(s).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote


class Markdown(str):
    """Text that is Markdown already (escaped, or built from escaped parts): templates print it as it is."""


# Backslash-escapable in CommonMark and in Python-Markdown (its ESCAPED_CHARS, '|' from the tables
# extension): code, emphasis, links and images, table cells, headings, attr_list's {...}, admonitions' !!!.
_BACKSLASHED = re.compile(r"([\\`*_\[\]|#{}!])")

# Meaningful to one of the parsers but not backslash-escapable in Python-Markdown: '~' (GFM strikethrough,
# ~~~ fences). Character references render as the character itself.
_REFERENCES = {"~": "&#126;"}
_QUOTE_REFERENCES = {**_REFERENCES, '"': "&quot;", "'": "&#39;"}

# What makes a line a heading, quote, list item or rule when the text starts a line, and the '???'
# of collapsible blocks (pymdownx.details). '=' and '?' are not backslash-escapable in Python-Markdown.
_BLOCK_START = re.compile(r"^(?:[+-]|\d+[.)])")
_BLOCK_START_REFERENCES = {"=": "&#61;", "?": "&#63;"}


def text(value: object, *, quotes: bool = False) -> str:
    """Inline text: one line, HTML entities escaped, Markdown punctuation neutralised.

    Safe in a table cell, at the start of a line and in a heading alike; with `quotes`, also inside a
    quoted HTML attribute.
    """
    one_line = " ".join(str(value).split())
    escaped = html.escape(one_line, quote=False)
    escaped = _BACKSLASHED.sub(r"\\\1", escaped)
    references = _QUOTE_REFERENCES if quotes else _REFERENCES
    escaped = re.sub(f"[{''.join(references)}]", lambda m: references[m.group(0)], escaped)
    if escaped[:1] in _BLOCK_START_REFERENCES:
        return _BLOCK_START_REFERENCES[escaped[0]] + escaped[1:]
    return _BLOCK_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], escaped, count=1)


def cell(value: object, *, quotes: bool = False) -> str:
    """A table cell: like text(); an empty value becomes a dash so the column count never changes."""
    return text(value, quotes=quotes) if str(value).strip() else "–"


_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def url(value: str) -> str:
    """A link target: characters that would end the Markdown link, start a link title ('…' or "…")
    or break out of an HTML attribute are percent-encoded, and so is an '&' that Markdown would read as
    the start of a character reference ('&#126;', '&amp;'): both renderers then keep the target as written."""
    return _ENTITY_LIKE.sub("%26", quote(value.strip(), safe=":/?#@!$&*+,;=%~-._"))


def fence(value: str, minimum: int = 3) -> str:
    """A backtick fence longer than any backtick run inside `value`, so the value cannot close it early.

    `minimum` is 3 for a fenced code block, 1 for an inline code span.
    """
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    return "`" * max(minimum, longest + 1)


def link(label: object, target: str | None) -> str:
    return f"[{text(label)}]({url(target)})" if target else text(label)
