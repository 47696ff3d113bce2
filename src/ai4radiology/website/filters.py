"""The site templates' filters: how catalog text becomes Markdown, YAML front matter or raw-HTML text.

Every `{{ ... }}` of a site template goes through `escape_output`: data is escaped unless it is
trusted markup (a `Markdown` string built here, or Markup from a macro).
"""

from __future__ import annotations

import html
import json
import re
import textwrap

import jinja2
import markupsafe
from markupsafe import Markup

from ai4radiology.render import escape as mdtext
from ai4radiology.render.escape import Markdown

DESCRIPTION_LENGTH = 200  # search engines and link previews show about this much

# Characters YAML does not allow in a document, escaped or not (control characters, surrogates).
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def front_matter_text(value: object) -> Markdown:
    """A YAML string for page front matter. MkDocs themes print `title`/`description` unescaped into
    HTML, so the text is HTML-escaped here; JSON strings are valid YAML."""
    printable = _NOT_YAML_PRINTABLE.sub("", " ".join(str(value).split()))
    return Markdown(json.dumps(html.escape(printable), ensure_ascii=False))


def meta_json(value: dict[str, list[str]] | str) -> Markup:
    """A YAML flow value (JSON) for front matter that the theme override escapes itself (citation tags)."""

    def clean(text: str) -> str:
        return _NOT_YAML_PRINTABLE.sub("", " ".join(text.split()))

    if isinstance(value, str):
        return Markup(json.dumps(clean(value), ensure_ascii=False))
    return Markup(json.dumps({k: [clean(v) for v in values] for k, values in value.items()}, ensure_ascii=False))


def description(value: object) -> str:
    return textwrap.shorten(" ".join(str(value).split()), DESCRIPTION_LENGTH, placeholder=" …")


def site_text(value: object) -> Markdown:
    """Catalog text for a site page: escaped for Markdown and for a quoted HTML attribute alike."""
    return Markdown(mdtext.text(value, quotes=True))


def site_cell(value: object) -> Markdown:
    return Markdown(mdtext.cell(value, quotes=True))


# In raw HTML the browser decodes character references, but Markdown's inline patterns (code spans,
# escapes, links, emphasis) still run over inline HTML: every character they read becomes a reference.
_ATTRIBUTE_SPECIAL = re.compile(r"""[&<>"'`\\\[\]*_{}!~|]""")


def attribute(value: object) -> Markdown:
    """Text for raw HTML (an attribute's quoted value, or an element's text): one line, every character
    that HTML or Markdown would read written as a character reference.

    One line, because a line break inside raw HTML would end the HTML block for Markdown.
    """
    one_line = " ".join(str(value).split())
    return Markdown(_ATTRIBUTE_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", one_line))


def paragraphs(value: object) -> Markdown:
    """Multi-paragraph text as escaped Markdown paragraphs (blank lines in the source separate them)."""
    parts = re.split(r"\n\s*\n", str(value))
    return Markdown("\n\n".join(site_text(part) for part in parts if part.strip()))


def code_fence(value: str) -> Markdown:
    """The fence of a code block holding `value` (render/escape.fence), trusted as Markdown."""
    return Markdown(mdtext.fence(value))


def verbatim(value: str) -> Markdown:
    """The text of a fenced code block, as it is (the fence from `code_fence` keeps it inside the block)."""
    return Markdown(value)


def indent(value: object, width: int = 4) -> object:
    """Jinja's indent, keeping Markdown trusted: indenting escaped text does not make it data again."""
    indented = jinja2.filters.do_indent(str(value), width)
    return Markdown(indented) if isinstance(value, Markdown) else indented


def escape_output(value: object) -> object:
    """Every `{{ ... }}` of a site template goes through here: data is escaped unless marked trusted."""
    if isinstance(value, (Markdown, markupsafe.Markup)):
        return value
    return "" if value is None else site_text(value)
