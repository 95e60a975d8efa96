"""Neo4j -> RDF: `kg export` writes the graph back in the shape `kg extract` writes it.

RDF stays the interchange format in both directions, so an export loads again with `kg load`.
"""

from __future__ import annotations

import neo4j
from rdflib import Dataset, URIRef

from kg.nlp.relations.agreement_words import Agreement, AgreementEvent
from kg.rdf.mapping import (
    add_actor_node,
    add_agreement_event,
    add_agreement_node,
    add_document_node,
    add_statement,
    new_dataset,
)
from kg.vocabulary import KG, agreement_terms, relations


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
    agreements, _, _ = driver.execute_query(
        "MATCH (e)-[:FROM]->(d:Document) WHERE e:AgreementMention OR e:AgreementEvent "
        "RETURN d.uri AS doc, collect(e {.*, event: e:AgreementEvent}) AS items",
        database_=database, routing_=neo4j.RoutingControl.READ,
    )
    agreements_of = {r["doc"]: r["items"] for r in agreements}
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
        used.update(_add_agreements(g, doc["uri"], agreements_of.get(doc["uri"], [])))
        for uri in sorted(used):
            actor = actor_by_uri.get(uri)
            if actor is None:
                continue
            cls = next((label for label in actor["labels"] if label != "Actor"), None)
            add_actor_node(g, URIRef(uri), cls, actor.get("name") or uri, actor.get("wikidata"),
                           actor.get("aliases") or [])
    return ds


def _add_agreements(g, doc_uri: str, items: list[dict]) -> set[str]:
    """A document's agreement mentions and events back as RDF, the labels the loader stored turned back
    into the ontology's terms, with `kg:partyTo` for the parties the document leaves bound; returns the
    parties' IRIs."""
    terms = agreement_terms()
    kinds, obligations, statuses = ({label: KG[local] for local, label in found.items()}
                                    for found in (terms.kinds, terms.obligations, terms.statuses))
    for m in (m for m in items if not m["event"]):
        add_agreement_node(g, URIRef(m["agreement"]), m.get("name") or m["agreement"],
                           kinds.get(m.get("kind"), KG.OtherAgreement),
                           [obligations[o] for o in m.get("obligations") or [] if o in obligations], m.get("acronym"))
    events = sorted((e for e in items if e["event"] and e.get("status") in statuses), key=lambda e: e.get("start") or 0)
    for e in events:
        add_agreement_event(g, URIRef(e["uri"]), URIRef(e["agreement"]), statuses[e["status"]],
                            URIRef(e["party"]) if e.get("party") else None, e.get("date"), doc_uri,
                            e.get("sentence") or "", e.get("start") or 0, e.get("end") or 0, e.get("rule") or "rdf",
                            float(e.get("confidence") or 0))
    binds = {label: terms.binds[local] for local, label in terms.statuses.items() if local in terms.binds}
    for agreement in {e["agreement"] for e in events}:
        told = Agreement(agreement, "", "", "", (), tuple(
            AgreementEvent(e["status"], e.get("party") or "", "", e.get("start") or 0, 0, "", "", 0)
            for e in events if e["agreement"] == agreement))
        for party in told.bound(binds):
            g.add((URIRef(party), KG.partyTo, URIRef(agreement)))
    return {e["party"] for e in events if e.get("party")}
