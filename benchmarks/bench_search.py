"""Site search in a real Chromium, at 10,000 papers: bytes downloaded and time to the first result.

Builds the site of a synthetic catalog (synthetic.py) as `ai4radiology build` does, serves it on
127.0.0.1 with a server that counts the bytes it sends, and drives Debian's Chromium through
Playwright. Every measurement starts in a fresh browser context (empty cache), as a first visit:

- a page view where nobody searches: bytes of the search index fetched (target: none);
- a first query: bytes of the search index fetched (target <= 300 KB), and the time from the reader
  turning to the search box and entering the query to the first result on screen (target <= 1 s).
  This includes loading Pagefind itself, its WebAssembly and the index chunks, and the excerpts
  of the first page of results;
- a second query on the same page, now that Pagefind is loaded.

Queries are taken from the catalog: a paper's name, the most frequent title word, and a title word
of median frequency.

Run: python benchmarks/bench_search.py [--papers 10000] [--workdir DIR] [--reuse]
(--reuse serves the site already built in DIR instead of building it again).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from playwright.sync_api import Browser, Page, sync_playwright
from synthetic import write_synthetic_catalog

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.loader import load_catalog
from ai4radiology.website.build import build_site
from ai4radiology.website.search import INDEX_DIR

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
TARGET_FIRST_QUERY_KB = 300
TARGET_FIRST_RESULT_S = 1.0
RESULT = ".md-search-result__item"


class CountingHandler(SimpleHTTPRequestHandler):
    """Serves the site and adds the size of every file it sends to the server's tally, by path."""

    server: CountingServer

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        outputfile.write(data)
        with self.server.lock:
            self.server.sent[self.path.split("?")[0]] += len(data)

    def log_message(self, format: str, *args) -> None:
        pass


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Path):
        super().__init__(("127.0.0.1", 0), partial(CountingHandler, directory=str(site)))
        self.lock = threading.Lock()
        self.sent: Counter[str] = Counter()

    def take(self) -> Counter[str]:
        """The bytes sent since the last call, by path."""
        with self.lock:
            sent, self.sent = self.sent, Counter()
        return sent


@contextmanager
def serving(site: Path) -> Iterator[tuple[CountingServer, str]]:
    server = CountingServer(site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def index_kb(sent: Counter[str]) -> float:
    return sum(size for path, size in sent.items() if path.startswith(f"/{INDEX_DIR}/")) / 1024


def build(catalog_dir: Path, workdir: Path) -> Path:
    catalog = load_catalog(catalog_dir).require_valid()
    started = time.perf_counter()
    build_site(
        catalog,
        templates_dir=REPO / "templates",
        config_file=REPO / "mkdocs.yml",
        site_dir=workdir / "site",
        docs_dir=workdir / "docs",
    )
    print(f"built the site of {len(catalog.papers)} papers in {time.perf_counter() - started:.0f} s", flush=True)
    return workdir / "site"


def queries(catalog: Catalog) -> list[str]:
    """A paper's name, the most frequent title word and one of median frequency (words of 4+ letters)."""
    words = Counter(w for p in catalog.papers for w in re.findall(r"[a-z]{4,}", p.title.lower()))
    ranked = [word for word, _ in words.most_common()]
    middle = sorted(words.values())[len(words) // 2]
    median_word = next(word for word in reversed(ranked) if words[word] >= middle)
    return [catalog.papers[len(catalog.papers) // 2].name, ranked[0], median_word]


# Timed in the page, from the box's focus (the index starts loading then) to the first result in the list,
# so the figure is the browser's and not Playwright's round trips.
TIME_FIRST_RESULT = """() => {
  const box = document.querySelector(".md-search__input");
  const list = document.querySelector(".md-search-result__list");
  window.benchFirstResult = new Promise((resolve) => {
    let started = null;
    box.addEventListener("focus", () => { started = performance.now(); }, { once: true });
    box.addEventListener("input", () => { started ??= performance.now(); }, { once: true });
    new MutationObserver((_, observer) => {
      if (list.querySelector(".md-search-result__item")) {
        observer.disconnect();
        resolve((performance.now() - started) / 1000);
      }
    }).observe(list, { childList: true });
  });
}"""


def first_result(page: Page, query: str) -> tuple[float, int]:
    """Seconds from focusing the box and entering `query` to the first result shown; the count shown."""
    page.evaluate(TIME_FIRST_RESULT)
    box = page.get_by_placeholder("Search")
    box.focus()
    box.fill(query)
    seconds = page.evaluate("window.benchFirstResult")
    return seconds, page.locator(RESULT).count()


def measure_query(browser: Browser, server: CountingServer, url: str, query: str, then: str) -> dict:
    """A first query in a fresh page, then another one (`then`) on the same page."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{url}index.html")
        page.wait_for_load_state("networkidle")
        server.take()
        seconds, shown = first_result(page, query)
        first_kb = index_kb(server.take())
        matches = page.locator(".md-search-result__meta").text_content()
        page.get_by_placeholder("Search").fill("")
        second_seconds, _ = first_result(page, then)
        return {
            "query": query,
            "matches": matches,
            "shown": shown,
            "first_kb": first_kb,
            "first_s": seconds,
            "second_kb": index_kb(server.take()),
            "second_s": second_seconds,
        }
    finally:
        context.close()


def page_view(browser: Browser, server: CountingServer, url: str, path: str) -> tuple[float, float]:
    """(KB of the search index, KB in all) fetched by a first view of `path` where nobody searches."""
    context = browser.new_context()
    try:
        server.take()
        page = context.new_page()
        page.goto(f"{url}{path}")
        page.wait_for_load_state("networkidle")
        page.mouse.wheel(0, 3000)
        page.wait_for_load_state("networkidle")
        sent = server.take()
        return index_kb(sent), sum(sent.values()) / 1024
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=10_000, help="size of the synthetic catalog")
    parser.add_argument("--workdir", type=Path, help="keep the catalog and the site here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="serve the site already built in --workdir")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        workdir = args.workdir or Path(tmp)
        catalog_dir = workdir / "catalog"
        if not args.reuse:
            write_synthetic_catalog(catalog_dir, args.papers)
            site = build(catalog_dir, workdir)
        else:
            site = workdir / "site"
        catalog = load_catalog(catalog_dir).require_valid()
        paper = sorted(catalog.papers, key=lambda p: p.id)[0]
        index_files = sum(1 for f in (site / INDEX_DIR).rglob("*") if f.is_file())
        index_mb = sum(f.stat().st_size for f in (site / INDEX_DIR).rglob("*") if f.is_file()) / 2**20
        print(f"{len(catalog.papers)} papers; search index: {index_files} files, {index_mb:.1f} MB on disk")
        with serving(site) as (server, url), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            print(f"\n{'page view without a search':<32} {'index':>10} {'all':>10}")
            views = {path: page_view(browser, server, url, path) for path in ["index.html", f"papers/{paper.id}.html"]}
            for path, (index, total) in views.items():
                print(f"{path:<32} {index:>7.1f} KB {total:>7.1f} KB")
            print(
                f"\n{'first query':<22} {'matches':>22} {'index':>10} {'first result':>13} "
                f"{'2nd query':>10} {'2nd result':>11}"
            )
            rows = []
            asked = queries(catalog)
            for query, then in zip(asked, [*asked[1:], asked[0]], strict=True):
                row = measure_query(browser, server, url, query, then)
                rows.append(row)
                print(
                    f"{row['query']:<22} {row['matches']:>22} {row['first_kb']:>7.1f} KB {row['first_s']:>11.2f} s "
                    f"{row['second_kb']:>7.1f} KB {row['second_s']:>9.2f} s",
                    flush=True,
                )
            browser.close()
    worst_kb, worst_s = max(r["first_kb"] for r in rows), max(r["first_s"] for r in rows)
    median_s = statistics.median(r["first_s"] for r in rows)
    nothing = max(index for index, _ in views.values()) == 0
    print(f"\ntarget: nothing of the index without a search: {'met' if nothing else 'MISSED'}")
    print(
        f"target first query <= {TARGET_FIRST_QUERY_KB} KB: {'met' if worst_kb <= TARGET_FIRST_QUERY_KB else 'MISSED'}"
        f" (worst {worst_kb:.0f} KB)"
    )
    met = worst_s <= TARGET_FIRST_RESULT_S
    print(
        f"target first result <= {TARGET_FIRST_RESULT_S:.0f} s: {'met' if met else 'MISSED'}"
        f" (worst {worst_s:.2f} s, median {median_s:.2f} s)"
    )


if __name__ == "__main__":
    main()
