"""Latency of every canned query on a synthetic graph of 10,000 documents, and its growth beyond.

Builds the graph from synthetic kg.rdf.rows.DocumentRows (random relations between actors of
kg/resources/data/actors.json, popular actors far more often, as in real news; no spaCy), then runs
each query of queries/ N times with its defaults and reports the median and 95th-percentile
wall-clock latency (client side, including the round trip) per query.

The graph is written with the loader's own statements (kg.graph.cypher: actors, documents, evidence
in batched UNWINDs) but each relationship's aggregates are computed once at the end, not after every
batch as `kg ingest` must (which re-counts a popular pair's evidence each time it is touched). With
`--documents N` above 10,000 the first 10,000 documents are loaded and measured, then the rest, and a
table gives each query's median at both sizes and their ratio (goal <= 3x).

    export NEO4J_URI=bolt://127.0.0.1:37688   # a server whose data may be replaced
    python bench/query_latency.py --reset                      # generate 10,000, load, measure
    python bench/query_latency.py --reset --documents 100000   # 10,000 and 100,000, with ratios
    python bench/query_latency.py --skip-load                  # measure again on the loaded graph

The target is a median under 100 ms for each query. Connection settings come from the environment
like every kg command (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE, KG_HOME).
It refuses to load into a non-empty database unless --reset (which deletes everything) is given.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import statistics
import sys
import time
from datetime import date, timedelta

from kg.graph import cypher
from kg.graph.cypher import apply_constraints
from kg.graph.db import connect
from kg.graph.loader import batches, recompute_in_chunks
from kg.graph.queries import load_queries
from kg.graph.results import run
from kg.nlp.gazetteer import DATA, slug
from kg.rdf.rows import DocumentRows
from kg.settings import load_settings
from kg.vocabulary import ACTOR, DOC, EVIDENCE, relations

# Actors that dominate the news come first (highest weight); the rest follow in random order.
PROMINENT = [
    "Russia", "United States", "China", "Ukraine", "North Korea", "Iran", "Israel", "NATO",
    "European Union", "the West", "South Korea", "Japan", "Turkey", "India", "France", "Germany",
    "United Kingdom", "Hamas", "Houthis", "Taiwan", "Philippines", "Poland", "Belarus", "Syria",
    "Saudi Arabia", "Qatar", "Egypt", "Armenia", "Azerbaijan", "Mali", "Wagner Group", "Hezbollah",
]
# How often each relation is reported (relative weights).
RELATION_WEIGHTS = {
    "supports": 12, "signedAgreement": 10, "militaryAid": 8, "negotiatesWith": 8, "threatens": 8,
    "adversaryOf": 8, "alliedWith": 6, "memberOf": 6, "sanctions": 6, "leaderOf": 6,
    "militaryPresence": 4, "mutualDefense": 3, "atWarWith": 3, "invaded": 1, "occupies": 1,
}
START = date(2019, 1, 1)
DAYS = (date(2025, 12, 31) - START).days


class Generator:
    """Synthetic documents: 2-8 relations each between Zipf-weighted actors."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        actors = json.loads(DATA.read_text(encoding="utf-8"))["actors"]
        self.by_name = {a["name"]: a for a in actors}
        states = [a for a in actors if a["class"] in ("Country", "Organization", "Bloc")]
        rest = [a for a in states if a["name"] not in PROMINENT]
        self.rng.shuffle(rest)
        ranked = [self.by_name[n] for n in PROMINENT if n in self.by_name] + rest
        self.states = ranked
        self.state_weights = [1.0 / (rank + 1) for rank in range(len(ranked))]
        self.countries = [a for a in ranked if a["class"] == "Country"]
        self.country_weights = [1.0 / (rank + 1) for rank in range(len(self.countries))]
        self.orgs = [a for a in ranked if a["class"] == "Organization"]
        self.org_weights = [1.0 / (rank + 1) for rank in range(len(self.orgs))]
        self.regions = [a for a in actors if a["class"] == "Region"]
        self.leaders = [(a, role["of"]) for a in actors if a["class"] == "Person"
                        for role in a.get("roles", []) if role.get("current") and role["of"] in self.by_name]
        self.vocab = relations()
        self.relation_names = list(RELATION_WEIGHTS)
        self.relation_weights = list(RELATION_WEIGHTS.values())

    def _pick(self, pool, weights):
        return self.rng.choices(pool, weights)[0]

    def _pair(self, relation: str) -> tuple[dict, dict]:
        if relation == "leaderOf":
            person, of = self.rng.choice(self.leaders)
            return person, self.by_name[of]
        if relation == "memberOf":
            return self._pick(self.countries, self.country_weights), self._pick(self.orgs, self.org_weights)
        if relation in ("invaded", "occupies"):
            return (self._pick(self.countries, self.country_weights),
                    self._pick(self.countries, self.country_weights))
        if relation == "militaryPresence" and self.rng.random() < 0.3:
            return self._pick(self.countries, self.country_weights), self.rng.choice(self.regions)
        return self._pick(self.states, self.state_weights), self._pick(self.states, self.state_weights)

    @staticmethod
    def _actor_row(actor: dict) -> dict:
        return {"uri": str(ACTOR[slug(actor["name"])]), "name": actor["name"], "cls": actor["class"],
                "wikidata": actor.get("qid"), "aliases": sorted(actor.get("aliases", []))}

    def document(self, index: int) -> DocumentRows:
        published = (START + timedelta(days=self.rng.randrange(DAYS))).isoformat()
        uri = str(DOC[f"bench-{index:05d}"])
        doc = DocumentRows(uri=uri, title=f"Synthetic report {index}", source=f"bench/{index:05d}.txt",
                           published=published, sha256=hashlib.sha256(uri.encode()).hexdigest())
        for j in range(self.rng.randint(2, 8)):
            relation = self.rng.choices(self.relation_names, self.relation_weights)[0]
            subject, obj = self._pair(relation)
            if subject["name"] == obj["name"]:
                continue
            s, o = self._actor_row(subject), self._actor_row(obj)
            doc.actors[s["uri"]] = s
            doc.actors[o["uri"]] = o
            s_uri, o_uri = s["uri"], o["uri"]
            if self.vocab[relation].symmetric and o_uri < s_uri:
                s_uri, o_uri = o_uri, s_uri
            sentence = f"{subject['name']} {relation} {obj['name']} (synthetic sentence {j})."
            doc.evidence.append({
                "uri": str(EVIDENCE[f"bench-{index:05d}-{j}"]), "subject": s_uri, "relation": relation,
                "object": o_uri, "sentence": sentence, "start": 0, "end": len(sentence), "rule": "bench",
                "confidence": round(self.rng.uniform(0.6, 0.95), 2),
            })
        return doc


BASE = 10_000  # the size the latency goal is set for, and the reference of the growth ratios


def count_nodes(driver, database) -> int:
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=database)
    return records[0]["n"]


def wipe(driver, database) -> None:
    while True:
        records, _, _ = driver.execute_query(
            "MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS deleted", database_=database)
        if records[0]["deleted"] == 0:
            return


def graph_size(driver, database) -> dict[str, int]:
    query = ("CALL () { MATCH (d:Document) RETURN count(d) AS documents } "
             "CALL () { MATCH (a:Actor) RETURN count(a) AS actors } "
             "CALL () { MATCH (e:Evidence) RETURN count(e) AS evidence } "
             "CALL () { MATCH (:Actor)-[r]->(:Actor) RETURN count(r) AS relationships } "
             "RETURN documents, actors, evidence, relationships")
    records, _, _ = driver.execute_query(query, database_=database)
    return dict(records[0])


def _write(tx, batch: list[DocumentRows]) -> None:
    actors = {uri: a for d in batch for uri, a in d.actors.items()}
    cypher.write_actors(tx, list(actors.values()))
    cypher.write_documents(tx, batch)
    cypher.write_evidence(tx, "Evidence", [{**e, "document": d.uri, "modality": "asserted"}
                                           for d in batch for e in d.evidence])


def bulk_load(driver, docs, database, batch_size: int) -> tuple[int, int]:
    """Documents and evidence in one transaction per batch, then each touched relationship's aggregates
    once; (documents, evidence) written. The database must not hold these documents yet."""
    keys: set[tuple[str, str, str]] = set()
    documents = evidence = 0
    with driver.session(database=database) as session:
        for batch in batches(docs, batch_size):
            session.execute_write(_write, batch)
            keys.update((e["subject"], e["relation"], e["object"]) for d in batch for e in d.evidence)
            documents += len(batch)
            evidence += sum(len(d.evidence) for d in batch)
        recompute_in_chunks(session, [{"subject": s, "relation": r, "object": o} for s, r, o in sorted(keys)])
    return documents, evidence


def load(driver, database, generator: Generator, first: int, last: int, batch_size: int) -> None:
    started = time.perf_counter()
    documents, evidence = bulk_load(driver, (generator.document(i) for i in range(first, last)), database,
                                    batch_size)
    print(f"loaded {documents} documents, {evidence} evidence in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)


def measure(driver, database, runs: int, warmup: int) -> list[dict]:
    """Median and 95th percentile of each canned query, with its defaults."""
    size = graph_size(driver, database)
    print("graph: " + ", ".join(f"{v} {k}" for k, v in size.items()), file=sys.stderr)
    results = []
    for query in load_queries().values():
        for _ in range(warmup):
            run(driver, query, database=database)
        timings = []
        rows = 0
        for _ in range(runs):
            started = time.perf_counter()
            result = run(driver, query, database=database)
            timings.append((time.perf_counter() - started) * 1000)
            rows = len(result)
        results.append({"query": query.name, "median_ms": statistics.median(timings),
                        "p95_ms": percentile(timings, 0.95), "rows": rows, "graph": size})
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def print_table(results: list[dict], target_ms: float) -> None:
    print(f"\n{results[0]['graph']['documents']} documents\n")
    print(f"| query | median ms | p95 ms | rows | < {target_ms:g} ms |")
    print("|---|---:|---:|---:|:---:|")
    for r in results:
        ok = "yes" if r["median_ms"] < target_ms else "**no**"
        print(f"| {r['query']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['rows']} | {ok} |")


def print_growth(base: list[dict], large: list[dict], max_ratio: float) -> list[str]:
    """The table of medians at both sizes and their ratio; the queries that grew beyond `max_ratio`."""
    n0, n1 = base[0]["graph"]["documents"], large[0]["graph"]["documents"]
    print(f"\n| query | median ms at {n0} | median ms at {n1} | ratio | <= {max_ratio:g}x |")
    print("|---|---:|---:|---:|:---:|")
    grown = []
    for small, big in zip(base, large, strict=True):
        ratio = big["median_ms"] / small["median_ms"]
        if ratio > max_ratio:
            grown.append(small["query"])
        ok = "yes" if ratio <= max_ratio else "**no**"
        print(f"| {small['query']} | {small['median_ms']:.1f} | {big['median_ms']:.1f} | {ratio:.2f} | {ok} |")
    return grown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=BASE,
                        help=f"synthetic documents (default {BASE}); above {BASE}, measured at both sizes")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=1000, help="documents per transaction")
    parser.add_argument("--reset", action="store_true", help="delete everything in the database first")
    parser.add_argument("--skip-load", action="store_true", help="measure the graph already loaded")
    parser.add_argument("--target-ms", type=float, default=100.0, help=f"median goal at {BASE} documents")
    parser.add_argument("--max-ratio", type=float, default=3.0, help="growth goal of each median")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    # The loader's "relationship type does not exist yet" notifications on an empty graph are noise.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

    settings = load_settings()
    database = settings.database
    measured: list[list[dict]] = []
    with connect(settings) as driver:
        if args.skip_load:
            measured.append(measure(driver, database, args.runs, args.warmup))
        else:
            existing = count_nodes(driver, database)
            if existing and not args.reset:
                print(f"error: the database at {settings.uri} has {existing} nodes: pass --reset to delete "
                      "them, or --skip-load to measure what is there", file=sys.stderr)
                return 2
            if args.reset:
                wipe(driver, database)
            apply_constraints(driver, database)
            generator = Generator(args.seed)
            loaded = 0
            for size in sorted({min(BASE, args.documents), args.documents}):
                load(driver, database, generator, loaded, size, args.batch_size)
                loaded = size
                measured.append(measure(driver, database, args.runs, args.warmup))

    for results in measured:
        print_table(results, args.target_ms)
    slow = [r["query"] for r in measured[0] if r["median_ms"] >= args.target_ms]
    grown = print_growth(measured[0], measured[-1], args.max_ratio) if len(measured) > 1 else []
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"runs": args.runs, "sizes": measured}, handle, indent=2)
    if slow:
        print(f"\nover {args.target_ms:g} ms: {', '.join(slow)}", file=sys.stderr)
    if grown:
        print(f"\ngrew more than {args.max_ratio:g}x: {', '.join(grown)}", file=sys.stderr)
    return 1 if slow or grown else 0


if __name__ == "__main__":
    sys.exit(main())
