"""Reading built pages with the standard library's HTML parser: elements with attributes, and visible text."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

NOT_TEXT = {"script", "style", "title"}


@dataclass(frozen=True)
class Element:
    tag: str
    attrs: dict[str, str | None]


class PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.title = ""
        self._text: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "title" in self._open:
            self.title += data
        elif not NOT_TEXT.intersection(self._open):
            self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def meta(self, name: str) -> str | None:
        found = self.find("meta", name=name) or self.find("meta", property=name)
        return found[0].attrs.get("content") if found else None

    def links(self) -> list[str]:
        return [e.attrs["href"] for e in self.elements if e.tag == "a" and e.attrs.get("href")]


def scan(path: Path) -> PageScan:
    parser = PageScan()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    parser.close()
    return parser
