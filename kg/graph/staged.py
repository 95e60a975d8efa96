"""A long document loaded in many transactions, and seen by queries only once it is complete.

The server holds a transaction's changes in memory (the local server allows about 700 MB), and a
50 MB text gives some 200,000 evidence and claim nodes: far more than one transaction can hold.
So a spooled document is loaded in three steps, each made of bounded transactions:

1. claim: the Document node is merged and locked, its sha256 compared (unchanged: skipped), and
   `loadingRun` set to this run's id. A later run that claims the same document takes it over:
   every later transaction of the first run checks the mark under the document's lock and stops.
2. stage: the parts' actors are merged and their evidence and claims created as `:Staged` nodes
   (property `kind` says which), linked like evidence, which no query, aggregate or export reads.
3. publish: the document's old evidence and claims are deleted, the staged nodes relabelled, the
   touched relationships recomputed, and, in one last transaction, its agreements replaced (they are
   few) and the document's sha256 set.

A failure before publishing removes what was staged, leaving the graph as it was. A process killed
outright leaves staged nodes and no sha256 behind; the next load of the document removes them and
loads it again, so nothing is half-visible and nothing is duplicated.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import neo4j

from kg.graph import cypher
from kg.graph.loader import (
    delete_in_chunks,
    forget_in_session,
    recompute_in_chunks,
    release_resources,
    replace_agreements,
)
from kg.graph.spool import SpooledDocument
from kg.rdf.rows import DocumentRows
from kg.rdf.stream import SORT_KEYS, GroupSorter
from kg.report import LoadSummary

STAGE_ROWS = 20_000  # evidence and claims written per transaction
PUBLISH_ROWS = 50_000  # nodes relabelled per transaction
KINDS = ("Evidence", "Claim")


@dataclass
class Staged:
    """What one staging transaction wrote (taken into account once it has committed)."""

    actors: set[str]
    keys: set[tuple[str, str, str]]
    evidence: int
    claims: int


class TakenOver(Exception):
    """Another run claimed the document while this one was loading it."""


def load_spooled(session: neo4j.Session, doc: SpooledDocument) -> LoadSummary:
    """Load one spooled document in bounded transactions; see the module's docstring."""
    run = uuid.uuid4().hex
    summary = LoadSummary()
    actors: set[str] = set()
    keys = GroupSorter(doc.path.parent, SORT_KEYS)  # the relationships to recompute, on disk when many
    agreements = DocumentRows(doc.uri)  # few per document: kept here, written when publishing
    try:
        # Inside the try: an interruption may come after the server committed the claim.
        if not session.execute_write(_claim, doc, run):
            summary.documents_skipped = 1
            return summary
        _delete_in_chunks(session, doc.uri, cypher.STAGED_BY_OTHERS, run)
        for group in _groups(doc.parts(), lambda part: len(part.evidence) + len(part.claims)):
            for part in group:
                agreements.agreements += part.agreements
                agreements.agreement_events += part.agreement_events
            staged = session.execute_write(_stage, doc.uri, run, group)
            actors |= staged.actors
            for key in staged.keys:
                keys.add(key, None)
            summary.evidence += staged.evidence
            summary.claims += staged.claims
    except TakenOver:
        return LoadSummary(documents_skipped=1)
    except BaseException:
        _discard(session, doc.uri, run, actors)
        raise
    try:
        _publish(session, doc, run, keys, summary, agreements)
    except TakenOver:
        return LoadSummary(documents_skipped=1)
    except BaseException:
        _withdraw(session, doc.uri)
        raise
    summary.actors = len(actors)
    summary.documents_loaded = 1
    return summary


def _claim(tx: neo4j.ManagedTransaction, doc: SpooledDocument, run: str) -> bool:
    """Lock the document and take it for this run, unless the graph has this version already."""
    return cypher.claim_document(tx, doc.uri, run, doc.sha256)


def _own(tx: neo4j.ManagedTransaction, uri: str, run: str) -> None:
    """Lock the document; raise TakenOver unless this run still holds it."""
    if not cypher.holds_document(tx, uri, run):
        raise TakenOver(uri)


def _groups(parts: Iterable[DocumentRows], size: Callable[[DocumentRows], int]) -> Iterator[list[DocumentRows]]:
    """Spooled parts gathered into groups of about STAGE_ROWS rows, as `size` counts a part's."""
    group: list[DocumentRows] = []
    rows = 0
    for part in parts:
        group.append(part)
        rows += size(part)
        if rows >= STAGE_ROWS:
            yield group
            group, rows = [], 0
    if group:
        yield group


def _stage(tx: neo4j.ManagedTransaction, uri: str, run: str, group: list[DocumentRows]) -> Staged:
    """Write a group's actors and its evidence and claims as staged nodes, linked to the document
    and both actors (so no clean-up of unlinked actors can take them away before publishing)."""
    _own(tx, uri, run)
    actors = {a_uri: a for part in group for a_uri, a in part.actors.items()}
    cypher.write_actors(tx, list(actors.values()))
    rows = {}
    for part in group:
        rows.update((e["uri"], {**e, "kind": "Evidence", "modality": "asserted"}) for e in part.evidence)
        rows.update((c["uri"], {**c, "kind": "Claim"}) for c in part.claims)
    cypher.write_staged(tx, uri, run, list(rows.values()))
    evidence = [e for e in rows.values() if e["kind"] == "Evidence"]
    return Staged(set(actors), {(e["subject"], e["relation"], e["object"]) for e in evidence}, len(evidence),
                  len(rows) - len(evidence))


def _publish(session: neo4j.Session, doc: SpooledDocument, run: str, keys: GroupSorter,
             summary: LoadSummary, agreements: DocumentRows) -> None:
    """Replace the document's old evidence, claims and resources with the staged ones. Resources are
    written only now, from the spool: unlike evidence they cannot wait in the graph unseen."""
    def start(tx: neo4j.ManagedTransaction) -> list[dict]:
        _own(tx, doc.uri, run)
        cypher.unset_sha256(tx, doc.uri)
        return cypher.evidence_keys(tx, [doc.uri])

    for key in session.execute_write(start):
        keys.add((key["subject"], key["relation"], key["object"]), None)
    _delete_in_chunks(session, doc.uri, cypher.EVIDENCE_OF, run)
    release_resources(session, doc.uri, lambda tx: _own(tx, doc.uri, run))
    session.execute_write(_stamp, doc, run)
    for kind in KINDS:
        while session.execute_write(_relabel, doc.uri, run, kind):
            pass
    for group in _groups(doc.resource_parts(), lambda part: len(part.resources) + len(part.links)):
        summary.resources += session.execute_write(_resources, doc.uri, run, group)
    summary.relations_touched += recompute_in_chunks(
        session, ({"subject": s, "relation": r, "object": o} for (s, r, o), _ in keys))

    def finish(tx: neo4j.ManagedTransaction) -> None:
        _own(tx, doc.uri, run)
        summary.agreements = replace_agreements(tx, [agreements])
        cypher.finish_document(tx, doc.uri, doc.sha256)

    session.execute_write(finish)


def _resources(tx: neo4j.ManagedTransaction, uri: str, run: str, group: list[DocumentRows]) -> int:
    _own(tx, uri, run)
    return cypher.write_resources(tx, group)


def _withdraw(session: neo4j.Session, uri: str) -> None:
    """After a failure while publishing: forget the document whole, since it may be half replaced.
    Best effort: if this fails too, the document has no sha256, and the next load replaces it."""
    with contextlib.suppress(neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
        forget_in_session(session, uri)


def _stamp(tx: neo4j.ManagedTransaction, doc: SpooledDocument, run: str) -> None:
    """The document's metadata, before its evidence is relabelled (evidence takes its date)."""
    _own(tx, doc.uri, run)
    cypher.stamp_document(tx, doc.uri, doc.title, doc.source, doc.published)


def _relabel(tx: neo4j.ManagedTransaction, uri: str, run: str, kind: str) -> int:
    """Turn up to PUBLISH_ROWS staged nodes of one kind into evidence (or claims); return how many."""
    _own(tx, uri, run)
    return cypher.publish_staged(tx, uri, run, kind, PUBLISH_ROWS)


def _delete_in_chunks(session: neo4j.Session, uri: str, match: str, run: str) -> None:
    """`loader.delete_in_chunks`, each transaction first checking that this run still holds the document."""
    delete_in_chunks(session, match, lambda tx: _own(tx, uri, run), uri=uri, run=run)


def _discard(session: neo4j.Session, uri: str, run: str, actors: set[str]) -> None:
    """After a failure while staging: remove this run's staged nodes, the actors only they needed,
    and the document node if this run created it. Best effort: the next load cleans up as well."""
    try:
        _delete_in_chunks(session, uri, cypher.STAGED_BY_RUN, run)
        session.execute_write(cypher.drop_orphans, uri, run, sorted(actors))
    except (TakenOver, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
        pass

