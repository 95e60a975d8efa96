"""RDF rows -> Neo4j: batched, idempotent, with provenance.

Shape (see README): actors are `:Actor:<Class>` nodes; each vocabulary relation is one typed
relationship per ordered pair (one per unordered pair for symmetric relations) carrying aggregates
(stance, confidence, evidenceCount, firstSeen, lastSeen, documents); the sentences behind it are
`:Evidence` nodes linked to their document and both actors. Aggregates are always recomputed from
the evidence, so re-loading, replacing and forgetting a document cannot leave them stale.

The statements themselves are in `kg.graph.cypher`; this module decides what runs in which
transaction. Each batch is one managed transaction, retried by the driver on transient errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import neo4j

from kg.graph import cypher
from kg.rdf.rows import DocumentRows
from kg.report import LoadSummary

T = TypeVar("T")
DELETE_CHUNK = 10_000  # nodes deleted per transaction in chunked deletes
RECOMPUTE_CHUNK = 10_000  # relationships recomputed per transaction in chunked recomputes


def known_hashes(driver: neo4j.Driver, uris: list[str], database: str | None) -> dict[str, str]:
    """The sha256 stored for each of these documents that the graph has."""
    records, _, _ = driver.execute_query(
        "UNWIND $uris AS uri MATCH (d:Document {uri: uri}) RETURN d.uri AS uri, d.sha256 AS sha256",
        uris=uris, database_=database, routing_=neo4j.RoutingControl.READ,
    )
    return {r["uri"]: r["sha256"] for r in records}


def load_batch(tx: neo4j.ManagedTransaction, docs: list[DocumentRows], summary: LoadSummary) -> None:
    """Load a batch of documents in one transaction: unchanged ones skipped, changed ones replaced."""
    changed = cypher.changed_documents(tx, docs)
    fresh = [d for d in docs if d.uri in changed]
    summary.documents_skipped += len(docs) - len(fresh)
    if not fresh:
        return
    touched = cypher.remove_documents(tx, [d.uri for d in fresh])
    for d in fresh:
        while cypher.release_resources(tx, d.uri, DELETE_CHUNK):
            pass
    actors = {uri: a for d in fresh for uri, a in d.actors.items()}
    cypher.write_actors(tx, list(actors.values()))
    cypher.write_documents(tx, fresh)
    evidence, claims = [], []
    for d in fresh:
        evidence.extend({**e, "document": d.uri, "modality": "asserted"} for e in d.evidence)
        claims.extend({**c, "document": d.uri} for c in d.claims)
    if evidence:
        cypher.write_evidence(tx, "Evidence", evidence)
    if claims:
        cypher.write_evidence(tx, "Claim", claims)
    keys = touched + [{"subject": e["subject"], "relation": e["relation"], "object": e["object"]} for e in evidence]
    summary.relations_touched += cypher.recompute(tx, keys)
    summary.resources += cypher.write_resources(tx, fresh)
    summary.agreements += replace_agreements(tx, fresh)
    summary.documents_loaded += len(fresh)
    summary.actors += len(actors)
    summary.evidence += len(evidence)
    summary.claims += len(claims)


def replace_agreements(tx: neo4j.ManagedTransaction, docs: list[DocumentRows]) -> int:
    """Replace what these documents say of agreements (their mentions and events) and recompute every
    agreement they spoke of before or speak of now; the number recomputed. A document without
    agreement rows (`DocumentRows(uri)`) just loses its own, as `kg forget` needs."""
    removed = cypher.remove_agreement_records(tx, [d.uri for d in docs])
    mentions: dict[str, dict] = {}
    for d in docs:
        for m in d.agreements:  # a long document's parts may each describe one agreement
            old = mentions.setdefault(m["uri"], {**m, "document": d.uri})
            old["obligations"] = sorted({*old["obligations"], *m["obligations"]})
            old.update({k: old[k] or m[k] for k in ("name", "kind", "acronym")})
    events = [{**e, "document": d.uri} for d in docs for e in d.agreement_events]
    cypher.write_agreements(tx, list(mentions.values()), events)
    return cypher.recompute_agreements(tx, [*removed, *(m["agreement"] for m in mentions.values()),
                                            *(e["agreement"] for e in events)])


def batches(docs: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_documents(driver: neo4j.Driver, docs: Iterable[DocumentRows], database: str | None = None,
                   batch_size: int = 100) -> LoadSummary:
    """Load documents in batches, one managed (retried) write transaction per batch.

    One batch is written while the next is being prepared (`docs` may be a lazy generator), so
    the server and the Python side work at the same time.
    """
    summary = LoadSummary()
    with driver.session(database=database) as session, ThreadPoolExecutor(1) as writer:
        pending = None
        for batch in batches(docs, batch_size):
            partial = LoadSummary()
            if pending is not None:
                summary.add(pending.result())
            pending = writer.submit(_write_batch, session, batch, partial)
        if pending is not None:
            summary.add(pending.result())
    return summary


def _write_batch(session: neo4j.Session, batch: list[DocumentRows], partial: LoadSummary) -> LoadSummary:
    session.execute_write(_load_into, batch, partial)
    return partial


def _load_into(tx: neo4j.ManagedTransaction, batch: list[DocumentRows], partial: LoadSummary) -> None:
    # A retried transaction starts again from zero, so its counts must too.
    fresh = LoadSummary()
    load_batch(tx, batch, fresh)
    partial.__dict__.update(fresh.__dict__)


def delete_in_chunks(session: neo4j.Session, match: str,
                     guard: Callable[[neo4j.ManagedTransaction], None] | None = None, **params: object) -> None:
    """DETACH DELETE the nodes `match` finds (one of kg.graph.cypher's), DELETE_CHUNK per transaction, for sets
    too large for one; `guard` runs first in each transaction and may raise to stop."""

    def chunk(tx: neo4j.ManagedTransaction) -> int:
        if guard:
            guard(tx)
        return cypher.delete_chunk(tx, match, DELETE_CHUNK, params)

    while session.execute_write(chunk):
        pass


def release_resources(session: neo4j.Session, uri: str,
                      guard: Callable[[neo4j.ManagedTransaction], None] | None = None) -> None:
    """Take a document off its resources (`cypher.release_resources`), DELETE_CHUNK per transaction."""

    def chunk(tx: neo4j.ManagedTransaction) -> int:
        if guard:
            guard(tx)
        return cypher.release_resources(tx, uri, DELETE_CHUNK)

    while session.execute_write(chunk):
        pass


def recompute_in_chunks(session: neo4j.Session, keys: Iterable[dict]) -> int:
    """`recompute` over many keys, RECOMPUTE_CHUNK per transaction; the number recomputed."""
    return sum(session.execute_write(cypher.recompute, chunk) for chunk in batches(keys, RECOMPUTE_CHUNK))


def forget_document(driver: neo4j.Driver, uri: str, database: str | None = None) -> bool:
    """Remove one document, its evidence and claims, and what only it supported or brought.

    A long document has more evidence than one transaction can hold, so it goes in chunks. The
    document loses its sha256 first: if this stops half-way, the next ingest of the text loads it
    whole again, and forgetting it again finishes the job.
    """

    with driver.session(database=database) as session:
        return forget_in_session(session, uri)


def forget_in_session(session: neo4j.Session, uri: str) -> bool:
    """`forget_document` in an open session; False if the graph has no such document."""

    def start(tx: neo4j.ManagedTransaction) -> list[dict] | None:
        return cypher.evidence_keys(tx, [uri]) if cypher.unset_sha256(tx, uri) else None

    touched = session.execute_write(start)
    if touched is None:
        return False
    delete_in_chunks(session, cypher.EVERYTHING_OF, uri=uri)
    release_resources(session, uri)
    recompute_in_chunks(session, touched)
    session.execute_write(replace_agreements, [DocumentRows(uri)])
    session.execute_write(cypher.delete_document, uri)
    return True
