"""Validator speed on synthetic catalogs: time per record and how it grows.

Target: <= 0.5 ms per record on the 2-core reference machine (10k papers in <= 5 s), linear growth.
Each size is timed as the whole command a user runs (`ai4radiology validate`, start-up included), the
median of three runs.
Run: python benchmarks/bench_validate.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_synthetic_catalog

COMMAND = shutil.which("ai4radiology") or "ai4radiology"


def measure(papers: int, repeats: int = 3) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_catalog(Path(tmp) / "catalog", papers)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            done = subprocess.run(
                [COMMAND, "validate", "--catalog", str(root), "--format", "json"],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            times.append(time.perf_counter() - start)
        report = json.loads(done.stdout)
        if done.returncode != 0 or report["errors"]:
            raise SystemExit(f"synthetic catalog did not validate: {report['problems'][:1]}")
        return statistics.median(times), report["files_checked"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        seconds, files = measure(size)
        rows.append((size, files, seconds, seconds / files * 1000))
        print(f"{size:>6} papers ({files} files): {seconds:6.2f} s  {seconds / files * 1000:.3f} ms/record")
    if len(rows) > 1:
        (small, *_), (large, *_) = rows[0], rows[-1]
        growth = rows[-1][3] / rows[0][3]
        print(f"per-record time ratio {large}/{small} papers: {growth:.2f} (1.0 = perfectly linear)")
    size, _, _, per_record = rows[-1]  # start-up weighs on small catalogs; the target is about large ones
    print(f"target <= 0.500 ms/record at {size} papers: {'met' if per_record <= 0.5 else 'MISSED'} ({per_record:.3f})")


if __name__ == "__main__":
    main()
