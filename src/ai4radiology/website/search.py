"""The site's full-text search: Pagefind indexes the built HTML into a static, chunked index.

The index (site/pagefind/) is split into small fragments, so a reader's browser fetches
only the chunks a query needs, and nothing at all until the reader uses the search box
(templates/site/assets/search.js loads it on demand). This replaces MkDocs' lunr search,
whose whole index (several MB at a few thousand papers) every page view downloaded.

Pagefind is a single binary shipped on PyPI as `pagefind[bin]`; it runs after MkDocs, on
the finished site, in a separate process.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

INDEX_DIR = "pagefind"  # under the site folder; search.js loads INDEX_DIR/pagefind.js from the site root
# What is not worth searching: permalink marks; BibTeX blocks, which repeat a page's title and authors; and
# tables, which on list pages (a category, a modality, a dataset) repeat what each paper's own page says.
# Indexed, a category page of 2,000 papers would be one 1 MB excerpt file, fetched whenever it matches a query.
EXCLUDED = [".headerlink", ".highlight", "table"]
TIMEOUT_SECONDS = 1800  # far above a 10,000-paper index on a slow machine; only a hung process reaches it


class SearchIndexError(Exception):
    """The search index cannot be built; the message says why and what to do."""


def pagefind_executable() -> Path:
    """The Pagefind binary of the `pagefind_bin` package (installed by `pip install 'pagefind[bin]'`)."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]  # the package ships no type hints
    except ImportError:
        raise SearchIndexError(
            "Pagefind is not installed, so the site's search index cannot be built "
            "(pip install 'pagefind[bin]', or reinstall ai4radiology)"
        ) from None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        raise SearchIndexError(
            "the pagefind_bin package has no binary for this platform (pip install --force-reinstall 'pagefind[bin]')"
        ) from None


def pagefind_command(site_dir: Path) -> list[str]:
    """The command that indexes the HTML of `site_dir` into `site_dir/INDEX_DIR`."""
    return [
        str(pagefind_executable()),
        "--site",
        str(site_dir),
        "--output-subdir",
        INDEX_DIR,
        # Result links end in index.html like every other link of the site (use_directory_urls: false).
        "--keep-index-url",
        "--exclude-selectors",
        ", ".join(EXCLUDED),
        "--quiet",
    ]


def index_site(site_dir: Path) -> None:
    """Write the search index of the built site in `site_dir`. Raises SearchIndexError if Pagefind fails."""
    try:
        result = subprocess.run(
            pagefind_command(site_dir),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"Pagefind did not finish indexing {site_dir} within {TIMEOUT_SECONDS} s") from None
    except OSError as exc:
        raise SearchIndexError(f"cannot run Pagefind: {exc.strerror}") from None
    if result.returncode != 0:
        lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        said = " ".join(dict.fromkeys(lines))[-500:] or "no message"  # Pagefind repeats its error line
        raise SearchIndexError(f"Pagefind failed (exit status {result.returncode}): {said}")
    if not (site_dir / INDEX_DIR / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind wrote no index into {site_dir / INDEX_DIR} (did the site's pages change?)")
