"""Memory and time of one large text against a 1 MB baseline, run side by side.

    .venv/bin/python bench/large_input.py [--mb 50] [--ingest]

Each run is `kg extract` (or with --ingest, `kg ingest` into the Neo4j that NEO4J_* name) in its own
process, with the same news-like text generator for both sizes. Goals: peak memory of the large run
within 1.2x the baseline's (memory does not grow with the text), and time per MB within 1.2x (no
step is worse than linear). A full 50 MB run takes about 25 minutes on two cores.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from helpers import write_long_text  # noqa: E402


def measured(args: list[str]) -> tuple[float, int]:
    """Run kg; return its wall time in seconds and its peak resident memory in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "kg"), *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"kg {' '.join(args)} failed with exit code {proc.returncode}")
    return time.perf_counter() - start, usage.ru_maxrss // 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50, help="size of the large text in MB (default 50)")
    ap.add_argument("--ingest", action="store_true", help="measure `kg ingest` instead of `kg extract`")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        rows = []
        for name, chars in (("baseline", 1_000_000), ("large", int(args.mb * 1_000_000))):
            path = Path(tmp) / f"{name}.txt"
            size = write_long_text(path, chars) / 1e6
            command = ["ingest", str(path)] if args.ingest else ["extract", str(path), "-o", str(Path(tmp) / "out.nq")]
            seconds, peak = measured(command)
            rows.append((name, size, seconds, peak))
            print(f"{name:9} {size:6.1f} MB  {seconds:8.1f} s  {seconds / size:6.1f} s/MB  peak {peak:5d} MB",
                  flush=True)
    (_, base_size, base_s, base_peak), (_, size, seconds, peak) = rows
    print(f"ratios (large / baseline): peak memory {peak / base_peak:.2f}x (goal <= 1.2x), "
          f"time per MB {(seconds / size) / (base_s / base_size):.2f}x (goal <= 1.2x)")


if __name__ == "__main__":
    main()
