"""Ingest (text -> RDF -> Neo4j), load (RDF files -> Neo4j) and export (Neo4j -> RDF).

RDF stays the interchange format in both directions: ingest builds each document's RDF graph
and loads it through the same rows as `kg load`, and export writes the same shape back.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import neo4j
from neo4j.exceptions import DriverError, Neo4jError
from rdflib import Dataset, URIRef

from kg.db import interrupted
from kg.errors import KgError
from kg.extract import Extraction, extract_parts, read_inputs, to_dataset
from kg.loader import LoadSummary, apply_constraints, batches, load_documents
from kg.progress import stderr, text_progress, track
from kg.rdf.files import read_quads
from kg.rdf.mapping import add_actor_node, add_document_node, add_statement, new_dataset
from kg.rdf.rows import DocumentRows, dataset_rows, quad_rows
from kg.rdf.vocabulary import relations
from kg.spool import SpooledDocument
from kg.staged_load import load_spooled


@dataclass
class IngestReport:
    summary: LoadSummary = field(default_factory=LoadSummary)
    failures: list[str] = field(default_factory=list)
    unchanged: int = 0


def known_hashes(driver: neo4j.Driver, uris: list[str], database: str | None) -> dict[str, str]:
    records, _, _ = driver.execute_query(
        "UNWIND $uris AS uri MATCH (d:Document {uri: uri}) RETURN d.uri AS uri, d.sha256 AS sha256",
        uris=uris, database_=database, routing_=neo4j.RoutingControl.READ,
    )
    return {r["uri"]: r["sha256"] for r in records}


def ingest(driver: neo4j.Driver, paths: list[str], database: str | None = None, workers: int = 1,
           batch_size: int = 20) -> IngestReport:
    """Extract and load documents; unchanged ones (same sha256) are skipped before any parsing.

    Files are read piece by piece and a long document's rows wait on disk until it is complete,
    so memory stays bounded. Short documents are written in batches, one transaction each; a long
    one in bounded transactions, visible only once complete (`kg.staged_load`)."""
    report = IngestReport()
    apply_constraints(driver, database)
    documents = list(read_inputs(paths, report))
    known = known_hashes(driver, [d.uri for d in documents], database)
    todo = [d for d in documents if known.get(d.uri) != d.sha256]
    report.unchanged = len(documents) - len(todo)
    report.summary.documents_skipped += report.unchanged
    with (text_progress(sum(d.size for d in todo), "ingesting") as advance,
          tempfile.TemporaryDirectory(prefix="kg-spool-") as spool):
        parts = extract_parts(todo, workers=workers, on_progress=advance)
        if advance is None:
            parts = track(parts, len(todo), "ingesting", weight=lambda part: part.last)
        try:
            for batch in batches(_rows_of(parts, Path(spool)), batch_size):
                short = [item for item in batch if isinstance(item, DocumentRows)]
                report.summary.add(load_documents(driver, short, database, batch_size=batch_size))
                for item in batch:
                    if isinstance(item, SpooledDocument):
                        stderr.print(f"{item.source}: writing {item.items:,} evidence and claims to Neo4j",
                                     highlight=False, markup=False)
                        with driver.session(database=database) as session:
                            report.summary.add(load_spooled(session, item))
                        item.discard()
        except (DriverError, Neo4jError) as exc:
            raise interrupted(exc, report.summary.documents_loaded) from None
    return report


def _rows_of(parts: Iterable[Extraction], spool_dir: Path) -> Iterator[DocumentRows | SpooledDocument]:
    """Each document's rows: directly when it came in one piece, else spooled to disk piece by piece."""
    spooled: SpooledDocument | None = None
    for part in parts:
        rows = dataset_rows(to_dataset([part]))
        if part.part == 0 and part.last:
            yield from rows
            continue
        if part.part == 0:
            spooled = SpooledDocument.create(spool_dir, part.document)
        assert spooled is not None
        for item in rows:
            spooled.append(item)
        if part.last:
            yield spooled
            spooled = None


def load_files(driver: neo4j.Driver, paths: list[str], database: str | None = None,
               fmt: str | None = None) -> IngestReport:
    """Load RDF files of any rdflib format; a bad file is listed and the others still load."""
    report = IngestReport()
    apply_constraints(driver, database)
    for path in track(paths, len(paths), "loading"):
        try:
            quads, prefixes = read_quads(path, fmt)
            rows = quad_rows(quads, hashlib.sha256(path.encode("utf-8")).hexdigest()[:20], prefixes)
        except KgError as exc:
            report.failures.append(str(exc) if str(exc).startswith(path) else f"{path}: {exc}")
            continue
        try:
            report.summary.add(load_documents(driver, rows, database))
        except (DriverError, Neo4jError) as exc:
            raise interrupted(exc, report.summary.documents_loaded) from None
    return report


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
                          item.get("rule"), float(item.get("confidence") or 0))
        for uri in sorted(used):
            actor = actor_by_uri.get(uri)
            if actor is None:
                continue
            cls = next((label for label in actor["labels"] if label != "Actor"), None)
            add_actor_node(g, URIRef(uri), cls, actor.get("name") or uri, actor.get("wikidata"),
                           actor.get("aliases") or [])
    return ds
