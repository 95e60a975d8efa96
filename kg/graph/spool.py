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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.rdf.rows import DocumentRows
from kg.readers import Document


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

    @classmethod
    def create(cls, directory: Path, document: Document) -> SpooledDocument:
        handle, name = tempfile.mkstemp(dir=directory, suffix=".rows")  # empty, mode 600
        os.close(handle)
        return cls(document.uri, document.title, document.sha256, document.source, document.published, Path(name))

    def append(self, rows: DocumentRows) -> None:
        with self.path.open("ab") as f:
            pickle.dump(rows, f, protocol=pickle.HIGHEST_PROTOCOL)
        self.items += len(rows.evidence) + len(rows.claims)

    def parts(self) -> Iterator[DocumentRows]:
        with self.path.open("rb") as f:
            while True:
                try:
                    yield pickle.load(f)
                except EOFError:
                    return

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
