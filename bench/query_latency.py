"""Latency of every canned query on a synthetic graph of ~10,000 documents.

Builds the graph with kg.graph.loader.load_documents from synthetic kg.rdf.rows.DocumentRows (random
relations between actors of kg/resources/data/actors.json, popular actors far more often, as in real news;
no spaCy), then runs each query of queries/ N times with its defaults and reports the median and
95th-percentile wall-clock latency (client side, including the round trip) per query.

    export NEO4J_URI=bolt://127.0.0.1:37688   # a server whose data may be replaced
    python bench/query_latency.py --reset            # generate, load, measure
    python bench/query_latency.py --skip-load        # measure again on the loaded graph

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

from kg.graph.cypher import apply_constraints
from kg.graph.db import connect
from kg.graph.loader import load_documents
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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000, help="synthetic documents (default 10000)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--reset", action="store_true", help="delete everything in the database first")
    parser.add_argument("--skip-load", action="store_true", help="measure the graph already loaded")
    parser.add_argument("--target-ms", type=float, default=100.0)
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    # The loader's "relationship type does not exist yet" notifications on an empty graph are noise.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

    settings = load_settings()
    database = settings.database
    with connect(settings) as driver:
        if not args.skip_load:
            existing = count_nodes(driver, database)
            if existing and not args.reset:
                print(f"error: the database at {settings.uri} has {existing} nodes: pass --reset to delete "
                      "them, or --skip-load to measure what is there", file=sys.stderr)
                return 2
            if args.reset:
                wipe(driver, database)
            apply_constraints(driver, database)
            generator = Generator(args.seed)
            started = time.perf_counter()
            summary = load_documents(driver, (generator.document(i) for i in range(args.documents)),
                                     database, batch_size=args.batch_size)
            print(f"loaded {summary.documents_loaded} documents, {summary.evidence} evidence in "
                  f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        size = graph_size(driver, database)
        print("graph: " + ", ".join(f"{v} {k}" for k, v in size.items()))

        results = []
        for query in load_queries().values():
            for _ in range(args.warmup):
                run(driver, query, database=database)
            timings = []
            rows = 0
            for _ in range(args.runs):
                started = time.perf_counter()
                result = run(driver, query, database=database)
                timings.append((time.perf_counter() - started) * 1000)
                rows = len(result)
            results.append({"query": query.name, "median_ms": statistics.median(timings),
                            "p95_ms": percentile(timings, 0.95), "rows": rows})

    print(f"\n| query | median ms | p95 ms | rows | < {args.target_ms:g} ms |")
    print("|---|---:|---:|---:|:---:|")
    for r in results:
        ok = "yes" if r["median_ms"] < args.target_ms else "**no**"
        print(f"| {r['query']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['rows']} | {ok} |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"graph": size, "runs": args.runs, "results": results}, handle, indent=2)
    slow = [r["query"] for r in results if r["median_ms"] >= args.target_ms]
    if slow:
        print(f"\nover {args.target_ms:g} ms: {', '.join(slow)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
