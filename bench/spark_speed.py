"""Ingest throughput: `kg ingest --engine spark` with local[1] and local[2] against single-process `kg ingest`.

    KG_HOME=/tmp/kgbench .venv/bin/kg neo4j start --bolt-port 27687 --http-port 27474
    NEO4J_URI=bolt://127.0.0.1:27687 KG_HOME=/tmp/kgbench .venv/bin/python bench/spark_speed.py [--copies 500]

Needs `pip install -e '.[spark]'`. The corpus is our sample articles (samples/*.txt), each repeated
with an edition number appended (so every copy is a distinct document with its own sha256):
4 samples x 500 copies = 2,000 documents by default. Every run starts from an emptied database on
the same server: point it at a server you can empty. Spark's times include reading and hashing the
corpus, the skip-unchanged join, extraction, the connector's node writes and the loader, but not the
JVM start (shown apart). The machine's cores are shared with the Neo4j server.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from kg.engines.local import ingest
from kg.engines.spark import spark_ingest
from kg.engines.spark_session import spark_session, stop_spark
from kg.graph.db import connect
from kg.settings import load_settings

REPO = Path(__file__).resolve().parents[1]


def make_corpus(root: Path, copies: int) -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples").glob("*.txt"))]
    for i in range(copies):
        for j, text in enumerate(texts):
            (root / f"doc-{i:04d}-{j}.txt").write_text(f"{text}\n\nEdition {i}.", encoding="utf-8")
    return copies * len(texts)


def wipe(driver) -> None:
    while driver.execute_query("MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n")[0][0]["n"]:
        pass


def graph_counts(driver) -> tuple[int, int, int]:
    records, _, _ = driver.execute_query(
        "CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS rels } "
        "CALL { MATCH (e:Evidence) RETURN count(e) AS evidence } RETURN nodes, rels, evidence")
    return records[0]["nodes"], records[0]["rels"], records[0]["evidence"]


def run_local(driver, corpus: Path, workers: int) -> dict:
    wipe(driver)
    start = time.perf_counter()
    report = ingest(driver, [str(corpus)], workers=workers)
    seconds = time.perf_counter() - start
    assert not report.failures, report.failures[:3]
    return {"engine": f"kg ingest --workers {workers}", "seconds": seconds,
            "documents": report.summary.documents_loaded, "graph": graph_counts(driver)}


def run_spark(driver, settings, corpus: Path, master: str) -> dict:
    wipe(driver)
    start = time.perf_counter()
    spark = spark_session(master)
    startup = time.perf_counter() - start
    timings: dict[str, float] = {}
    try:
        start = time.perf_counter()
        report = spark_ingest([str(corpus)], settings=settings, spark=spark, timings=timings)
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        again = spark_ingest([str(corpus)], settings=settings, spark=spark)
        rerun = time.perf_counter() - start
    finally:
        stop_spark(spark)
    assert not report.failures, report.failures[:3]
    assert again.unchanged == report.summary.documents_loaded
    return {"engine": f"spark {master}", "seconds": seconds, "documents": report.summary.documents_loaded,
            "graph": graph_counts(driver), "startup": startup, "phases": timings, "rerun": rerun}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=500, help="copies of each sample article (4 samples)")
    ap.add_argument("--masters", default="local[1],local[2]")
    ap.add_argument("--local-workers", default="1", help="--workers values for the single-machine runs")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()
    settings = load_settings()
    results = []
    with tempfile.TemporaryDirectory() as tmp, connect(settings) as driver:
        corpus = Path(tmp)
        n = make_corpus(corpus, args.copies)
        print(f"corpus: {n} documents, {sum(p.stat().st_size for p in corpus.iterdir()) / 1e6:.1f} MB")
        for workers in (int(w) for w in args.local_workers.split(",")):
            results.append(run_local(driver, corpus, workers))
            print(_line(results[-1]), flush=True)
        for master in args.masters.split(","):
            results.append(run_spark(driver, settings, corpus, master))
            print(_line(results[-1]), flush=True)
        wipe(driver)
    graphs = {r["graph"] for r in results}
    print("same node/relationship/evidence counts in every run:", len(graphs) == 1, sorted(graphs))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


def _line(r: dict) -> str:
    text = f"{r['engine']:<24} {r['documents'] / r['seconds']:6.1f} docs/s  ({r['documents']} in {r['seconds']:.1f} s)"
    if "phases" in r:
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in r["phases"].items())
        text += f"  [JVM start {r['startup']:.1f} s; {phases}; unchanged re-run {r['rerun']:.1f} s]"
    return text


if __name__ == "__main__":
    main()
