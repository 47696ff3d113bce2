"""Links from a plain list of URLs (`ai4radiology linkcheck --urls FILE`): no catalog, no validation models."""

from __future__ import annotations

from pathlib import Path

from .model import InvalidURL, Link, LinkOrigin, merge_links


def read_url_file(path: Path) -> list[Link]:
    """Links from a text file of one URL a line; blank lines and `#` comments are ignored."""
    links = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        column = len(line) - len(line.lstrip()) + 1
        try:
            links.append(Link(url, (LinkOrigin(str(path), number, column, "", "url"),)))
        except InvalidURL as exc:
            raise InvalidURL(f"{path}:{number}: {exc}") from None
    return merge_links(links)
