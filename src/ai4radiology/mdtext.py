"""Escaping catalog text for Markdown, so no field can break a table or inject markup.

Catalog text is data, never Markdown: every character that Markdown or HTML
would interpret is neutralised; URLs are already validated as http(s).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

# Characters with meaning inside a line of (GitHub-flavoured) Markdown; '(' only matters after ']'.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def text(value: object) -> str:
    """Inline text: one line, HTML entities escaped, Markdown punctuation backslash-escaped."""
    one_line = " ".join(str(value).split())
    escaped = html.escape(one_line, quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def cell(value: object) -> str:
    """A table cell: like text(); an empty value becomes a dash so the column count never changes."""
    return text(value) if str(value).strip() else "–"


def url(value: str) -> str:
    """A link target: characters that would end the Markdown link or break out of it are percent-encoded."""
    return quote(value.strip(), safe=":/?#@!$&'*+,;=%~-._")


def link(label: object, target: str | None) -> str:
    return f"[{text(label)}]({url(target)})" if target else text(label)
