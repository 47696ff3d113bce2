"""Escaped catalog text reads back as exactly that text, whether it starts a paragraph or fills a cell."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ai4radiology.render import escape as mdtext

MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def plain_text(tokens) -> str:
    """The text a reader sees, from the inline tokens of a rendered paragraph."""
    return "".join(
        child.content
        for token in tokens
        if token.type == "inline"
        for child in token.children
        if child.type in ("text", "code_inline", "softbreak")
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=80))
def test_text_is_one_plain_paragraph(value):
    expected = " ".join(value.split())
    tokens = MARKDOWN.parse(mdtext.text(value))
    if not expected:
        assert tokens == []
        return
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert all(child.type == "text" for child in tokens[1].children)
    assert plain_text(tokens) == expected


def test_block_markers_at_the_start_stay_text():
    for value in ["# Not a heading", "- not a list", "12. not a list", "> not a quote", "=== not a rule"]:
        tokens = MARKDOWN.parse(mdtext.text(value))
        assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], value
        assert plain_text(tokens) == value


@given(st.text(alphabet="`ab\n", max_size=40), st.sampled_from([1, 3]))
def test_a_fence_is_longer_than_any_backtick_run_inside(value, minimum):
    fence = mdtext.fence(value, minimum)
    assert set(fence) == {"`"} and len(fence) >= minimum and fence not in value


def test_a_fenced_block_holding_backticks_reads_back_whole():
    value = "a ``` b\n````\nc"
    fence = mdtext.fence(value)
    tokens = MARKDOWN.parse(f"{fence}text\n{value}\n{fence}\n")
    assert [t.type for t in tokens] == ["fence"] and tokens[0].content == value + "\n"


# The site reads the same escaped text with Python-Markdown and its extensions (issue 8, items 1, 4, 5).
SITE_MARKDOWN_EXTENSIONS = ["tables", "admonition", "pymdownx.details", "pymdownx.superfences", "md_in_html", "toc"]


def site_markdown(source: str) -> str:
    import markdown

    return markdown.Markdown(extensions=[*SITE_MARKDOWN_EXTENSIONS, "attr_list"]).convert(source)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["{onclick=x}", "!!! note", "??? note", "~", "=", "\\", "'", '"', "|", "`", "*", "#", "- "])
        | st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=6),
        min_size=1,
        max_size=6,
    ).map("".join)
)
def test_python_markdown_reads_escaped_text_as_one_plain_paragraph(value):
    """Even with attr_list enabled, escaped text is one paragraph with no element or attribute inside."""
    import html as html_module
    import re

    expected = " ".join(value.split())
    if not expected:
        return
    for quotes in (False, True):
        rendered = site_markdown(mdtext.text(value, quotes=quotes))
        inner = re.fullmatch(r"<p>(.*)</p>", rendered, re.S)
        assert inner, rendered
        assert "<" not in inner.group(1).replace("&lt;", ""), rendered
        assert html_module.unescape(inner.group(1)) == expected


def test_site_escapes_render_invisibly():
    """'~' and '=' once showed their backslash on the site ("\\~ 5 s" on the CINENet page)."""
    import html as html_module

    for value in ["~ 5 s", "= 3", "a ~ b = c", "??? note", "!!! danger", "{: #x }"]:
        rendered = site_markdown(mdtext.text(value))
        assert rendered.startswith("<p>") and rendered.endswith("</p>")
        assert html_module.unescape(rendered[3:-4]) == value


def test_a_quote_in_a_url_does_not_become_a_link_title():
    """Python-Markdown reads '…' after a link target as its title (issue 8, item 3)."""
    rendered = site_markdown(mdtext.link("x", "https://example.org/a'b' c"))
    assert rendered == '<p><a href="https://example.org/a%27b%27%20c">x</a></p>'
