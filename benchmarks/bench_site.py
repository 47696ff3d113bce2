"""Site build time for the real catalog and synthetic ones, and what our generation step costs.

Both sides run as fresh processes, as a user runs them, in a scratch checkout
(mkdocs.yml and templates/ copied from the repository):

- ours:  `ai4radiology build` (validate, generate the pages, mkdocs build --strict, then the Pagefind
         search index), cold: the docs folder and the site are deleted first;
- plain: `mkdocs build --strict` of the very same pages, as if they were hand-written Markdown;
- pagefind: the Pagefind step alone, run on plain's site (the same HTML): its time and peak memory.

The ratio (ours - pagefind) / plain is the overhead of generating the site; target <= 1.2. Pagefind is
shown apart: any static site needs some search index (MkDocs' own lunr plugin, which this replaces,
runs inside `mkdocs build`), and the total ours / plain is printed too. Ratios are given for wall time
and for CPU time: on a shared machine wall times swing with the other load, CPU times much less.
Also shown: the in-process time of page generation alone, peak memory (max RSS) of each side, and
the size per paper of the search index (pagefind/, on disk) and of the explorer's index (explorer.json).

On the 2-core reference machine MkDocs needs 10-20 s per 1000 pages, so 10k papers take several
minutes per build; the default sizes are 1000 and 3000 (pass --sizes 10000 for more).

Run: python benchmarks/bench_site.py [--sizes 1000 3000] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
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
from ai4radiology.website.search import INDEX_DIR, pagefind_command

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.2
OURS = [sys.executable, "-c", "from ai4radiology.cli.website import build; build()"]
PLAIN = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]


def timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak memory in MB) of a command. CPU time hardly depends on what else
    the machine runs."""
    # NO_MKDOCS_2_WARNING: mkdocs-material prints a banner when started as `mkdocs`; noise here.
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, env=environment)
    _, status, usage = os.wait4(process.pid, 0)  # this child's own usage, not the sum over all children
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


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
    ours, plain, pagefind = [], [], []
    for _ in range(repeats):  # alternate, so neither side profits from warmer disk caches
        shutil.rmtree(checkout / "build", ignore_errors=True)
        shutil.rmtree(checkout / "site", ignore_errors=True)
        shutil.rmtree(checkout / "plain-site", ignore_errors=True)
        ours.append(timed([*OURS, "--catalog", str(catalog_dir)], checkout))
        plain.append(timed([*PLAIN, "--site-dir", "plain-site"], checkout))
        pagefind.append(timed(pagefind_command(checkout / "plain-site"), checkout))
    papers = len(list((catalog_dir / "papers").glob("*.yaml")))
    site = checkout / "site"
    index_bytes = sum(f.stat().st_size for f in (site / INDEX_DIR).rglob("*") if f.is_file())
    return {
        "name": name,
        "papers": papers,
        "generate": generation_seconds(catalog_dir, checkout),
        **{side: min(wall for wall, _, _ in runs) for side, runs in (("ours", ours), ("plain", plain))},
        **{f"{side}_cpu": min(cpu for _, cpu, _ in runs) for side, runs in (("ours", ours), ("plain", plain))},
        "pagefind": min(wall for wall, _, _ in pagefind),
        "pagefind_cpu": min(cpu for _, cpu, _ in pagefind),
        **{f"{side}_mb": max(mb for _, _, mb in runs) for side, runs in (("ours", ours), ("plain", plain))},
        "pagefind_mb": max(mb for _, _, mb in pagefind),
        "search_kb": index_bytes / 1024 / papers,
        "explorer_kb": (site / "explorer.json").stat().st_size / 1024 / papers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000], help="synthetic catalog sizes")
    parser.add_argument("--repeats", type=int, default=2, help="builds per catalog and side (the fastest counts)")
    args = parser.parse_args()
    print(
        f"{'catalog':>15} {'papers':>6} {'generate':>9} {'ours':>8} {'plain':>8} {'pagefind':>9} {'ratio':>6} "
        f"{'total':>6} {'ours CPU':>9} {'plain CPU':>9} {'pf CPU':>7} {'ratio':>6} "
        f"{'ours RSS':>9} {'plain RSS':>9} {'pf RSS':>8} {'search index':>16} {'explorer.json':>15}"
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
                f"{row['plain']:>7.2f}s {row['pagefind']:>8.2f}s {ratio(row, 'ours', 'plain', 'pagefind'):>6.2f} "
                f"{row['ours'] / row['plain']:>6.2f} {row['ours_cpu']:>8.2f}s {row['plain_cpu']:>8.2f}s "
                f"{row['pagefind_cpu']:>6.2f}s {ratio(row, 'ours_cpu', 'plain_cpu', 'pagefind_cpu'):>6.2f} "
                f"{row['ours_mb']:>6.0f} MB {row['plain_mb']:>6.0f} MB {row['pagefind_mb']:>5.0f} MB "
                f"{row['search_kb']:>7.2f} KB/paper {row['explorer_kb']:>6.2f} KB/paper",
                flush=True,
            )
    print(
        "ours = `ai4radiology build` (validate + generate + mkdocs build + Pagefind); plain = `mkdocs build` of the "
        "same pages as static Markdown; pagefind = the search index alone; ratio = (ours - pagefind) / plain; "
        "total = ours / plain; RSS = peak memory (ours: of the build or its Pagefind child, whichever is higher); "
        "generate = pages alone, in-process"
    )
    for kind, ours, plain, pagefind in (
        ("wall", "ours", "plain", "pagefind"),
        ("CPU", "ours_cpu", "plain_cpu", "pagefind_cpu"),
    ):
        worst = max(ratio(r, ours, plain, pagefind) for r in rows)
        print(
            f"target {kind} ratio <= {TARGET_RATIO}: {'met' if worst <= TARGET_RATIO else 'MISSED'} (worst {worst:.2f})"
        )


def ratio(row: dict, ours: str, plain: str, pagefind: str) -> float:
    """Our build without its search-index step, against plain MkDocs."""
    return (row[ours] - row[pagefind]) / row[plain]


if __name__ == "__main__":
    main()
