"""Text -> claims -> RDF: the library behind `kg extract` (and the first half of `kg ingest`)."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Dataset

from kg.errors import KgError
from kg.nlp.gazetteer import Actor
from kg.nlp.pipeline import shared_pipeline
from kg.nlp.relations import Agreement, Claim
from kg.nlp.segmentation import evidence
from kg.rdf.mapping import add_document, new_dataset
from kg.readers import Document, expand_paths, make_document, read_document

SEGMENT_CHARS = 100_000
BATCH_CHARS = 100_000


@dataclass
class Extraction:
    """What a document (or one piece of a long one) gave: its claims, the actors they name and the
    agreements it describes.

    `extract_parts` yields one per piece, numbered by `part`, the document's last one with
    `last` set; `extract_documents` merges them into one per document.
    """

    document: Document
    claims: list[Claim]
    actors: dict[str, Actor]
    agreements: list[Agreement] = field(default_factory=list)
    part: int = 0
    last: bool = True

    @property
    def asserted(self) -> list[Claim]:
        return [c for c in self.claims if c.modality == "asserted"]


def read_inputs(paths: list[str], failures: list[str], identity: str | None = None,
                published: str | None = None) -> Iterator[Document]:
    """The documents the paths name; each one that cannot be read is listed in `failures`, so a
    batch goes on past it, and so is each directory's list of files of unsupported types.

    `identity` (`--id`) names the one document of a single file or stdin; `published`
    (`--published`, ISO 8601) dates every document, over what the documents say themselves."""
    if identity is not None and (len(paths) != 1 or (paths[0] != "-" and Path(paths[0]).is_dir())):
        raise KgError("--id names one document: give one file or '-' (stdin)")
    skipped: list[str] = []
    for path in expand_paths(paths, skipped):
        try:
            document = read_document(path, identity)
        except KgError as exc:
            failures.append(str(exc))
            continue
        yield replace(document, published=published) if published else document
    failures.extend(skipped)


def extract_parts(documents: Iterable[Document], workers: int = 1, batch_size: int = 16,
                  model: str | None = None, on_progress: Callable[[int], None] | None = None,
                  ) -> Iterator[Extraction]:
    """Run the pipeline over documents, in order, one piece of text at a time; in `workers`
    processes when asked. Memory stays bounded whatever the documents' sizes.
    """
    tasks = ((doc, index, offset, text) for doc in documents
             for index, (offset, text) in enumerate(pieces(doc.chunks())))
    parsed = _parallel(tasks, workers, model) if workers > 1 else _serial(tasks, batch_size, model)
    held: Extraction | None = None
    for (doc, index, offset, text), (claims, actors, agreements) in parsed:
        if on_progress:
            on_progress(len(text))
        if held is not None:
            held.last = held.document is not doc
            yield held
        claims = [replace(c, sent_start=c.sent_start + offset, sent_end=c.sent_end + offset)
                  for c in evidence(claims)]
        agreements = [shifted(a, offset) for a in agreements]
        held = Extraction(doc, claims, actors, agreements, part=index, last=False)
    if held is not None:
        held.last = True
        yield held


def extract_documents(documents: Iterable[Document], workers: int = 1, batch_size: int = 16,
                      model: str | None = None, on_progress: Callable[[int], None] | None = None,
                      ) -> Iterator[Extraction]:
    """One Extraction per document, its pieces merged: for callers that want documents whole."""
    whole: Extraction | None = None
    for part in extract_parts(documents, workers, batch_size, model, on_progress):
        if whole is None:
            whole = Extraction(part.document, list(part.claims), dict(part.actors), list(part.agreements))
        else:
            whole.claims.extend(part.claims)
            whole.actors.update(part.actors)
            whole.agreements.extend(part.agreements)
        if part.last:
            yield whole
            whole = None


Task = tuple[Document, int, int, str]  # document, piece number, offset, text
Parsed = tuple[list[Claim], dict[str, Actor], list[Agreement]]


def _serial(tasks: Iterable[Task], batch_size: int, model: str | None) -> Iterator[tuple[Task, Parsed]]:
    """Pieces parsed in batches of at most `batch_size` pieces and BATCH_CHARS characters: spaCy's
    peak memory grows with a batch's text (16 pieces of 100k characters took 4.6 GB, one 0.5 GB)."""
    nlp = shared_pipeline(model)
    for batch in _batches(tasks, batch_size):
        for doc, task in zip(nlp.pipe([t[3] for t in batch], batch_size=len(batch)), batch, strict=True):
            yield task, _parsed(doc)


def _batches(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    batch: list[Task] = []
    chars = 0
    for task in tasks:
        if batch and (len(batch) >= size or chars + len(task[3]) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(task)
        chars += len(task[3])
    if batch:
        yield batch


def _parallel(tasks: Iterable[Task], workers: int, model: str | None) -> Iterator[tuple[Task, Parsed]]:
    """Pieces parsed in worker processes, in order, with at most two per worker in flight (Pool.imap
    would read the whole input ahead). Workers load the pipeline once and send back plain picklable
    results (spaCy's own n_process would have to serialise our Doc extensions)."""
    with multiprocessing.get_context("spawn").Pool(workers, _init_worker, (model,)) as pool:
        window: deque = deque()
        for task in tasks:
            window.append((task, pool.apply_async(_parse_piece, (task[3],))))
            if len(window) >= 2 * workers:
                head, result = window.popleft()
                yield head, result.get()
        while window:
            head, result = window.popleft()
            yield head, result.get()


def pieces(chunks: Iterable[str], size: int = SEGMENT_CHARS) -> Iterator[tuple[int, str]]:
    """Text in paragraph-aligned pieces of about `size` characters, with their offsets, so memory
    stays bounded and spaCy's length limit is never hit. `chunks` may arrive in any sizes."""
    buffer, start = "", 0
    for chunk in chunks:
        buffer += chunk
        while len(buffer) > size:
            cut = _cut(buffer, size)
            yield start, buffer[:cut]
            start, buffer = start + cut, buffer[cut:]
    yield start, buffer


def _cut(text: str, size: int) -> int:
    cut = text.rfind("\n\n", 0, size)
    if cut <= 0:
        cut = text.rfind("\n", 0, size)
    if cut <= 0:
        cut = text.rfind(". ", 0, size) + 1
    if cut <= 0:
        cut = size
    return cut


_worker_model: str | None = None


def _init_worker(model: str | None) -> None:
    global _worker_model
    _worker_model = model
    shared_pipeline(model)


def _parse_piece(text: str) -> Parsed:
    return _parsed(shared_pipeline(_worker_model)(text))


def _parsed(doc) -> Parsed:
    return doc._.kg_claims or [], doc._.kg_claim_actors or {}, doc._.kg_agreements or []


def shifted(agreement: Agreement, offset: int) -> Agreement:
    """An agreement of a piece of a long document, its evidence offsets made the document's."""
    if not offset:
        return agreement
    events = tuple(replace(e, sent_start=e.sent_start + offset, sent_end=e.sent_end + offset)
                   for e in agreement.events)
    return replace(agreement, events=events)


def extract_text(text: str, name: str = "text") -> Extraction:
    """Extract from one string: the convenience entry for tests, notebooks and the REPL."""
    return next(extract_documents([make_document(text, name, name)]))


def to_dataset(extractions: Iterable[Extraction]) -> Dataset:
    """The extractions as RDF: a named graph per document (a later piece adds to its document's)."""
    ds = new_dataset()
    for extraction in extractions:
        add_document(ds, extraction.document, extraction.claims, extraction.actors, header=extraction.part == 0,
                     agreements=extraction.agreements)
    return ds
