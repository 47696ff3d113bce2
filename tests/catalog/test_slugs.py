"""One slug rule for record ids, BibTeX keys and page file names."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ai4radiology.catalog.models import SLUG_PATTERN, Modality
from ai4radiology.catalog.slugs import slugify, unique_slug
from ai4radiology.contribute.scaffold import paper_id
from ai4radiology.formats.bibtex import BibEntry
from ai4radiology.website.pages import modality_slugs


def test_accents_are_folded_to_ascii():
    assert slugify("Müller-Lüdenscheidt & Co.") == "muller-ludenscheidt-co"
    assert slugify("Müller") == "muller"


def test_unique_slug_numbers_repeats_from_two():
    assert unique_slug("doe-2025-demo", {"doe-2025-demo", "doe-2025-demo-2"}) == "doe-2025-demo-3"
    assert unique_slug("doe-2025-demo", set()) == "doe-2025-demo"


@given(st.text(max_size=40))
def test_a_slug_is_empty_or_a_valid_record_id(text):
    slug = slugify(text)
    assert slug == "" or re.fullmatch(SLUG_PATTERN, slug)


def test_record_ids_and_page_names_agree_on_accented_names():
    """The same name gives the same slug as a paper id part and as a modality page name."""
    entry = BibEntry(
        key="k",
        line=1,
        title="Demo",
        authors=("Müller, A.",),
        first_author_family="Müller",
        venue="MICCAI",
        year=2025,
        doi=None,
        arxiv=None,
        url=None,
    )
    modality = Modality(id="Müller", label="Müller", description="A made-up modality.")
    assert paper_id(entry, set()).startswith("muller-2025")
    assert modality_slugs([modality]) == {"Müller": "muller"}
