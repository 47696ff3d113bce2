"""When two texts are the same text: case, punctuation, spacing, invisible characters and look-alike
letters aside (`fingerprint`, `squash`), and titles that are nearly the same (`NearTitles`).

Used by the duplicate checks and by `add`, which refuses a paper the catalog already holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher
from functools import cache, lru_cache
from typing import Any

NEAR_DUPLICATE_TITLE = 0.92


def fingerprint(text: str) -> str:
    """Case, punctuation, spacing, invisible characters and look-alike letters aside: what makes two
    texts the same text (a Cyrillic 'а' in a copied title does not make it another title)."""
    return " ".join(_WORD.findall(skeleton(text).casefold()))


_WORD = re.compile(r"\w+")


def skeleton(text: str) -> str:
    """`text` in compatibility form (NFKC), without format characters, each letter that looks like a Latin
    letter written as that letter (confusables data of Unicode TR39, from confusable-homoglyphs)."""
    if text.isascii():
        return text  # nothing to map: the common case, kept fast for large catalogs
    normal = unicodedata.normalize("NFKC", text)
    return "".join(_latin_lookalike(char) for char in normal if unicodedata.category(char) != "Cf")


@cache
def confusables() -> Any:
    """Unicode's confusables data, loaded when a non-ASCII word first needs it (about 0.1 s)."""
    from confusable_homoglyphs import confusables  # type: ignore[import-untyped]

    return confusables


@cache
def _latin_lookalike(char: str) -> str:
    if char.isascii():
        return char
    found = confusables().is_confusable(char, preferred_aliases=["latin"], greedy=True) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii():
                return str(glyph["c"])
    return char


def squash(text: str) -> str:
    """Only the letters and digits of `text`, case aside: 'CuNeRF' is in 'Cu-NeRF' and in 'cunerf'."""
    if text.isascii():  # the common case, done in C: same result as below for ASCII text
        return text.encode().lower().translate(None, _ASCII_NOT_ALNUM).decode()
    return "".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold())).replace("_", "")


_ASCII_NOT_ALNUM = bytes(b for b in range(128) if not chr(b).isalnum())


class NearTitles:
    """Titles indexed so that a title's near-duplicates are found without comparing all pairs.

    Near-duplicate means: fingerprints (see `fingerprint`) at most one word apart (a word added,
    removed or changed: a typo, a dropped article) and a similarity ratio of at least
    NEAR_DUPLICATE_TITLE. Each title is filed under its word sequence and under that sequence with one
    word left out; two titles one word apart share one of these keys, so only they are compared.
    """

    MAX_COMPARED = 64  # per title: a key shared by more titles than this is a template, not a duplicate

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._keys: list[str] = []

    def add(self, key: str) -> int:
        index = len(self._keys)
        self._keys.append(key)
        for variant in _one_word_out(key):
            self._by_key[variant].append(index)
        return index

    def key(self, index: int) -> str:
        return self._keys[index]

    def similar(self, key: str) -> list[int]:
        """Indexes of the titles added so far that `key` equals or nearly equals, the same first."""
        seen: set[int] = set()
        same, near = [], []
        for variant in _one_word_out(key):
            for index in self._by_key.get(variant, ())[: self.MAX_COMPARED]:
                if index in seen:
                    continue
                seen.add(index)
                other = self._keys[index]
                if other == key:
                    same.append(index)
                elif _near(key, other):
                    near.append(index)
        return sorted(same) + sorted(near)


@lru_cache(maxsize=1024)  # a title is looked up, then added: its variants are built once
def _one_word_out(key: str) -> list[tuple[str, ...]]:
    words = tuple(key.split())
    return [words, *(words[:i] + words[i + 1 :] for i in range(len(words)) if len(words) > 1)]


def _near(a: str, b: str) -> bool:
    """Whether two fingerprints are nearly the same: difflib's ratio (2 x matched / total length), with the
    words they share at the start and the end counted as matched and only the words between compared."""
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    shortest = min(len(wa), len(wb))
    start = next((i for i in range(shortest) if wa[i] != wb[i]), shortest)
    end = next((i for i in range(shortest - start) if wa[-1 - i] != wb[-1 - i]), shortest - start)
    mid_a, mid_b = " ".join(wa[start : len(wa) - end]), " ".join(wb[start : len(wb) - end])
    total, shared = len(a) + len(b), len(a) - len(mid_a) + len(b) - len(mid_b)
    if (shared + 2 * min(len(mid_a), len(mid_b))) / total < NEAR_DUPLICATE_TITLE:
        return False  # even if the middles matched wholly
    matcher = SequenceMatcher(None, mid_a, mid_b, autojunk=False)
    return (shared + 2 * sum(block.size for block in matcher.get_matching_blocks())) / total >= NEAR_DUPLICATE_TITLE
