"""Text -> claims -> RDF: the library behind `kg extract` (and the first half of `kg ingest`)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rdflib import Dataset

from kg.errors import KgError
from kg.gazetteer import Actor
from kg.pipeline import shared_pipeline
from kg.rdf_mapping import add_document, new_dataset
from kg.readers import Document, expand_paths, make_document, read_document
from kg.relations import Claim

if TYPE_CHECKING:
    from kg.ingest import IngestReport

SEGMENT_CHARS = 100_000


@dataclass
class Extraction:
    """What one document gave: its claims and the actors they name."""

    document: Document
    claims: list[Claim]
    actors: dict[str, Actor]

    @property
    def asserted(self) -> list[Claim]:
        return [c for c in self.claims if c.modality == "asserted"]


@dataclass
class BatchReport:
    """Which inputs failed, and why, so a batch can go on and say so at the end."""

    failures: list[str] = field(default_factory=list)
    documents: int = 0


def read_inputs(paths: list[str], report: BatchReport | IngestReport) -> Iterator[Document]:
    """The documents the paths name; each one that cannot be read is listed in report.failures."""
    for path in expand_paths(paths):
        try:
            yield read_document(path)
        except KgError as exc:
            report.failures.append(str(exc))


def extract_documents(documents: Iterable[Document], workers: int = 1, batch_size: int = 16,
                      model: str | None = None, on_progress: Callable[[int], None] | None = None,
                      ) -> Iterator[Extraction]:
    """Run the pipeline over documents, in order; in `workers` processes when asked.

    Worker processes each load the pipeline once and send back plain picklable Extractions
    (spaCy's own n_process would have to serialise our Doc extensions).
    """
    if workers > 1:
        with multiprocessing.get_context("spawn").Pool(workers, _init_worker, (model,)) as pool:
            for extraction in pool.imap(_extract_one, documents, chunksize=2):
                if on_progress:
                    on_progress(len(extraction.document.text))
                yield extraction
        return
    nlp = shared_pipeline(model)
    pairs = ((segment, (doc, offset)) for doc in documents for offset, segment in segments(doc.text))
    current: Extraction | None = None
    for parsed, (doc, offset) in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        if on_progress:
            on_progress(len(parsed.text))
        claims = [replace(c, sent_start=c.sent_start + offset, sent_end=c.sent_end + offset)
                  for c in parsed._.kg_claims or []]
        if current is not None and current.document is not doc:
            yield current
            current = None
        if current is None:
            current = Extraction(doc, [], {})
        current.claims.extend(claims)
        current.actors.update(parsed._.kg_actors or {})
    if current is not None:
        yield current


def segments(text: str, size: int = SEGMENT_CHARS) -> Iterator[tuple[int, str]]:
    """Long texts in paragraph-aligned pieces of about `size` characters, with their offsets,
    so memory stays bounded and spaCy's length limit is never hit."""
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n\n", start, start + size)
        if cut <= start:
            cut = text.rfind("\n", start, start + size)
        if cut <= start:
            cut = text.rfind(". ", start, start + size) + 1
        if cut <= start:
            cut = start + size
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


_worker_model: str | None = None


def _init_worker(model: str | None) -> None:
    global _worker_model
    _worker_model = model
    shared_pipeline(model)


def _extract_one(document: Document) -> Extraction:
    return next(extract_documents([document], model=_worker_model))


def extract_text(text: str, name: str = "text") -> Extraction:
    """Extract from one string: the convenience entry for tests, notebooks and the REPL."""
    return next(extract_documents([make_document(text, name, name)]))


def to_dataset(extractions: Iterable[Extraction], on_each: Callable[[Extraction], None] | None = None) -> Dataset:
    ds = new_dataset()
    for extraction in extractions:
        add_document(ds, extraction.document, extraction.claims, extraction.actors)
        if on_each:
            on_each(extraction)
    return ds
