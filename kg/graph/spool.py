"""A long document's rows kept on disk while it is extracted, so it loads only once complete.

A document longer than one piece of text yields its rows piece by piece. Holding them all would
make memory grow with the document, and loading each piece as it comes would leave a half-written
document behind a failure in the middle of the text. So the pieces are spooled to a file, and
`kg.graph.staged` reads them back once the whole text has been parsed.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.rdf.rows import DocumentRows
from kg.readers import Document


def _completed() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


@dataclass
class SpooledDocument:
    """The loader's view of a spooled document: its metadata, and its rows part by part."""

    uri: str
    title: str | None
    sha256: str | None
    source: str | None
    published: str | None
    path: Path
    items: int = 0  # evidence and claims appended so far
    resources: int = 0  # other-RDF resources appended so far (kept apart: they are written on publishing)
    written: int = 0  # parts in `path` so far
    # Set once every part is in: cleared while another thread still appends (`kg.rdf.stream`, live)
    complete: threading.Event = field(default_factory=_completed)
    abandoned: bool = False  # the loader gave up on it: appending stops

    @classmethod
    def create(cls, directory: Path, document: Document) -> SpooledDocument:
        spooled = cls.for_graph(directory, document.uri)
        spooled.title, spooled.sha256, spooled.source = document.title, document.sha256, document.source
        spooled.published = document.published
        return spooled

    @classmethod
    def for_graph(cls, directory: Path, uri: str) -> SpooledDocument:
        """An empty spool for the document `uri`, its metadata to be filled in once known."""
        handle, name = tempfile.mkstemp(dir=directory, suffix=".rows")  # empty, mode 600
        os.close(handle)
        return cls(uri, None, None, None, None, Path(name))

    @property
    def resource_path(self) -> Path:
        return self.path.with_suffix(".resources")

    def append(self, rows: DocumentRows) -> None:
        """Add a part; its resources and links go to a file of their own."""
        if self.abandoned:
            raise Abandoned(self.uri)
        if rows.resources or rows.links:
            with self.resource_path.open("ab") as f:
                pickle.dump((rows.resources, rows.links), f, protocol=pickle.HIGHEST_PROTOCOL)
            self.resources += len(rows.resources)
            rows = DocumentRows(rows.uri, actors=rows.actors, evidence=rows.evidence, claims=rows.claims,
                                agreements=rows.agreements, agreement_events=rows.agreement_events)
        with self.path.open("ab") as f:
            pickle.dump(rows, f, protocol=pickle.HIGHEST_PROTOCOL)
        self.items += len(rows.evidence) + len(rows.claims)
        self.written += 1

    def parts(self) -> Iterator[DocumentRows]:
        """The parts' actors, evidence and claims; while another thread still appends, each part as
        soon as it is written."""
        with self.path.open("rb") as f:
            read = 0
            while True:
                if read < self.written:
                    yield pickle.load(f)
                    read += 1
                elif self.complete.is_set():
                    if self.abandoned:
                        raise Abandoned(self.uri)
                    if read >= self.written:
                        return
                else:
                    self.complete.wait(0.05)

    def resource_parts(self) -> Iterator[DocumentRows]:
        """The parts' resources and links."""
        if self.resources:
            for resources, links in _read(self.resource_path):
                yield DocumentRows(self.uri, resources=resources, links=links)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.resource_path.unlink(missing_ok=True)


class Abandoned(Exception):
    """The document being spooled is no longer wanted."""


def _read(path: Path) -> Iterator:
    with path.open("rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return
