"""Every statement kg writes to Neo4j, in one place, each a function of an open transaction.

The loader (`kg.graph.loader`), the staged load of long documents (`kg.graph.staged`) and the
Spark engine's connector writes all go through here, so the shape of the graph (see README) is
defined once: an actor is merged one way, evidence carries one set of properties.

Relationship types and labels come only from the ontology (`kg.vocabulary`) or pass SAFE_NAME;
every value is a query parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

import neo4j

from kg.rdf.rows import DocumentRows
from kg.resources import schema_dir
from kg.vocabulary import ACTOR_CLASSES, agreement_terms, relations

SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# An actor from `row` (uri, name, cls, wikidata, aliases): a row without a class (third-party RDF)
# keeps the name a classed one gave; labels are set by the caller, from the ontology's classes only.
ACTOR_MERGE = (
    "MERGE (a:Actor {uri: row.uri}) "
    "SET a.name = CASE WHEN row.cls IS NULL AND a.name IS NOT NULL THEN a.name ELSE row.name END, "
    "a.wikidata = coalesce(row.wikidata, a.wikidata), "
    "a.aliases = CASE WHEN size(row.aliases) > 0 THEN row.aliases ELSE coalesce(a.aliases, []) END "
    "SET a.nameLower = toLower(a.name), a.search = [x IN [a.name] + a.aliases | toLower(x)] "
)
# What an Evidence, Claim or Staged node `e` takes from its `row`, and its links to the document
# `d` and the actors `s` and `o` (created, not merged: the document's old ones were deleted before).
EVIDENCE_SET = (
    "e.subject = row.subject, e.object = row.object, e.relation = row.relation, "
    "e.sentence = row.sentence, e.start = row.start, e.end = row.end, e.rule = row.rule, "
    "e.confidence = row.confidence, e.modality = row.modality, e.cue = row.cue, e.source = row.source "
)
EVIDENCE_LINKS = "CREATE (e)-[:FROM]->(d), (e)-[:SUBJECT]->(s), (e)-[:OBJECT]->(o)"
# When evidence `e` of document `d` was seen: published, else ingested, and which of the two it is.
EVIDENCE_SEEN = ("e.seen = coalesce(d.published, d.ingestedAt), e.seenKind = CASE WHEN d.published IS NOT NULL "
                 "THEN 'published' WHEN d.ingestedAt IS NOT NULL THEN 'ingested' END ")


def seen_kind(date: str) -> str:
    """Which date (published or ingested) `date`, one of a relationship's evidence dates, is: read
    from `seen`, the distinct [seen, seenKind] pairs of its evidence."""
    return (f"CASE WHEN [{date}, 'published'] IN seen THEN 'published' "
            f"WHEN [{date}, 'ingested'] IN seen THEN 'ingested' END")


LOCK = "SET d.loadingLock = true REMOVE d.loadingLock"  # a write, so the document's lock is taken
# (uri, sha256) of the documents loaded completely (a document gets its sha256 last).
KNOWN_DOCUMENTS = "MATCH (d:Document) WHERE d.sha256 IS NOT NULL RETURN d.uri AS uri, d.sha256 AS sha256"


def now() -> str:
    """The time a document is ingested at, to the second, in UTC."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def apply_constraints(driver: neo4j.Driver, database: str | None = None) -> int:
    """Run schema/constraints.cypher (every statement is IF NOT EXISTS, so this is idempotent)."""
    text = (schema_dir() / "constraints.cypher").read_text(encoding="utf-8")
    statements = [s.strip() for s in re.sub(r"//[^\n]*", "", text).split(";") if s.strip()]
    for statement in statements:
        driver.execute_query(statement, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    return len(statements)


# --------------------------------------------------------------------------------------------------
# Documents, actors, evidence and relationships
# --------------------------------------------------------------------------------------------------


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
    changed = {r["uri"] for r in result if not r["same"]}
    tx.run("UNWIND $uris AS uri MATCH (d:Document {uri: uri}) REMOVE d.loading", uris=[d.uri for d in docs])
    return changed


def evidence_keys(tx: neo4j.ManagedTransaction, uris: list[str]) -> list[dict]:
    """The (subject, relation, object) keys these documents' evidence supports."""
    return tx.run(
        "UNWIND $uris AS uri MATCH (e:Evidence)-[:FROM]->(:Document {uri: uri}) "
        "RETURN DISTINCT e.subject AS subject, e.relation AS relation, e.object AS object",
        uris=uris,
    ).data()


def remove_documents(tx: neo4j.ManagedTransaction, uris: list[str]) -> list[dict]:
    """Delete these documents' evidence and claims; return the relation keys they supported."""
    touched = evidence_keys(tx, uris)
    tx.run(
        "UNWIND $uris AS uri MATCH (e)-[:FROM]->(:Document {uri: uri}) WHERE e:Evidence OR e:Claim "
        "DETACH DELETE e",
        uris=uris,
    )
    return touched


def write_actors(tx: neo4j.ManagedTransaction, actors: list[dict]) -> None:
    """Merge actor nodes, one statement per class (a label cannot be a parameter); an actor of no
    known class (kg's vocabulary in third-party RDF, without rdf:type) is an :Actor only."""
    for cls in (*ACTOR_CLASSES, None):
        rows = [a for a in actors if a["cls"] == cls]
        if rows:
            label = f"SET a:{cls}" if cls and SAFE_NAME.match(cls) else ""
            tx.run(f"UNWIND $rows AS row {ACTOR_MERGE}{label}", rows=rows)


def connector_actor_query() -> str:
    """The actor MERGE for the Neo4j Connector for Apache Spark, which hands each row over as `event`:
    one statement for all classes, the label chosen among the ontology's."""
    labels = " ".join(f"FOREACH (_ IN CASE WHEN row.cls = '{cls}' THEN [1] ELSE [] END | SET a:{cls})"
                      for cls in ACTOR_CLASSES if SAFE_NAME.match(cls))
    return f"WITH event AS row {ACTOR_MERGE}{labels}"


def write_documents(tx: neo4j.ManagedTransaction, docs: list[DocumentRows]) -> None:
    tx.run(
        "UNWIND $rows AS row MERGE (d:Document {uri: row.uri}) "
        "SET d.title = row.title, d.sha256 = row.sha256, d.source = row.source, "
        "d.published = row.published, d.ingestedAt = $at",
        rows=[{"uri": d.uri, "title": d.title, "sha256": d.sha256, "source": d.source,
               "published": d.published} for d in docs],
        at=now(),
    )


def write_evidence(tx: neo4j.ManagedTransaction, label: str, rows: list[dict]) -> None:
    """Evidence (or claim) nodes and their links; the document's old ones were deleted just before,
    so the links are created, not merged."""
    assert label in ("Evidence", "Claim")
    rows = list({row["uri"]: row for row in rows}.values())
    tx.run(
        f"UNWIND $rows AS row MATCH (d:Document {{uri: row.document}}) "
        "MATCH (s:Actor {uri: row.subject}) MATCH (o:Actor {uri: row.object}) "
        f"MERGE (e:{label} {{uri: row.uri}}) "
        f"SET {EVIDENCE_SET}, e.document = row.document, {EVIDENCE_SEEN}"
        f"{EVIDENCE_LINKS}",
        rows=rows,
    )


def recompute(tx: neo4j.ManagedTransaction, keys: Iterable[dict]) -> int:
    """Rebuild the relationship of each (subject, relation, object) from its evidence, or delete it.

    One statement per relation, its type spliced in from the ontology: with a static type, MERGE
    looks only at the actors' relationships of that type (a dynamic one scans all of them, which
    costs more as the graph grows)."""
    by_relation: dict[str, set[tuple[str, str]]] = {}
    for key in keys:
        by_relation.setdefault(key["relation"], set()).add((key["subject"], key["object"]))
    vocab = relations()
    count = 0
    for name, pairs in by_relation.items():
        rel = vocab[name]
        # The relationship is merged (and so locked) before its evidence is counted: a concurrent
        # loader of the same pair waits, then counts this transaction's evidence too.
        tx.run(
            "UNWIND $pairs AS p MATCH (a:Actor {uri: p.s}) MATCH (b:Actor {uri: p.o}) "
            f"MERGE (a)-[r:{rel.rel_type}]->(b) SET r.stance = $stance "
            "WITH r, p OPTIONAL MATCH (e:Evidence {subject: p.s, object: p.o, relation: $name}) "
            "WITH r, count(e) AS n, max(e.confidence) AS confidence, collect(DISTINCT e.document) AS docs, "
            "min(e.seen) AS first, max(e.seen) AS last, collect(DISTINCT [e.seen, e.seenKind]) AS seen "
            "FOREACH (_ IN CASE WHEN n = 0 THEN [1] ELSE [] END | DELETE r) "
            "FOREACH (_ IN CASE WHEN n > 0 THEN [1] ELSE [] END | "
            "SET r.symmetric = $symmetric, r.confidence = confidence, r.evidenceCount = n, "
            "r.documents = docs, r.documentCount = size(docs), r.firstSeen = first, r.lastSeen = last, "
            f"r.firstSeenKind = {seen_kind('first')}, r.lastSeenKind = {seen_kind('last')})",
            pairs=[{"s": s, "o": o} for s, o in sorted(pairs)], name=name, stance=rel.stance,
            symmetric=rel.symmetric,
        )
        count += len(pairs)
    return count


def write_resources(tx: neo4j.ManagedTransaction, docs: list[DocumentRows]) -> int:
    """Third-party RDF, n10s style: `:Resource` nodes, type labels, literal properties, IRI links.

    Each node and link lists the documents that brought it (`documents`), so forgetting or replacing
    one takes away what only it brought. Labels and types come from the data's IRIs (shortened to
    SAFE_NAME) as parameters of dynamic labels, never spliced into the statement."""
    rows = [{"uri": r["uri"], "props": r["props"], "document": d.uri,
             "labels": [label for label in r["labels"] if SAFE_NAME.match(label)]}
            for d in docs for r in d.resources.values()]
    if not rows:
        return 0
    tx.run("UNWIND $uris AS uri MATCH (d:Document {uri: uri}) SET d.hasResources = true",
           uris=list({row["document"] for row in rows}))
    tx.run(
        "UNWIND $rows AS row MERGE (r:Resource {uri: row.uri}) SET r += row.props, r:$(row.labels), "
        f"r.documents = {_WITH_DOCUMENT.format(x='r')}",
        rows=rows,
    )
    links = [{**link, "document": d.uri} for d in docs for link in d.links if SAFE_NAME.match(link["type"])]
    if links:
        tx.run(
            "UNWIND $rows AS row MATCH (a:Resource {uri: row.from}) MATCH (b:Resource {uri: row.to}) "
            f"MERGE (a)-[l:$(row.type)]->(b) SET l.documents = {_WITH_DOCUMENT.format(x='l')}",
            rows=links,
        )
    return len({r["uri"] for r in rows})


# A node's or link's `documents` with row.document added once.
_WITH_DOCUMENT = ("CASE WHEN row.document IN coalesce({x}.documents, []) THEN {x}.documents "
                  "ELSE coalesce({x}.documents, []) + row.document END")


def release_resources(tx: neo4j.ManagedTransaction, uri: str, limit: int) -> int:
    """Take the document `uri` off up to `limit` of its resources and their links; delete those no
    other document brought. How many resources it went through (0: none left, and the document
    no longer `hasResources`, which spares documents that never had any a scan of every resource)."""
    record = tx.run("MATCH (d:Document {uri: $uri}) RETURN d.hasResources AS has", uri=uri).single(strict=False)
    if not (record and record["has"]):
        return 0
    n = tx.run(
        "MATCH (r:Resource) WHERE $uri IN r.documents WITH r LIMIT $limit WITH collect(r) AS nodes "
        "CALL (nodes) { UNWIND nodes AS r MATCH (r)-[l]->(:Resource) WHERE $uri IN l.documents "
        "  WITH DISTINCT l, [d IN l.documents WHERE d <> $uri] AS rest "
        "  FOREACH (_ IN CASE WHEN size(rest) = 0 THEN [1] ELSE [] END | DELETE l) "
        "  FOREACH (_ IN CASE WHEN size(rest) > 0 THEN [1] ELSE [] END | SET l.documents = rest) } "
        "CALL (nodes) { UNWIND nodes AS r SET r.documents = [d IN r.documents WHERE d <> $uri] "
        "  WITH r WHERE size(r.documents) = 0 DETACH DELETE r } "
        "RETURN size(nodes) AS n",
        uri=uri, limit=limit,
    ).single()["n"]
    if not n:
        tx.run("MATCH (d:Document {uri: $uri}) REMOVE d.hasResources", uri=uri)
    return n


# --------------------------------------------------------------------------------------------------
# Agreements: per-document mentions and events, and the Agreement nodes and PARTY_TO recomputed from them
# --------------------------------------------------------------------------------------------------

# Event order for a party's status: by the event's date (a dateless one by its document's), then by
# document date, then by offset; a year ('2019') sorts before its days, so it counts as its first day.
EVENT_ORDER = "coalesce(e.date, left(e.seen, 10)), e.seen, e.start"


def remove_agreement_records(tx: neo4j.ManagedTransaction, uris: list[str]) -> list[str]:
    """Delete these documents' agreement mentions and events; return the agreements they were about."""
    return tx.run(
        "UNWIND $uris AS uri MATCH (e)-[:FROM]->(:Document {uri: uri}) WHERE e:AgreementEvent OR e:AgreementMention "
        "WITH e, e.agreement AS agreement DETACH DELETE e RETURN collect(DISTINCT agreement) AS agreements",
        uris=uris,
    ).single()["agreements"]


def write_agreements(tx: neo4j.ManagedTransaction, mentions: list[dict], events: list[dict]) -> None:
    """What documents say of agreements (`row.document` each): a mention per agreement and document, an
    event per sentence, linked to the document, the agreement and, for an event, its party."""
    tx.run(
        "UNWIND $rows AS row MATCH (d:Document {uri: row.document}) MERGE (a:Agreement {uri: row.agreement}) "
        "MERGE (e:AgreementMention {uri: row.uri}) "
        "SET e.agreement = row.agreement, e.document = row.document, e.name = row.name, e.kind = row.kind, "
        f"e.acronym = row.acronym, e.obligations = row.obligations, {EVIDENCE_SEEN}"
        "CREATE (e)-[:FROM]->(d), (e)-[:ABOUT]->(a)",
        rows=list({row["uri"]: row for row in mentions}.values()),
    )
    tx.run(
        "UNWIND $rows AS row MATCH (d:Document {uri: row.document}) MERGE (a:Agreement {uri: row.agreement}) "
        "MERGE (e:AgreementEvent {uri: row.uri}) "
        "SET e.agreement = row.agreement, e.party = row.party, e.status = row.status, e.binds = row.binds, "
        "e.date = row.date, e.sentence = row.sentence, e.start = row.start, e.end = row.end, e.rule = row.rule, "
        f"e.confidence = row.confidence, e.document = row.document, {EVIDENCE_SEEN}"
        "CREATE (e)-[:FROM]->(d), (e)-[:ABOUT]->(a) "
        "WITH e, row WHERE row.party IS NOT NULL MATCH (x:Actor {uri: row.party}) CREATE (e)-[:PARTY]->(x)",
        rows=list({row["uri"]: row for row in events}.values()),
    )


def recompute_agreements(tx: neo4j.ManagedTransaction, uris: Iterable[str]) -> int:
    """Rebuild each agreement's PARTY_TO relationships and its properties from the events and mentions
    that remain, or delete it when none do; the number of agreements recomputed.

    A party's status is that of its latest event among those that bind or unbind (all of them when
    none does), an agreement-wide end (no party, kg:binds false) ending every party, and a mention
    that only names it as a party (kg:Named) deciding only when nothing else does; `since` is the
    earliest date of the binding events after the last unbinding one (before it, for a party no longer
    bound), `until` the date of the unbinding event. The name, acronym and kind are the earliest
    mention's (a specific kind before the generic kg:OtherAgreement), the obligations those of every mention.
    """
    uris = sorted(set(uris))
    generic = agreement_terms().kinds["OtherAgreement"]
    pairs = tx.run(
        "UNWIND $uris AS uri MATCH (a:Agreement {uri: uri}) "
        "CALL (a) { MATCH (x:Actor)-[:PARTY_TO]->(a) RETURN x.uri AS party "
        "UNION MATCH (e:AgreementEvent)-[:ABOUT]->(a) WHERE e.party IS NOT NULL RETURN e.party AS party } "
        "RETURN a.uri AS agreement, party",
        uris=uris,
    ).data()
    # The relationship is merged (and so locked) before the events are read, as in `recompute`.
    tx.run(
        "UNWIND $pairs AS p MATCH (x:Actor {uri: p.party}) MATCH (a:Agreement {uri: p.agreement}) "
        "MERGE (x)-[r:PARTY_TO]->(a) "
        "WITH r, x, a OPTIONAL MATCH (e:AgreementEvent)-[:ABOUT]->(a) "
        "WHERE e.party = x.uri OR (e.party IS NULL AND e.binds = false) "
        f"WITH r, e ORDER BY {EVENT_ORDER} "
        "WITH r, collect(e {.status, .binds, .date, .seen, .seenKind, .party, .document}) AS timeline "
        "WITH r, [e IN timeline WHERE e.party IS NOT NULL] AS own, "
        "CASE WHEN any(e IN timeline WHERE e.binds IS NOT NULL) THEN [e IN timeline WHERE e.binds IS NOT NULL] "
        "ELSE timeline END AS seq "
        "WITH r, own, seq, coalesce(last([e IN seq WHERE e.status <> $named]), last(seq)) AS latest, "
        "reduce(k = -1, i IN range(0, size(seq) - 1) | CASE WHEN seq[i].binds = false THEN i ELSE k END) AS off "
        "WITH r, own, seq, latest, off, coalesce(latest.binds, false) AS bound, "
        "reduce(m = null, e IN own | CASE WHEN m IS NULL OR e.seen < m THEN e.seen ELSE m END) AS first, "
        "reduce(m = null, e IN own | CASE WHEN m IS NULL OR e.seen > m THEN e.seen ELSE m END) AS last, "
        "[e IN own | [e.seen, e.seenKind]] AS seen "
        "FOREACH (_ IN CASE WHEN size(own) = 0 THEN [1] ELSE [] END | DELETE r) "
        "FOREACH (_ IN CASE WHEN size(own) > 0 THEN [1] ELSE [] END | "
        "SET r.status = latest.status, r.bound = bound, "
        "r.since = head([i IN CASE WHEN bound THEN range(off + 1, size(seq) - 1) ELSE range(0, off) END "
        "WHERE seq[i].binds AND seq[i].date IS NOT NULL | seq[i].date]), "
        "r.until = CASE WHEN latest.binds = false THEN coalesce(latest.date, left(latest.seen, 10)) END, "
        "r.evidenceCount = size(own), "
        "r.documents = reduce(ds = [], e IN own | CASE WHEN e.document IN ds THEN ds ELSE ds + e.document END), "
        f"r.firstSeen = first, r.lastSeen = last, r.firstSeenKind = {seen_kind('first')}, "
        f"r.lastSeenKind = {seen_kind('last')})",
        pairs=pairs, named=agreement_terms().statuses["Named"],
    )
    tx.run(
        "UNWIND $uris AS uri MATCH (a:Agreement {uri: uri}) "
        "OPTIONAL MATCH (m:AgreementMention)-[:ABOUT]->(a) "
        "WITH a, m ORDER BY m.seen, m.document "
        "WITH a, collect(m {.name, .kind, .acronym, .obligations}) AS ms "
        "WITH a, ms, COUNT { (e:AgreementEvent)-[:ABOUT]->(a) } AS events "
        "FOREACH (_ IN CASE WHEN size(ms) + events = 0 THEN [1] ELSE [] END | DETACH DELETE a) "
        "FOREACH (_ IN CASE WHEN size(ms) + events > 0 THEN [1] ELSE [] END | "
        "SET a.name = head([m IN ms WHERE m.name IS NOT NULL | m.name]), "
        "a.acronym = head([m IN ms WHERE m.acronym IS NOT NULL | m.acronym]), "
        "a.kind = head([m IN ms WHERE m.kind IS NOT NULL AND m.kind <> $generic | m.kind] "
        "+ [m IN ms WHERE m.kind IS NOT NULL | m.kind]), "
        "a.obligations = reduce(os = [], o IN reduce(all = [], m IN ms | all + m.obligations) | "
        "CASE WHEN o IN os THEN os ELSE os + o END))",
        uris=uris, generic=generic,
    )
    return len(uris)


# What chunked deletes remove (each binds `e`; parameters uri, and run where named).
EVIDENCE_OF = "MATCH (e)-[:FROM]->(:Document {uri: $uri}) WHERE e:Evidence OR e:Claim"
EVERYTHING_OF = "MATCH (e)-[:FROM]->(:Document {uri: $uri}) WHERE e:Evidence OR e:Claim OR e:Staged"
STAGED_BY_RUN = "MATCH (e:Staged {document: $uri}) WHERE e.run = $run"
STAGED_BY_OTHERS = "MATCH (e:Staged {document: $uri}) WHERE e.run <> $run"


def delete_chunk(tx: neo4j.ManagedTransaction, match: str, limit: int, params: dict) -> int:
    """DETACH DELETE up to `limit` of the nodes `match` finds (it binds `e`); how many went."""
    return tx.run(f"{match} WITH e LIMIT $limit DETACH DELETE e RETURN count(*) AS n",
                  params, limit=limit).single()["n"]


def unset_sha256(tx: neo4j.ManagedTransaction, uri: str) -> bool:
    """Mark a document as not (completely) loaded, before its evidence changes; False if absent."""
    return tx.run("MATCH (d:Document {uri: $uri}) SET d.sha256 = null RETURN count(d) AS n", uri=uri).single()["n"] > 0


def delete_document(tx: neo4j.ManagedTransaction, uri: str) -> None:
    """Delete a document node and every actor left without links."""
    tx.run("MATCH (d:Document {uri: $uri}) DETACH DELETE d", uri=uri)
    tx.run("MATCH (a:Actor) WHERE NOT (a)--() DELETE a")


# --------------------------------------------------------------------------------------------------
# The staged load of a long document (see kg.graph.staged)
# --------------------------------------------------------------------------------------------------


def claim_document(tx: neo4j.ManagedTransaction, uri: str, run: str, sha256: str | None) -> bool:
    """Lock the document and take it for this run, unless the graph has this version already."""
    return not tx.run(
        f"MERGE (d:Document {{uri: $uri}}) {LOCK} "
        "WITH d, coalesce(d.sha256 = $sha, false) AS same "
        "FOREACH (_ IN CASE WHEN same THEN [] ELSE [1] END | SET d.loadingRun = $run) "
        "RETURN same",
        uri=uri, run=run, sha=sha256,
    ).single()["same"]


def holds_document(tx: neo4j.ManagedTransaction, uri: str, run: str) -> bool:
    """Lock the document; True while this run still holds it."""
    record = tx.run(
        f"MATCH (d:Document {{uri: $uri}}) {LOCK} RETURN d.loadingRun = $run AS ours",
        uri=uri, run=run,
    ).single()
    return record is not None and bool(record["ours"])


def write_staged(tx: neo4j.ManagedTransaction, uri: str, run: str, rows: list[dict]) -> None:
    """Evidence and claims (`row.kind`) as `:Staged` nodes, linked like evidence."""
    tx.run(
        "MATCH (d:Document {uri: $uri}) UNWIND $rows AS row "
        "MATCH (s:Actor {uri: row.subject}) MATCH (o:Actor {uri: row.object}) CREATE (e:Staged) "
        f"SET e.uri = row.uri, e.kind = row.kind, e.run = $run, e.document = $uri, {EVIDENCE_SET}"
        f"{EVIDENCE_LINKS}",
        rows=rows, run=run, uri=uri,
    )


def stamp_document(tx: neo4j.ManagedTransaction, uri: str, title: str | None, source: str | None,
                   published: str | None) -> None:
    tx.run(
        "MATCH (d:Document {uri: $uri}) SET d.title = $title, d.source = $source, d.published = $published, "
        "d.ingestedAt = $at",
        uri=uri, title=title, source=source, published=published, at=now(),
    )


def publish_staged(tx: neo4j.ManagedTransaction, uri: str, run: str, kind: str, limit: int) -> int:
    """Turn up to `limit` staged nodes of one kind into evidence (or claims); return how many."""
    assert kind in ("Evidence", "Claim")
    return tx.run(
        "MATCH (d:Document {uri: $uri}) MATCH (e:Staged {document: $uri}) WHERE e.run = $run AND e.kind = $kind "
        "WITH d, e LIMIT $limit "
        f"REMOVE e:Staged SET e:{kind}, {EVIDENCE_SEEN}REMOVE e.kind, e.run "
        "RETURN count(e) AS n",
        uri=uri, run=run, kind=kind, limit=limit,
    ).single()["n"]


def finish_document(tx: neo4j.ManagedTransaction, uri: str, sha256: str | None) -> None:
    """The document's sha256, set last: from now on it counts as loaded."""
    tx.run("MATCH (d:Document {uri: $uri}) SET d.sha256 = $sha REMOVE d.loadingRun", uri=uri, sha=sha256)


def drop_orphans(tx: neo4j.ManagedTransaction, uri: str, run: str, actors: list[str]) -> None:
    """After a failed staging: the actors only it needed, and the document if this run created it."""
    tx.run("UNWIND $uris AS uri MATCH (a:Actor {uri: uri}) WHERE NOT (a)--() DELETE a", uris=actors)
    tx.run(
        "MATCH (d:Document {uri: $uri}) WHERE d.loadingRun = $run AND d.sha256 IS NULL AND NOT (d)--() DELETE d",
        uri=uri, run=run,
    )
    tx.run("MATCH (d:Document {uri: $uri}) WHERE d.loadingRun = $run REMOVE d.loadingRun", uri=uri, run=run)
