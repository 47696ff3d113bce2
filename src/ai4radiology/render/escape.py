"""Escaping catalog text for Markdown, so no field can break a table or inject markup.

Catalog text is data, never Markdown: every character that Markdown or HTML
would interpret is neutralised; URLs are already validated as http(s).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

# Characters with meaning inside a line of (GitHub-flavoured) Markdown; '(' only matters after ']';
# '#' anywhere, as a trailing '#' would close a heading.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


# What makes a line a heading, quote, list item or rule when the text starts a paragraph.
_BLOCK_START = re.compile(r"^(?:[+=-]|\d+[.)])")


def text(value: object) -> str:
    """Inline text: one line, HTML entities escaped, Markdown punctuation backslash-escaped.

    Safe in a table cell and at the start of a paragraph alike.
    """
    one_line = " ".join(str(value).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))
    return _BLOCK_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], escaped, count=1)


def cell(value: object) -> str:
    """A table cell: like text(); an empty value becomes a dash so the column count never changes."""
    return text(value) if str(value).strip() else "–"


def url(value: str) -> str:
    """A link target: characters that would end the Markdown link or break out of it are percent-encoded."""
    return quote(value.strip(), safe=":/?#@!$&'*+,;=%~-._")


def fence(value: str, minimum: int = 3) -> str:
    """A backtick fence longer than any backtick run inside `value`, so the value cannot close it early.

    `minimum` is 3 for a fenced code block, 1 for an inline code span.
    """
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    return "`" * max(minimum, longest + 1)


def link(label: object, target: str | None) -> str:
    return f"[{text(label)}]({url(target)})" if target else text(label)
