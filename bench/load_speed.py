"""Load throughput against rdflib-neo4j (batched), kg's peak memory, and re-ingest against first ingest.

    KG_HOME=/tmp/kgbench .venv/bin/kg neo4j start --bolt-port 27787 --http-port 27574
    NEO4J_URI=bolt://127.0.0.1:27787 KG_HOME=/tmp/kgbench .venv/bin/python bench/load_speed.py \
        --sizes 100000,1000000

Needs `pip install rdflib-neo4j`. Both loaders read the same generated N-Triples file of kg's own
shape (actors, vocabulary triples, evidence; tests/helpers.py) into the same emptied database on
the same server, in one run. kg runs as `kg load` in a process of its own, so its peak resident
memory is its own; its time is the command's, from after the interpreter has imported kg (rdflib-neo4j
runs in this process, whose imports are done too). Goals: kg >= 3x rdflib-neo4j at every size, and
kg's peak memory at the largest size <= 1.5x that at the smallest. The database is wiped between
runs: point it at a server you can empty.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from helpers import write_synthetic_rdf  # noqa: E402

from kg.engines.local import ingest  # noqa: E402
from kg.graph.db import connect  # noqa: E402
from kg.settings import load_settings  # noqa: E402

WARM_UP = 10_000  # triples of the unshown first round
# `kg load` timed from after its imports, with its peak resident memory, on stderr.
KG_TIMED = (
    "import resource, sys, time\n"
    "from kg.cli import main\n"
    "import kg.engines.local, kg.rdf.stream, pyoxigraph\n"
    "start = time.perf_counter()\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    print(f'kg-seconds {time.perf_counter() - start} peak-rss-kb '\n"
    "          f'{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', file=sys.stderr)\n"
)


def wipe(driver) -> None:
    for statement in ("MATCH ()-[r]->() WITH r LIMIT 50000 DELETE r RETURN count(*) AS n",
                      "MATCH (n) WITH n LIMIT 50000 DETACH DELETE n RETURN count(*) AS n"):
        while driver.execute_query(statement)[0][0]["n"]:
            pass


def load_with_kg(path: Path) -> tuple[float, int]:
    """`kg load` in its own process: seconds and peak resident memory in MB."""
    proc = subprocess.run([sys.executable, "-c", KG_TIMED, "load", str(path)], capture_output=True, text=True,
                          env=os.environ.copy())
    line = next((x for x in proc.stderr.splitlines() if x.startswith("kg-seconds")), None)
    if proc.returncode or line is None:
        raise SystemExit(f"kg load failed ({proc.returncode}): {proc.stderr[-2000:]}")
    _, seconds, _, kb = line.split()
    return float(seconds), int(kb) // 1024


def load_with_rdflib_neo4j(settings, path: Path) -> float:
    from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

    config = Neo4jStoreConfig(
        auth_data={"uri": settings.uri, "database": settings.database or "neo4j", "user": settings.username,
                   "pwd": settings.password},
        handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE, batching=True)
    start = time.perf_counter()
    graph = Graph(store=Neo4jStore(config=config))
    graph.parse(str(path), format="nt")
    graph.close(True)
    return time.perf_counter() - start


def load_benchmark(driver, settings, sizes: list[int], repeat: int) -> None:
    """Each size: the same N-Triples file loaded by kg and by rdflib-neo4j, alternated `repeat` times
    (the median is shown), after one unshown warm-up of both on a small file (the server's query
    plans and JIT)."""
    print("triples    kg load (triples/s)   rdflib-neo4j batched (triples/s)  ratio   kg peak RSS")
    peaks = {}
    with tempfile.TemporaryDirectory() as tmp:
        for round_no, size in enumerate([WARM_UP, *sizes]):
            path = Path(tmp) / f"synthetic-{size}.nt"
            n = write_synthetic_rdf(path, size)
            runs: dict[str, list[float]] = {"kg": [], "rn": []}
            peak = 0
            for _ in range(1 if round_no == 0 else repeat):
                wipe(driver)
                seconds, mb = load_with_kg(path)
                runs["kg"].append(seconds)
                peak = max(peak, mb)
                wipe(driver)
                runs["rn"].append(load_with_rdflib_neo4j(settings, path))
            wipe(driver)
            path.unlink()
            if round_no == 0:
                continue
            t_kg, t_rn = statistics.median(runs["kg"]), statistics.median(runs["rn"])
            peaks[size] = peak
            print(f"{n:8d}  {n / t_kg:9.0f} ({t_kg:6.1f} s)  {n / t_rn:16.0f} ({t_rn:6.1f} s)          "
                  f"{t_rn / t_kg:5.1f}x  {peak:5d} MB", flush=True)
    if len(peaks) > 1:
        small, large = min(peaks), max(peaks)
        print(f"peak RSS at {large} triples / at {small}: {peaks[large] / peaks[small]:.2f}x")


def reingest_benchmark(driver, copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples").glob("*.txt"))]
        for i in range(copies):
            for j, text in enumerate(texts):
                (Path(tmp) / f"doc-{i}-{j}.txt").write_text(f"{text}\n\nEdition {i}.", encoding="utf-8")
        wipe(driver)
        start = time.perf_counter()
        first = ingest(driver, [tmp])
        t_first = time.perf_counter() - start
        start = time.perf_counter()
        again = ingest(driver, [tmp])
        t_again = time.perf_counter() - start
        assert again.unchanged == first.summary.documents_loaded
        wipe(driver)
    docs = first.summary.documents_loaded
    print(f"first ingest of {docs} documents: {t_first:.2f} s; unchanged re-ingest: {t_again:.3f} s; "
          f"{t_first / t_again:.0f}x faster")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each loader at each size (median shown)")
    ap.add_argument("--copies", type=int, default=50, help="copies of the samples for the re-ingest run")
    ap.add_argument("--no-reingest", action="store_true", help="skip the re-ingest run")
    args = ap.parse_args()
    settings = load_settings()
    with connect(settings) as driver:
        load_benchmark(driver, settings, [int(s) for s in args.sizes.split(",")], args.repeat)
        if not args.no_reingest:
            reingest_benchmark(driver, args.copies)


if __name__ == "__main__":
    main()
