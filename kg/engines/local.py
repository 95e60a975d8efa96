"""The local engine: ingest (text -> RDF -> Neo4j) in this process and its workers, and load
(RDF files -> Neo4j).

RDF stays the interchange format: ingest builds each document's RDF graph and loads it through the
same rows as `kg load`, and `kg export` (kg.graph.export) writes the same shape back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import neo4j
from neo4j.exceptions import DriverError, Neo4jError

from kg.errors import KgError
from kg.extract import Extraction, extract_parts, read_inputs, to_dataset
from kg.graph.cypher import apply_constraints
from kg.graph.db import interrupted
from kg.graph.loader import batches, known_hashes, load_documents
from kg.graph.spool import SpooledDocument
from kg.graph.staged import load_spooled
from kg.progress import text_progress, track
from kg.rdf.files import read_quads
from kg.rdf.rows import DocumentRows, dataset_rows, quad_rows
from kg.readers import document_iri, path_identity
from kg.report import IngestReport


def ingest(driver: neo4j.Driver, paths: list[str], database: str | None = None, workers: int = 1,
           batch_size: int = 20, progress: Callable[[str], None] | None = None, identity: str | None = None,
           published: str | None = None) -> IngestReport:
    """Extract and load documents; unchanged ones (same sha256) are skipped before any parsing.

    Files are read piece by piece and a long document's rows wait on disk until it is complete,
    so memory stays bounded. Short documents are written in batches, one transaction each; a long
    one in bounded transactions, visible only once complete (`kg.graph.staged`), announced to
    `progress` since it may take minutes. `identity` and `published` are `--id` and `--published`
    (see `kg.extract.read_inputs`)."""
    report = IngestReport()
    apply_constraints(driver, database)
    documents = list(read_inputs(paths, report.failures, identity, published))
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
                        if progress:
                            progress(f"{item.source}: writing {item.items:,} evidence and claims to Neo4j")
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
            rows = quad_rows(quads, document_iri(path_identity(path)), prefixes, source=path)
        except KgError as exc:
            report.failures.append(str(exc) if str(exc).startswith(path) else f"{path}: {exc}")
            continue
        try:
            report.summary.add(load_documents(driver, rows, database))
        except (DriverError, Neo4jError) as exc:
            raise interrupted(exc, report.summary.documents_loaded) from None
    return report
