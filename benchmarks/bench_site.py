"""Site build time for the real catalog and synthetic ones, and what our generation step costs.

Both sides run as fresh processes, as a user runs them, in a scratch checkout
(mkdocs.yml and templates/ copied from the repository):

- ours:  `ai4radiology build` (validate, generate the pages, mkdocs build --strict), cold: the docs
         folder and the site are deleted first;
- plain: `mkdocs build --strict` of the very same pages, as if they were hand-written Markdown.

The ratio ours / plain is the overhead of generating the site; target <= 1.2. It is given for wall
time and for CPU time: on a shared machine wall times swing with the other load, CPU times much less.
Also shown: the in-process time of page generation alone, and the size per paper of the search
index (search/search_index.json) and of the explorer's index (explorer.json).

On the 2-core reference machine MkDocs needs 10-20 s per 1000 pages, so 10k papers take several
minutes per build; the default sizes are 1000 and 3000 (pass --sizes 10000 for more).

Run: python benchmarks/bench_site.py [--sizes 1000 3000] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.structure.files import File
from synthetic import write_synthetic_catalog

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.website.build import load_mkdocs_config, write_docs
from ai4radiology.website.pages import SitePages

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.2
OURS = [sys.executable, "-c", "from ai4radiology.cli.website import build; build()"]
PLAIN = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of a command. CPU time hardly depends on what else the machine runs."""
    # NO_MKDOCS_2_WARNING: mkdocs-material prints a banner when started as `mkdocs`; noise here.
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, env=environment)
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def generation_seconds(catalog_dir: Path, checkout: Path) -> float:
    """Rendering and writing the docs folder alone, in this process (no MkDocs build)."""
    catalog = load_catalog(catalog_dir).require_valid()
    docs, site = checkout / "generation-docs", checkout / "generation-site"
    config = load_mkdocs_config(checkout / "mkdocs.yml", docs_dir=docs, site_dir=site)
    started = time.perf_counter()
    pages = SitePages(
        catalog,
        checkout / "templates",
        lambda source: File(source, str(docs), str(site), config.use_directory_urls).url,
    )
    write_docs(docs, pages.files())
    return time.perf_counter() - started


def measure(name: str, catalog_dir: Path, checkout: Path, repeats: int) -> dict:
    shutil.copy(REPO / "mkdocs.yml", checkout / "mkdocs.yml")
    shutil.copytree(REPO / "templates", checkout / "templates")
    ours, plain = [], []
    for _ in range(repeats):  # alternate, so neither side profits from warmer disk caches
        shutil.rmtree(checkout / "build", ignore_errors=True)
        shutil.rmtree(checkout / "site", ignore_errors=True)
        ours.append(timed([*OURS, "--catalog", str(catalog_dir)], checkout))
        plain.append(timed([*PLAIN, "--site-dir", "plain-site"], checkout))
    papers = len(list((catalog_dir / "papers").glob("*.yaml")))
    site = checkout / "site"
    return {
        "name": name,
        "papers": papers,
        "generate": generation_seconds(catalog_dir, checkout),
        "ours": min(wall for wall, _ in ours),
        "plain": min(wall for wall, _ in plain),
        "ours_cpu": min(cpu for _, cpu in ours),
        "plain_cpu": min(cpu for _, cpu in plain),
        "search_kb": (site / "search" / "search_index.json").stat().st_size / 1024 / papers,
        "explorer_kb": (site / "explorer.json").stat().st_size / 1024 / papers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000], help="synthetic catalog sizes")
    parser.add_argument("--repeats", type=int, default=2, help="builds per catalog and side (the fastest counts)")
    args = parser.parse_args()
    print(
        f"{'catalog':>15} {'papers':>6} {'generate':>9} {'ours':>8} {'plain':>8} {'ratio':>6} "
        f"{'ours CPU':>9} {'plain CPU':>9} {'ratio':>6} {'search index':>16} {'explorer.json':>15}"
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        catalogs = [("real", REPO / "catalog")]
        catalogs += [
            (f"synthetic-{size}", write_synthetic_catalog(Path(tmp) / f"catalog-{size}", size)) for size in args.sizes
        ]
        for name, catalog_dir in catalogs:
            checkout = Path(tmp) / f"checkout-{name}"
            checkout.mkdir()
            row = measure(name, catalog_dir, checkout, args.repeats)
            rows.append(row)
            print(
                f"{row['name']:>15} {row['papers']:>6} {row['generate']:>8.2f}s {row['ours']:>7.2f}s "
                f"{row['plain']:>7.2f}s {row['ours'] / row['plain']:>6.2f} {row['ours_cpu']:>8.2f}s "
                f"{row['plain_cpu']:>8.2f}s {row['ours_cpu'] / row['plain_cpu']:>6.2f} "
                f"{row['search_kb']:>7.2f} KB/paper {row['explorer_kb']:>6.2f} KB/paper",
                flush=True,
            )
    print(
        "ours = `ai4radiology build` (validate + generate + mkdocs build); "
        "plain = `mkdocs build` of the same pages as static Markdown; generate = pages alone, in-process"
    )
    for kind, ours, plain in (("wall", "ours", "plain"), ("CPU", "ours_cpu", "plain_cpu")):
        worst = max(r[ours] / r[plain] for r in rows)
        print(
            f"target {kind} ratio <= {TARGET_RATIO}: {'met' if worst <= TARGET_RATIO else 'MISSED'} (worst {worst:.2f})"
        )


if __name__ == "__main__":
    main()
