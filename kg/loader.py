"""RDF rows -> Neo4j: batched, idempotent, with provenance.

Shape (see README): actors are `:Actor:<Class>` nodes; each vocabulary relation is one typed
relationship per ordered pair (one per unordered pair for symmetric relations) carrying aggregates
(stance, confidence, evidenceCount, firstSeen, lastSeen, documents); the sentences behind it are
`:Evidence` nodes linked to their document and both actors. Aggregates are always recomputed from
the evidence, so re-loading, replacing and forgetting a document cannot leave them stale.

Relationship types and labels are taken only from the ontology (kg.rdf.vocabulary); every value is a
query parameter. Each batch is one managed transaction, retried by the driver on transient errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import neo4j

from kg.rdf.rows import DocumentRows
from kg.rdf.vocabulary import ACTOR_CLASSES, SCHEMA_DIR, relations

SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
T = TypeVar("T")


@dataclass
class LoadSummary:
    documents_loaded: int = 0
    documents_skipped: int = 0
    actors: int = 0
    evidence: int = 0
    claims: int = 0
    relations_touched: int = 0
    resources: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: LoadSummary) -> None:
        """Add another batch's counts to these."""
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)


def apply_constraints(driver: neo4j.Driver, database: str | None = None) -> int:
    """Run schema/constraints.cypher (every statement is IF NOT EXISTS, so this is idempotent)."""
    text = (SCHEMA_DIR / "constraints.cypher").read_text(encoding="utf-8")
    statements = [s.strip() for s in re.sub(r"//[^\n]*", "", text).split(";") if s.strip()]
    for statement in statements:
        driver.execute_query(statement, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    return len(statements)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def changed_documents(tx: neo4j.ManagedTransaction, docs: list[DocumentRows]) -> set[str]:
    """The documents whose sha256 is not already in the graph.

    Each Document node is merged and write-locked first, then compared: a second process loading
    the same document waits here until the first commits, then sees it unchanged and skips it.
    """
    rows = [{"uri": d.uri, "sha256": d.sha256} for d in docs]
    result = tx.run(
        "UNWIND $rows AS row MERGE (d:Document {uri: row.uri}) SET d.loading = true "
        "RETURN row.uri AS uri, coalesce(d.sha256 = row.sha256, false) AND row.sha256 IS NOT NULL AS same",
        rows=rows,
    )
    return {r["uri"] for r in result if not r["same"]}


def evidence_keys(tx: neo4j.ManagedTransaction, uris: list[str]) -> list[dict]:
    """The (subject, relation, object) keys these documents' evidence supports."""
    return tx.run(
        "UNWIND $uris AS uri MATCH (e:Evidence)-[:FROM]->(:Document {uri: uri}) "
        "RETURN DISTINCT e.subject AS subject, e.relation AS relation, e.object AS object",
        uris=uris,
    ).data()


def _remove_documents(tx: neo4j.ManagedTransaction, uris: list[str]) -> list[dict]:
    """Delete these documents' evidence and claims; return the relation keys they supported."""
    touched = evidence_keys(tx, uris)
    tx.run(
        "UNWIND $uris AS uri MATCH (e)-[:FROM]->(:Document {uri: uri}) WHERE e:Evidence OR e:Claim "
        "DETACH DELETE e",
        uris=uris,
    )
    return touched


def _write_actors(tx: neo4j.ManagedTransaction, actors: list[dict]) -> None:
    for cls in (*ACTOR_CLASSES, None):
        rows = [a for a in actors if a["cls"] == cls]
        if not rows:
            continue
        label = f":{cls}" if cls else ""
        tx.run(
            "UNWIND $rows AS row MERGE (a:Actor {uri: row.uri}) "
            "SET a.name = CASE WHEN row.cls IS NULL AND a.name IS NOT NULL THEN a.name ELSE row.name END, "
            "a.wikidata = coalesce(row.wikidata, a.wikidata), "
            "a.aliases = CASE WHEN size(row.aliases) > 0 THEN row.aliases ELSE coalesce(a.aliases, []) END "
            "SET a.nameLower = toLower(a.name), a.search = [x IN [a.name] + a.aliases | toLower(x)] "
            f"SET a{label}",
            rows=rows,
        )


def _write_documents(tx: neo4j.ManagedTransaction, docs: list[DocumentRows], ingested_at: str) -> None:
    tx.run(
        "UNWIND $rows AS row MERGE (d:Document {uri: row.uri}) "
        "SET d.title = row.title, d.sha256 = row.sha256, d.source = row.source, "
        "d.published = row.published, d.ingestedAt = $at",
        rows=[{"uri": d.uri, "title": d.title, "sha256": d.sha256, "source": d.source,
               "published": d.published} for d in docs],
        at=ingested_at,
    )


def _write_evidence(tx: neo4j.ManagedTransaction, label: str, rows: list[dict]) -> None:
    """Evidence (or claim) nodes and their links; the document's old ones were deleted just before,
    so the links are created, not merged."""
    assert label in ("Evidence", "Claim")
    rows = list({row["uri"]: row for row in rows}.values())
    tx.run(
        f"UNWIND $rows AS row MATCH (d:Document {{uri: row.document}}) "
        "MATCH (s:Actor {uri: row.subject}) MATCH (o:Actor {uri: row.object}) "
        f"MERGE (e:{label} {{uri: row.uri}}) "
        "SET e.subject = row.subject, e.object = row.object, e.relation = row.relation, "
        "e.sentence = row.sentence, e.start = row.start, e.end = row.end, e.rule = row.rule, "
        "e.confidence = row.confidence, e.modality = row.modality, e.document = row.document, "
        "e.seen = coalesce(d.published, d.ingestedAt) "
        "CREATE (e)-[:FROM]->(d), (e)-[:SUBJECT]->(s), (e)-[:OBJECT]->(o)",
        rows=rows,
    )


def recompute(tx: neo4j.ManagedTransaction, keys: Iterable[dict]) -> int:
    """Rebuild the relationship of each (subject, relation, object) from its evidence, or delete it."""
    by_relation: dict[str, list[dict]] = {}
    for key in keys:
        by_relation.setdefault(key["relation"], []).append({"s": key["subject"], "o": key["object"]})
    vocab = relations()
    count = 0
    for name, pairs in by_relation.items():
        rel = vocab[name]
        unique = [dict(t) for t in {tuple(sorted(p.items())) for p in pairs}]
        # The relationship is merged (and so locked) before its evidence is counted: a concurrent
        # loader of the same pair waits, then counts this transaction's evidence too.
        tx.run(
            "UNWIND $pairs AS p MATCH (a:Actor {uri: p.s}) MATCH (b:Actor {uri: p.o}) "
            f"MERGE (a)-[r:{rel.rel_type}]->(b) SET r.stance = $stance "
            "WITH r, p OPTIONAL MATCH (e:Evidence {subject: p.s, object: p.o, relation: $name}) "
            "WITH r, count(e) AS n, max(e.confidence) AS confidence, collect(DISTINCT e.document) AS docs, "
            "min(e.seen) AS first, max(e.seen) AS last "
            "FOREACH (_ IN CASE WHEN n = 0 THEN [1] ELSE [] END | DELETE r) "
            "FOREACH (_ IN CASE WHEN n > 0 THEN [1] ELSE [] END | "
            "SET r.symmetric = $symmetric, r.confidence = confidence, r.evidenceCount = n, "
            "r.documents = docs, r.firstSeen = first, r.lastSeen = last)",
            pairs=unique, name=name, stance=rel.stance, symmetric=rel.symmetric,
        )
        count += len(unique)
    return count


def _write_resources(tx: neo4j.ManagedTransaction, docs: list[DocumentRows]) -> int:
    """Third-party RDF, n10s style: `:Resource` nodes, type labels, literal properties, IRI links."""
    resources = {uri: res for d in docs for uri, res in d.resources.items()}
    if not resources:
        return 0
    tx.run(
        "UNWIND $rows AS row MERGE (r:Resource {uri: row.uri}) SET r += row.props",
        rows=[{"uri": r["uri"], "props": r["props"]} for r in resources.values()],
    )
    by_label: dict[str, list[str]] = {}
    for res in resources.values():
        for label in res["labels"]:
            if SAFE_NAME.match(label):
                by_label.setdefault(label, []).append(res["uri"])
    for label, uris in by_label.items():
        tx.run(f"UNWIND $uris AS uri MATCH (r:Resource {{uri: uri}}) SET r:`{label}`", uris=uris)
    by_type: dict[str, list[dict]] = {}
    for d in docs:
        for link in d.links:
            if SAFE_NAME.match(link["type"]):
                by_type.setdefault(link["type"], []).append(link)
    for rel_type, links in by_type.items():
        tx.run(
            "UNWIND $rows AS row MATCH (a:Resource {uri: row.from}) MATCH (b:Resource {uri: row.to}) "
            f"MERGE (a)-[:`{rel_type}`]->(b)",
            rows=links,
        )
    return len(resources)


def load_batch(tx: neo4j.ManagedTransaction, docs: list[DocumentRows], summary: LoadSummary) -> None:
    """Load a batch of documents in one transaction: unchanged ones skipped, changed ones replaced."""
    changed = changed_documents(tx, docs)
    tx.run("UNWIND $uris AS uri MATCH (d:Document {uri: uri}) REMOVE d.loading", uris=[d.uri for d in docs])
    fresh = [d for d in docs if d.uri in changed]
    summary.documents_skipped += len(docs) - len(fresh)
    if not fresh:
        return
    touched = _remove_documents(tx, [d.uri for d in fresh])
    actors = {uri: a for d in fresh for uri, a in d.actors.items()}
    _write_actors(tx, list(actors.values()))
    _write_documents(tx, fresh, _now())
    evidence, claims = [], []
    for d in fresh:
        evidence.extend({**e, "document": d.uri, "modality": "asserted"} for e in d.evidence)
        claims.extend({**c, "document": d.uri} for c in d.claims)
    if evidence:
        _write_evidence(tx, "Evidence", evidence)
    if claims:
        _write_evidence(tx, "Claim", claims)
    keys = touched + [{"subject": e["subject"], "relation": e["relation"], "object": e["object"]} for e in evidence]
    summary.relations_touched += recompute(tx, keys)
    summary.resources += _write_resources(tx, fresh)
    summary.documents_loaded += len(fresh)
    summary.actors += len(actors)
    summary.evidence += len(evidence)
    summary.claims += len(claims)


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


DELETE_CHUNK = 10_000  # nodes deleted per transaction in chunked deletes
RECOMPUTE_CHUNK = 2_000  # relationships recomputed per transaction in chunked recomputes


def delete_in_chunks(session: neo4j.Session, match: str,
                     guard: Callable[[neo4j.ManagedTransaction], None] | None = None, **params: object) -> None:
    """DETACH DELETE the nodes `match` finds (it binds `e`), DELETE_CHUNK per transaction, for sets
    too large for one; `guard` runs first in each transaction and may raise to stop."""

    def chunk(tx: neo4j.ManagedTransaction) -> int:
        if guard:
            guard(tx)
        return tx.run(f"{match} WITH e LIMIT $limit DETACH DELETE e RETURN count(*) AS n",
                      params, limit=DELETE_CHUNK).single()["n"]

    while session.execute_write(chunk):
        pass


def recompute_in_chunks(session: neo4j.Session, keys: list[dict]) -> int:
    """`recompute` over many keys, RECOMPUTE_CHUNK per transaction; the number recomputed."""
    return sum(session.execute_write(recompute, keys[i:i + RECOMPUTE_CHUNK])
               for i in range(0, len(keys), RECOMPUTE_CHUNK))


def forget_document(driver: neo4j.Driver, uri: str, database: str | None = None) -> bool:
    """Remove one document, its evidence and claims, and what only it supported.

    A long document has more evidence than one transaction can hold, so it goes in chunks. The
    document loses its sha256 first: if this stops half-way, the next ingest of the text loads it
    whole again, and forgetting it again finishes the job.
    """

    def start(tx: neo4j.ManagedTransaction) -> list[dict] | None:
        found = tx.run("MATCH (d:Document {uri: $uri}) SET d.sha256 = null RETURN count(d) AS n", uri=uri).single()
        return evidence_keys(tx, [uri]) if found["n"] else None

    def finish(tx: neo4j.ManagedTransaction) -> None:
        tx.run("MATCH (d:Document {uri: $uri}) DETACH DELETE d", uri=uri)
        tx.run("MATCH (a:Actor) WHERE NOT (a)--() DELETE a")

    with driver.session(database=database) as session:
        touched = session.execute_write(start)
        if touched is None:
            return False
        delete_in_chunks(session, "MATCH (e)-[:FROM]->(:Document {uri: $uri}) WHERE e:Evidence OR e:Claim OR e:Staged",
                         uri=uri)
        recompute_in_chunks(session, touched)
        session.execute_write(finish)
    return True


def constraints_file() -> Path:
    return SCHEMA_DIR / "constraints.cypher"
