"""RDF files of any size -> loader rows, in bounded memory.

A file's triples may come in any order, but a document's rows need each subject's triples together
(an evidence node is seven triples). So quads are grouped by (graph, subject) with an external sort:
up to SORT_QUADS of them in memory, sorted runs spilled to the load's temporary directory beyond
that, and merged on the way out. A graph then comes out whole, one subject at a time, and becomes
one document: rows in memory while it is small, spooled to disk part by part (`SpooledDocument`,
loaded by `kg.graph.staged`) once it is not. The whole file is read before anything is written, so
a syntax error or a relation outside the ontology writes nothing.
"""

from __future__ import annotations

import heapq
import itertools
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from kg.graph.spool import SpooledDocument
from kg.rdf.rows import S_DOC, S_RDF_TYPE, DocumentRows, GraphMapper, Quad, Shortener, check_predicates

SORT_QUADS = 100_000  # quads held in memory before a sorted run goes to disk
SORT_KEYS = 20_000  # relation keys (of evidence, and of relationships to recompute) likewise
PART_ROWS = 5_000  # rows (evidence, claims, actors, resources, links) in one part of a spooled document
SPOOL_ROWS = 20_000  # rows a graph may have and still load in one transaction (staging writes each row thrice)
RUN_BLOCK = 500  # groups pickled together in a run file


class GroupSorter:
    """Values grouped by key and handed out in key order, holding at most `limit` values in memory:
    beyond that, sorted runs go to files in `directory` and are merged on the way out."""

    def __init__(self, directory: Path, limit: int = SORT_QUADS) -> None:
        self.directory, self.limit = directory, limit
        self.groups: dict[Any, list] = {}
        self.count = 0
        self.runs: list[Path] = []

    def add(self, key: Any, value: Any) -> None:
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = [value]
        else:
            group.append(value)
        self.count += 1
        if self.count >= self.limit:
            self._spill()

    def __iter__(self) -> Iterator[tuple[Any, list]]:
        if not self.runs:
            groups, self.groups = self.groups, {}
            yield from sorted(groups.items(), key=itemgetter(0))
            return
        self._spill()
        try:
            merged = heapq.merge(*(self._read(run) for run in self.runs), key=itemgetter(0))
            for key, same in itertools.groupby(merged, key=itemgetter(0)):
                yield key, [value for _, values in same for value in values]
        finally:
            for run in self.runs:
                run.unlink(missing_ok=True)
            self.runs = []

    def _spill(self) -> None:
        if not self.groups:
            return
        handle, name = tempfile.mkstemp(dir=self.directory, suffix=".run")
        with os.fdopen(handle, "wb") as out:
            ordered = sorted(self.groups.items(), key=itemgetter(0))
            for i in range(0, len(ordered), RUN_BLOCK):
                pickle.dump(ordered[i:i + RUN_BLOCK], out, protocol=pickle.HIGHEST_PROTOCOL)
        self.runs.append(Path(name))
        self.groups, self.count = {}, 0

    @staticmethod
    def _read(run: Path) -> Iterator[tuple[Any, list]]:
        with run.open("rb") as f:
            while True:
                try:
                    block = pickle.load(f)
                except EOFError:
                    return
                yield from block


def file_documents(quads: Iterable[Quad], default_graph: str, spool_dir: Path,
                   prefixes: Callable[[], dict[str, str]] | None = None, title: str | None = None,
                   source: str | None = None, sha256: str | None = None,
                   live: bool = False) -> Iterator[DocumentRows | SpooledDocument]:
    """Each graph of `quads` as one document: DocumentRows when small, else a SpooledDocument.

    A graph that names no kg:Document is a document itself (the default graph's IRI is
    `default_graph`), from `source`; unless it says otherwise its sha256 comes from the file's
    (`sha256`), so re-loading an unchanged file skips it. The default graph also takes `title`.
    `prefixes` gives the file's prefixes once it has been read (n10s-style short names use them).

    `live`: a large graph whose sha256 is known from the start (it names no kg:Document) is handed
    out as soon as its first part is spooled, and the rest follows while the caller loads it
    (`SpooledDocument.parts` waits for it), so the mapping and Neo4j work at the same time. Only for
    a caller that iterates in another thread than the one loading.
    """
    sorter = GroupSorter(spool_dir)
    docs: dict[str, str] = {}
    predicates: dict[str, str] = {}
    for s, p, o, g in quads:
        p = predicates.setdefault(p, p)  # one string per predicate, however many triples use it
        sorter.add((g, s), (p, o))
        if p == S_RDF_TYPE and o == S_DOC:
            docs.setdefault(g, s)
    check_predicates(predicates)
    shorten = Shortener(prefixes() if prefixes else None)
    for graph, subjects in itertools.groupby(sorter, key=lambda item: item[0][0]):
        doc = docs.get(graph)
        mapper = GraphMapper(doc or graph or default_graph, doc, None if doc else source, shorten)
        if not doc:
            mapper.header.sha256 = sha256 if not graph else _derived(sha256, graph)
            mapper.header.title = None if graph else title
        yield from _graph_document(mapper, subjects, spool_dir, sha256 and _derived(sha256, graph), live and not doc)


def _graph_document(mapper: GraphMapper, subjects: Iterable[tuple[tuple[str, str], list]], spool_dir: Path,
                    fallback_sha: str | None, live: bool) -> Iterator[DocumentRows | SpooledDocument]:
    """The graph's document, yielded once: at its end, or (`live`) when its first part is spooled.
    If mapping fails after that, the document is marked abandoned, so that its reader stops too."""
    spooled: SpooledDocument | None = None
    keys = GroupSorter(spool_dir, SORT_KEYS)

    def spill() -> Iterator[SpooledDocument]:
        nonlocal spooled
        if mapper.size() >= (PART_ROWS if spooled is not None else SPOOL_ROWS):
            if spooled is None:
                spooled = SpooledDocument.for_graph(spool_dir, mapper.header.uri)
                if live:
                    spooled.sha256 = mapper.header.sha256
                    spooled.complete.clear()
                    yield spooled
            spooled.append(mapper.take())

    try:
        for (_, s), pos in subjects:
            mapper.subject(s, pos)
            for key in mapper.evidenced:
                keys.add(key, True)
            for key in mapper.plain:
                keys.add(key, False)
            mapper.evidenced.clear()
            mapper.plain.clear()
            yield from spill()
        for key, flags in keys:
            if not any(flags):
                mapper.synthetic(key)
                yield from spill()
        mapper.undescribed()
    except BaseException:
        if spooled is not None:
            spooled.abandoned = True
            spooled.complete.set()
        raise
    if mapper.header.sha256 is None:
        mapper.header.sha256 = fallback_sha
    if spooled is None:
        yield mapper.finish(mapper.take())
        return
    spooled.append(mapper.take())
    header = mapper.header
    spooled.title, spooled.sha256, spooled.source, spooled.published = (header.title, header.sha256, header.source,
                                                                        header.published)
    if spooled.complete.is_set():
        yield spooled
    spooled.complete.set()


def _derived(sha256: str | None, graph: str) -> str | None:
    """A named graph's sha256 when it states none: the file's and the graph's name, so an unchanged
    file's graphs are skipped, and any change to the file loads them again."""
    import hashlib

    return hashlib.sha256(f"{sha256}\n{graph}".encode()).hexdigest() if sha256 else None
