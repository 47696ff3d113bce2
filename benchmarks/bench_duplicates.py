"""Near-duplicate checks at scale (issue 8, item 8): `validate` and `add --bibtex` when titles share most words.

Targets on the 2-core reference machine: `validate` on 10,000 papers whose titles share 8 of their 10 words
in <= 5 s; `add --bibtex` with 1,000 such entries into a 1,000-paper catalog in <= 10 s. Each is timed as a
whole command in a process of its own, as a user runs it (interpreter start-up and imports included). As a peer measured
in the same run, the all-pairs comparison the checks used before is timed on a sample and scaled to the full
size (it grows with the square of the count).
Run: python benchmarks/bench_duplicates.py [--papers 10000] [--entries 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import _vocabulary, similar_title, write_synthetic_catalog

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.sametext import NEAR_DUPLICATE_TITLE, fingerprint

COMMAND = shutil.which("ai4radiology") or "ai4radiology"

VALIDATE_BOUND, ADD_BOUND = 5.0, 10.0


def seconds_per_pair(titles: list[str], sample: int = 500) -> float:
    """The quadratic peer's unit cost: one pair compared as the checks did before, timed on a sample."""
    keys = [fingerprint(t) for t in titles[:sample]]
    start, pairs = time.perf_counter(), 0
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            matcher = SequenceMatcher(None, a, b, autojunk=False)
            _ = matcher.quick_ratio() >= NEAR_DUPLICATE_TITLE and matcher.ratio() >= NEAR_DUPLICATE_TITLE
            pairs += 1
    return (time.perf_counter() - start) / pairs


def run(command: list[str]) -> tuple[float, str]:
    """Seconds the whole command took, and what it printed; stops the benchmark if it failed."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command[:2])} failed ({done.returncode}): {done.stderr[-500:] or done.stdout[-500:]}"
        )
    return seconds, done.stdout


def bench_validate(papers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_catalog(Path(tmp) / "catalog", papers, similar_titles=True)
        seconds, output = run([COMMAND, "validate", "--catalog", str(root), "--format", "json"])
        problems = json.loads(output)["problems"]
        if any(p["severity"] == "error" for p in problems):
            raise SystemExit(f"synthetic catalog did not validate: {problems[0]}")
        near = sum(p["rule"] == "duplicate-title" for p in problems)
        titles = [p.title for p in load_catalog(root, cross_checks=False).catalog.papers]
        peer = seconds_per_pair(titles) * papers * (papers - 1) / 2
    print(f"validate, {papers} papers sharing 8 of 10 title words: {seconds:.2f} s ({near} near-duplicate warnings)")
    print(f"  all-pairs peer (per-pair time of a sample x pairs): {peer:.1f} s; ratio peer/ours {peer / seconds:.1f}")
    print(f"  target <= {VALIDATE_BOUND:.1f} s: {'met' if seconds <= VALIDATE_BOUND else 'MISSED'}")


def bib_entries(count: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    words = _vocabulary(rng, 5000)
    return "\n".join(
        f"@article{{entry{i},\n  title = {{{similar_title(rng, words)}}},\n  author = {{Doe, Jane and Roe, R.}},\n"
        f"  journal = {{IEEE TMI}},\n  year = {{2024}},\n  doi = {{10.1000/bench.{i}}},\n}}\n"
        for i in range(count)
    )


def bench_add(entries: int, papers: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_catalog(Path(tmp) / "catalog", papers, similar_titles=True)
        bib = Path(tmp) / "new.bib"
        bib.write_text(bib_entries(entries), encoding="utf-8")
        seconds, _ = run([COMMAND, "add", "--catalog", str(root), "--bibtex", str(bib)])
        written = len(list((root / "papers").glob("*.yaml"))) - papers
        titles = [p.title for p in load_catalog(root).catalog.papers]
        peer = seconds_per_pair(titles) * entries * (papers + (entries - 1) / 2)  # each entry against all before
    print(f"add --bibtex, {entries} entries into {papers} papers: {seconds:.2f} s ({written} records written)")
    print(f"  all-pairs peer (per-pair time of a sample x pairs): {peer:.1f} s; ratio peer/ours {peer / seconds:.1f}")
    print(f"  target <= {ADD_BOUND:.1f} s: {'met' if seconds <= ADD_BOUND else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()
    bench_validate(args.papers)
    bench_add(args.entries)


if __name__ == "__main__":
    main()
