"""Neo4j -> RDF: `kg export` writes the graph back in the shape `kg extract` writes it.

RDF stays the interchange format in both directions, so an export loads again with `kg load`.
"""

from __future__ import annotations

import neo4j
from rdflib import Dataset, URIRef

from kg.rdf.mapping import add_actor_node, add_document_node, add_statement, new_dataset
from kg.vocabulary import relations


def export_dataset(driver: neo4j.Driver, database: str | None = None) -> Dataset:
    """The graph as RDF: a named graph per document with its triples, evidence, claims and actors."""
    ds = new_dataset()
    vocab = relations()
    records, _, _ = driver.execute_query(
        "MATCH (d:Document) "
        "OPTIONAL MATCH (e)-[:FROM]->(d) WHERE e:Evidence OR e:Claim "
        "RETURN d {.*} AS doc, collect(e {.*, kind: CASE WHEN e:Claim THEN 'claim' ELSE 'evidence' END}) AS items",
        database_=database, routing_=neo4j.RoutingControl.READ,
    )
    actors, _, _ = driver.execute_query(
        "MATCH (a:Actor) RETURN a {.*, labels: labels(a)} AS actor",
        database_=database, routing_=neo4j.RoutingControl.READ,
    )
    actor_by_uri = {r["actor"]["uri"]: r["actor"] for r in actors}
    for record in records:
        doc = record["doc"]
        g = ds.graph(URIRef(doc["uri"]))
        add_document_node(g, doc["uri"], doc.get("title"), doc.get("sha256"), doc.get("source"), doc.get("published"))
        used: set[str] = set()
        for item in record["items"]:
            if item.get("relation") not in vocab:
                continue
            used.update((item["subject"], item["object"]))
            modality = None if item["kind"] == "evidence" else item.get("modality") or "hypothetical"
            add_statement(g, URIRef(item["uri"]), URIRef(item["subject"]), item["relation"], URIRef(item["object"]),
                          doc["uri"], modality, item.get("sentence"), item.get("start"), item.get("end"),
                          item.get("rule"), float(item.get("confidence") or 0), item.get("cue"),
                          URIRef(item["source"]) if item.get("source") else None)
        for uri in sorted(used):
            actor = actor_by_uri.get(uri)
            if actor is None:
                continue
            cls = next((label for label in actor["labels"] if label != "Actor"), None)
            add_actor_node(g, URIRef(uri), cls, actor.get("name") or uri, actor.get("wikidata"),
                           actor.get("aliases") or [])
    return ds
