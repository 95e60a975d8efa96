"""Load throughput against rdflib-neo4j (batched), and re-ingest against first ingest, side by side.

    KG_HOME=/tmp/kgbench .venv/bin/kg neo4j start --bolt-port 27687 --http-port 27474
    NEO4J_URI=bolt://127.0.0.1:27687 KG_HOME=/tmp/kgbench .venv/bin/python bench/load_speed.py

Needs `pip install rdflib-neo4j`. Both loaders read the same generated TriG/N-Quads file of kg's
own shape (actors, vocabulary triples, evidence) into the same emptied database on the same server.
The database is wiped between runs: point it at a server you can empty.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Literal, URIRef

from kg.engines.local import ingest, load_files
from kg.graph.db import connect
from kg.nlp.gazetteer import default_gazetteer
from kg.rdf.mapping import actor_iri, add_actor, new_dataset
from kg.settings import load_settings
from kg.vocabulary import DOC, EVIDENCE, KG, PROV, relations

REPO = Path(__file__).resolve().parents[1]
REPEAT = 3


def synthetic(triples: int, seed: int = 7) -> Dataset:
    """About `triples` triples of kg's RDF shape: 40 claims a document, random actors and relations."""
    rng = random.Random(seed)
    actors = [a for a in default_gazetteer().actors.values() if a.cls in ("Country", "Organization")]
    names = list(relations())
    ds = new_dataset()
    count, doc_no = 0, 0
    while count < triples:
        doc = URIRef(DOC[f"synthetic-{doc_no}"])
        g = ds.graph(doc)
        g.add((doc, KG.sha256, Literal(f"{doc_no:064d}")))
        for i in range(40):
            s, o = rng.sample(actors, 2)
            p = KG[rng.choice(names)]
            ev = EVIDENCE[f"{doc_no}-{i}"]
            add_actor(g, s)
            add_actor(g, o)
            g.add((actor_iri(s.key), p, actor_iri(o.key)))
            g.add((ev, RDF.type, KG.Evidence))
            g.add((ev, KG.subject, actor_iri(s.key)))
            g.add((ev, KG.predicate, p))
            g.add((ev, KG.object, actor_iri(o.key)))
            g.add((ev, PROV.wasDerivedFrom, doc))
            g.add((ev, KG.sentence, Literal(f"{s.name} and {o.name}, sentence {i} of document {doc_no}.")))
            g.add((ev, KG.confidence, Literal(Decimal("0.8"))))
        count = len(ds)
        doc_no += 1
    return ds


def wipe(driver) -> None:
    while driver.execute_query("MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n")[0][0]["n"]:
        pass


def load_with_kg(driver, path: Path) -> float:
    start = time.perf_counter()
    report = load_files(driver, [str(path)])
    assert not report.failures, report.failures
    return time.perf_counter() - start


def load_with_rdflib_neo4j(settings, path: Path) -> float:
    from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

    config = Neo4jStoreConfig(
        auth_data={"uri": settings.uri, "database": settings.database or "neo4j", "user": settings.username,
                   "pwd": settings.password},
        handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE, batching=True)
    start = time.perf_counter()
    graph = Graph(store=Neo4jStore(config=config))
    graph.parse(str(path), format="nt")  # its store holds no named graphs: the same triples, flattened
    graph.close(True)
    return time.perf_counter() - start


def load_benchmark(driver, settings, sizes: list[int]) -> None:
    """Both loaders read the same N-Triples file (rdflib-neo4j's store holds no named graphs); kg's
    load of the N-Quads original, one graph per document, is shown beside it."""
    print("triples  kg load .nt (triples/s)  rdflib-neo4j batched .nt (triples/s)  ratio   kg load .nq")
    for round_no, size in enumerate([sizes[0], *sizes]):
        warm_up = round_no == 0  # warms both loaders' query plans on the server; not shown
        ds = synthetic(size)
        flat = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            flat.add((s, p, o))
        with tempfile.TemporaryDirectory() as tmp:
            quads, triples = Path(tmp) / "synthetic.nq", Path(tmp) / "synthetic.nt"
            ds.serialize(quads, format="nquads")
            flat.serialize(triples, format="nt", encoding="utf-8")
            runs: dict[str, list[float]] = {"kg": [], "rn": [], "nq": []}
            for _ in range(REPEAT):  # alternated, median taken: the server's plan cache and JIT warm alike
                for key, load, path in (("kg", load_with_kg, triples), ("rn", load_with_rdflib_neo4j, triples),
                                        ("nq", load_with_kg, quads)):
                    wipe(driver)
                    runs[key].append(load(settings if load is load_with_rdflib_neo4j else driver, path))
            wipe(driver)
            t_kg, t_rn, t_nq = (statistics.median(runs[k]) for k in ("kg", "rn", "nq"))
        n = len(flat)
        if warm_up:
            continue
        print(f"{n:7d}  {n / t_kg:13.0f} ({t_kg:5.1f} s)  {n / t_rn:22.0f} ({t_rn:5.1f} s)  {t_rn / t_kg:5.1f}x"
              f"   {t_nq:5.1f} s for {sum(1 for _ in ds.quads((None, None, None, None)))} quads")


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
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--copies", type=int, default=50, help="copies of the samples for the re-ingest run")
    args = ap.parse_args()
    settings = load_settings()
    with connect(settings) as driver:
        load_benchmark(driver, settings, [int(s) for s in args.sizes.split(",")])
        reingest_benchmark(driver, args.copies)


if __name__ == "__main__":
    main()
