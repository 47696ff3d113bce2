"""How fast the explorer answers a reader, on a large synthetic catalog, in a real Chromium.

Builds the site of a synthetic catalog (benchmarks/synthetic.py), serves it on 127.0.0.1 and
drives Debian's Chromium through Playwright. Every time is taken inside the page with
performance.now(): from the key press (or click) until the frame after the explorer has redrawn,
so it includes the typing debounce, the filtering, the drawing and one paint.

- ready: navigation start -> the explorer's `explorer-ready` performance mark (rows fetched, parsed, first page drawn)
- search ready: navigation start -> `explorer-search-ready` (the search text, fetched after the first page, is
  parsed); shown for information. Typing waits for it, so the keystrokes are measured after it.
- keystroke: one key of a search word -> results painted, for each key of several words
- sort: a click on a column heading -> rows painted, every column, first (cold) and second click

Targets at 10,000 papers: ready <= 1500 ms, keystroke <= 100 ms, sort <= 200 ms; printed as measured / target.
Run: python benchmarks/bench_explorer.py [--papers 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import write_synthetic_catalog  # noqa: E402

from ai4radiology.catalog.loader import load_catalog  # noqa: E402
from ai4radiology.website.build import build_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TARGETS_MS = {"ready": 1500, "keystroke": 100, "sort": 200}
WORDS = ["sparse", "gaussian view", "transformer"]
SORTS = ["name", "title", "venue", "year", "modalities", "categories", "code"]

# Resolves with the milliseconds from the next key press / click to the frame after the count changed.
ARM = """(kind) => {
  const count = document.querySelector("[data-count]");
  window.__timing = new Promise((resolve) => {
    const start = (event) => {
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      });
      observer.observe(count, { childList: true, characterData: true, subtree: true });
    };
    document.addEventListener(kind, start, { capture: true, once: true });
  });
}"""


# Resolves with the time of the `explorer-search-ready` mark, once it is set (buffered: also if already set).
SEARCH_READY = """() => new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    const mark = list.getEntriesByName("explorer-search-ready")[0];
    if (mark) {
      observer.disconnect();
      resolve(mark.startTime);
    }
  }).observe({ type: "mark", buffered: true });
})"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def build(papers: int, workdir: Path) -> Path:
    catalog_dir = write_synthetic_catalog(workdir / "catalog", papers)
    catalog = load_catalog(catalog_dir).require_valid()
    site = workdir / "site"
    build_site(
        catalog,
        templates_dir=REPO / "templates",
        config_file=REPO / "mkdocs.yml",
        site_dir=site,
        docs_dir=workdir / "docs",
    )
    return site


def measure(site: Path) -> dict[str, list[float]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/explorer.html"
    results: dict[str, list[float]] = {
        "ready": [],
        "search ready": [],
        "keystroke": [],
        "sort": [],
        "elements": [],
        "script": [],
    }
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for _ in range(3):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(url)
                page.wait_for_selector("[data-explorer][data-ready=true]", timeout=60_000)
                results["ready"].append(page.evaluate("performance.getEntriesByName('explorer-ready')[0].startTime"))
                results["search ready"].append(page.evaluate(SEARCH_READY))
                page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            page.wait_for_selector("[data-explorer][data-ready=true]", timeout=60_000)
            page.evaluate(SEARCH_READY)
            results["elements"].append(page.evaluate("document.querySelectorAll('*').length"))
            search = page.locator("[data-explorer] input[name=text]")
            for word in WORDS:
                search.fill("")
                search.focus()
                for key in word:
                    page.evaluate(ARM, "keydown")
                    page.keyboard.press(key)
                    results["keystroke"].append(page.evaluate("window.__timing"))
            page.evaluate(ARM, "input")  # back to every paper before sorting; timed from the input event:
            search.fill("")  # a Backspace in an empty box (after a fill) changes nothing, and the wait never ended
            page.evaluate("window.__timing")
            for column in SORTS:
                for _ in range(2):
                    page.evaluate(ARM, "click")
                    page.click(f"[data-sort={column}]")
                    results["sort"].append(page.evaluate("window.__timing"))
            # The script's own share: filtering, sorting and building rows, without style, layout and paint.
            results["script"] = page.evaluate(
                "performance.getEntriesByName('explorer-render').slice(1).map(m => m.duration)"
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=10_000, help="synthetic catalog size")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-explorer-") as tmp:
        workdir = args.keep or Path(tmp)
        site = workdir / "site"
        if not (site / "explorer.html").exists():
            print(f"building the site of {args.papers} synthetic papers…", flush=True)
            site = build(args.papers, workdir)
        size_mb = (site / "explorer.json").stat().st_size / 1e6
        search_mb = (site / "explorer-search.json").stat().st_size / 1e6
        results = measure(site)
    load = os.getloadavg()[0]
    print(
        f"papers: {args.papers}   explorer.json: {size_mb:.1f} MB   explorer-search.json: {search_mb:.1f} MB   "
        f"page elements: {int(results['elements'][0])}"
    )
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} cores (other work on the machine slows it)")
    print(f"{'measure':>10} {'n':>4} {'median ms':>10} {'max ms':>8} {'target ms':>10} {'max/target':>11}")
    for name, target in TARGETS_MS.items():
        values = results[name]
        worst = max(values)
        print(
            f"{name:>10} {len(values):>4} {statistics.median(values):>10.1f} {worst:>8.1f} {target:>10} "
            f"{worst / target:>10.2f} {'met' if worst <= target else 'MISSED'}"
        )
    searched = results["search ready"]
    print(
        f"{'search':>10} {len(searched):>4} {statistics.median(searched):>10.1f} {max(searched):>8.1f}   "
        "(search text loaded)"
    )
    script = results["script"]
    print(f"{'script':>10} {len(script):>4} {statistics.median(script):>10.1f} {max(script):>8.1f}   (render() alone)")


if __name__ == "__main__":
    main()
