"""The local engine: ingest (text -> RDF -> Neo4j) in this process and its workers, and load
(RDF files -> Neo4j).

RDF stays the interchange format: ingest builds each document's RDF graph and loads it through the
same rows as `kg load`, and `kg export` (kg.graph.export) writes the same shape back.
"""

from __future__ import annotations

import contextlib
import queue
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import neo4j
from neo4j.exceptions import DriverError, Neo4jError

from kg.errors import KgError
from kg.extract import Extraction, extract_parts, read_inputs, to_dataset
from kg.graph.cypher import apply_constraints
from kg.graph.db import interrupted
from kg.graph.loader import batches, known_hashes, load_documents
from kg.graph.spool import Abandoned, SpooledDocument
from kg.graph.staged import load_spooled
from kg.progress import text_progress, track
from kg.rdf.files import QuadStream, file_sha256, has_graphs
from kg.rdf.rows import DocumentRows, dataset_rows
from kg.rdf.stream import file_documents
from kg.readers import document_iri, path_identity
from kg.report import IngestReport, LoadSummary

T = TypeVar("T")


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


def load_files(driver: neo4j.Driver, paths: list[str], database: str | None = None, fmt: str | None = None,
               progress: Callable[[str], None] | None = None, batch_size: int = 100) -> IngestReport:
    """Load RDF files; a bad file is listed and the others still load.

    Each file is read as a stream and sorted on disk (`kg.rdf.stream`), so memory does not grow with
    it. Each graph is one document: a file without named graphs is one, named by its path, titled by
    its file name, and skipped unchanged by its sha256 before it is even parsed. Small documents go
    in batches, one transaction each; a large one in bounded transactions, visible once complete
    (`kg.graph.staged`)."""
    report = IngestReport()
    apply_constraints(driver, database)
    for path in paths:
        try:
            report.summary.add(_load_file(driver, path, database, fmt, progress, batch_size))
        except KgError as exc:
            report.failures.append(str(exc) if str(exc).startswith(path) else f"{path}: {exc}")
        except (DriverError, Neo4jError) as exc:
            raise interrupted(exc, report.summary.documents_loaded) from None
    return report


def _load_file(driver: neo4j.Driver, path: str, database: str | None, fmt: str | None,
               progress: Callable[[str], None] | None, batch_size: int) -> LoadSummary:
    quads = QuadStream(path, fmt)
    sha256 = file_sha256(path)
    uri = document_iri(path_identity(path))
    summary = LoadSummary()
    if not has_graphs(path, fmt) and known_hashes(driver, [uri], database).get(uri) == sha256:
        summary.documents_skipped = 1
        return summary
    stop = threading.Event()
    with (text_progress(quads.file.stat().st_size, f"reading {quads.file.name}") as advance,
          tempfile.TemporaryDirectory(prefix="kg-load-", ignore_cleanup_errors=True) as spool):

        def read(n: int) -> None:
            if stop.is_set():
                raise Abandoned(path)
            if advance:
                advance(n)

        quads.on_bytes = read
        documents = file_documents(quads, uri, Path(spool), lambda: quads.prefixes, title=quads.file.name,
                                   source=path, sha256=sha256, live=True)
        small: list[DocumentRows] = []
        with _background(documents, stop) as items:
            for item in items:
                if isinstance(item, DocumentRows):
                    small.append(item)
                    if len(small) >= batch_size:
                        summary.add(load_documents(driver, small, database, batch_size=batch_size))
                        small = []
                    continue
                if small:
                    summary.add(load_documents(driver, small, database, batch_size=batch_size))
                    small = []
                if progress:
                    progress(f"{path}: writing the graph {item.uri} to Neo4j in bounded transactions")
                try:
                    with driver.session(database=database) as session:
                        summary.add(load_spooled(session, item))
                except BaseException:
                    item.abandoned = True
                    raise
                item.discard()
        if small:
            summary.add(load_documents(driver, small, database, batch_size=batch_size))
    return summary


@contextlib.contextmanager
def _background(items: Iterator[T], stop: threading.Event) -> Iterator[Iterator[T]]:
    """`items` produced by a thread of its own, a few ahead of the consumer: `kg load` maps a file's
    triples while Neo4j writes the rows already mapped. The producer's errors are raised here; when
    the consumer stops early, `stop` is set, and the producer stops at its next item (or sooner,
    where it checks `stop` itself)."""
    ready: queue.Queue = queue.Queue(maxsize=2)
    done = object()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        ready.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put((done, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            ready.put((done, exc))

    def consume() -> Iterator[T]:
        while True:
            item, error = ready.get()
            if error is not None:
                raise error
            if item is done:
                return
            yield item

    thread = threading.Thread(target=produce, name="kg-load-mapping", daemon=True)
    thread.start()
    try:
        yield consume()
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.1)
