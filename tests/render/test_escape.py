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
