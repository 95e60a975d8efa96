"""The least time Neo4j needs to hold kg's graph of a generated file: the floor under `kg load`.

    KG_HOME=/tmp/kgbench .venv/bin/kg neo4j start --bolt-port 27787 --http-port 27574
    NEO4J_URI=bolt://127.0.0.1:27787 KG_HOME=/tmp/kgbench .venv/bin/python bench/load_floor.py \
        --sizes 100000,1000000

The same generated N-Triples as `bench/load_speed.py` are mapped to rows first (not timed); then
only the writes are timed, in their cheapest form: evidence nodes created with their three links in
transactions of 20,000, and each relation's relationship created once with aggregates counted in
Python. No staging, no relabelling, no recomputing from evidence, no parsing: `kg load` cannot be
faster than this on the same server, so a throughput goal against another loader is reachable only
if this floor is within it. The database is wiped before each size: point it at a server you can
empty.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from helpers import write_synthetic_rdf  # noqa: E402
from load_speed import wipe  # noqa: E402

from kg.graph import cypher  # noqa: E402
from kg.graph.db import connect  # noqa: E402
from kg.rdf import stream  # noqa: E402
from kg.rdf.files import QuadStream  # noqa: E402
from kg.settings import load_settings  # noqa: E402
from kg.vocabulary import relations  # noqa: E402

BATCH = 20_000
EVIDENCE = (
    "MATCH (d:Document {uri: $uri}) UNWIND $rows AS row MATCH (s:Actor {uri: row.subject}) "
    "MATCH (o:Actor {uri: row.object}) CREATE (e:Evidence) SET e.uri = row.uri, e.subject = row.subject, "
    "e.object = row.object, e.relation = row.relation, e.sentence = row.sentence, e.confidence = row.confidence, "
    "e.modality = 'asserted', e.document = $uri, e.seen = $seen, e.seenKind = 'ingested' "
    f"{cypher.EVIDENCE_LINKS}"
)


def rows_of(path: Path):
    """The file's one document as rows held in memory."""
    stream.SPOOL_ROWS = sys.maxsize
    with tempfile.TemporaryDirectory() as spool:
        quads = QuadStream(str(path))
        (doc,) = stream.file_documents(quads, "urn:floor", Path(spool), title=path.name, source=str(path))
    return doc


def write(driver, doc) -> tuple[float, float]:
    """Seconds to create the evidence, and then the relationships."""
    seen = cypher.now()
    keys = Counter((e["subject"], e["relation"], e["object"]) for e in doc.evidence)
    vocab = relations()
    with driver.session() as session:
        session.execute_write(cypher.write_actors, list(doc.actors.values()))
        session.execute_write(_run, "CREATE (:Document {uri: $uri})", uri=doc.uri)
        start = time.perf_counter()
        for i in range(0, len(doc.evidence), BATCH):
            session.execute_write(_run, EVIDENCE, rows=doc.evidence[i:i + BATCH], uri=doc.uri, seen=seen)
        evidence = time.perf_counter() - start
        by_relation: dict[str, list[dict]] = {}
        for (s, r, o), n in sorted(keys.items()):
            by_relation.setdefault(r, []).append({"s": s, "o": o, "n": n})
        start = time.perf_counter()
        for name, pairs in by_relation.items():
            statement = (f"UNWIND $pairs AS p MATCH (a:Actor {{uri: p.s}}) MATCH (b:Actor {{uri: p.o}}) "
                         f"CREATE (a)-[r:{vocab[name].rel_type}]->(b) SET r.evidenceCount = p.n, "
                         "r.documents = [$uri], r.documentCount = 1, r.firstSeen = $seen, r.lastSeen = $seen")
            for i in range(0, len(pairs), BATCH):
                session.execute_write(_run, statement, pairs=pairs[i:i + BATCH], uri=doc.uri, seen=seen)
        return evidence, time.perf_counter() - start


def _run(tx, statement: str, **params) -> None:
    tx.run(statement, **params).consume()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    args = ap.parse_args()
    print("triples   evidence  relationships  evidence s  relationships s  total s  triples/s at the floor")
    with connect(load_settings()) as driver, tempfile.TemporaryDirectory() as tmp:
        cypher.apply_constraints(driver)
        for round_no, size in enumerate([10_000, *(int(s) for s in args.sizes.split(","))]):
            path = Path(tmp) / f"synthetic-{size}.nt"
            n = write_synthetic_rdf(path, size)
            doc = rows_of(path)
            wipe(driver)
            time.sleep(2)  # let the server settle after the wipe
            evidence, rels = write(driver, doc)
            wipe(driver)
            if round_no:  # the first round warms the server up
                keys = len({(e["subject"], e["relation"], e["object"]) for e in doc.evidence})
                print(f"{n:8d}  {len(doc.evidence):8d}  {keys:13d}  {evidence:10.1f}  {rels:15.1f}  "
                      f"{evidence + rels:7.1f}  {n / (evidence + rels):10.0f}", flush=True)


if __name__ == "__main__":
    main()
