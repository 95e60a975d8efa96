"""Reading and writing RDF files in the format their extension (or the user) names."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from rdflib import Dataset, Graph

from kg.errors import KgError
from kg.rdf.rows import Lit, Quad

WRITE_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld",
                 ".nt": "nt", ".rdf": "xml", ".xml": "xml", ".n3": "n3"}
QUAD_FORMATS = {"trig", "nquads", "json-ld", "trix"}


def output_format(path: str | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if path and path != "-":
        suffix = Path(path).suffix.lower()
        if suffix not in WRITE_FORMATS:
            raise KgError(f"{path}: unknown RDF extension {suffix!r}; use --format")
        return WRITE_FORMATS[suffix]
    return "trig"


STREAM_FORMATS = {"nquads", "nt", "trig", "turtle"}


class DatasetWriter:
    """Datasets written one after another as one RDF file, or to stdout.

    N-Quads, N-Triples, TriG and Turtle go out as each dataset comes (their documents may be
    concatenated), so memory stays bounded; JSON-LD, RDF/XML and N3 are gathered and written at the
    end. A file appears only when the writer closes without error: it is written to NAME.part and
    renamed, so a failure leaves no half file.
    """

    def __init__(self, path: str | None, fmt: str | None = None) -> None:
        self.fmt = output_format(path, fmt)
        self.path = None if not path or path == "-" else Path(path)
        self.gathered: Dataset | None = None if self.fmt in STREAM_FORMATS else Dataset()
        self.out: TextIO | None = None
        self.written = False

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def write(self, ds: Dataset) -> None:
        self.written = True
        if self.gathered is not None:
            for prefix, ns in ds.namespaces():
                self.gathered.bind(prefix, ns)
            self.gathered.addN(ds.quads((None, None, None, None)))
            return
        self._stream().write(_serialize(ds, self.fmt))

    def close(self) -> None:
        if self.gathered is not None and self.written:
            self._stream().write(_serialize(self.gathered, self.fmt))
        if self.path is not None and self.out is not None:
            self.out.close()
            self.path.with_name(self.path.name + ".part").replace(self.path)
        self.out = None

    def abort(self) -> None:
        if self.path is not None and self.out is not None:
            self.out.close()
            self.path.with_name(self.path.name + ".part").unlink(missing_ok=True)
        self.out = None

    def _stream(self) -> TextIO:
        if self.out is None:
            if self.path is None:
                self.out = sys.stdout
            else:
                self.out = self.path.with_name(self.path.name + ".part").open("w", encoding="utf-8")
        return self.out


def _serialize(ds: Dataset, fmt: str) -> str:
    target: Graph = ds
    if fmt not in QUAD_FORMATS:
        target = Graph()
        for prefix, ns in ds.namespaces():
            target.bind(prefix, ns)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            target.add((s, p, o))
    return target.serialize(format=fmt)


def write_dataset(ds: Dataset, path: str | None, fmt: str | None = None) -> None:
    """Write one dataset to a file (atomically) or to stdout."""
    with DatasetWriter(path, fmt) as writer:
        writer.write(ds)


OX_FORMATS = {"turtle": "TURTLE", "ttl": "TURTLE", "trig": "TRIG", "nquads": "N_QUADS", "nq": "N_QUADS",
              "nt": "N_TRIPLES", "ntriples": "N_TRIPLES", "json-ld": "JSON_LD", "jsonld": "JSON_LD",
              "xml": "RDF_XML", "rdf": "RDF_XML", "owl": "RDF_XML", "n3": "N3"}


def _ox_format(path: str, fmt: str | None):
    import pyoxigraph as ox

    if fmt:
        name = OX_FORMATS.get(fmt.lower())
        if name is None:
            raise KgError(f"{path}: unknown RDF format {fmt!r} (one of: {', '.join(sorted(OX_FORMATS))})")
        return getattr(ox.RdfFormat, name)
    suffix = Path(path).suffix.lower().lstrip(".")
    found = ox.RdfFormat.from_extension(suffix) if suffix else None
    if found is None:
        raise KgError(f"{path}: cannot tell the RDF format from {suffix!r}; use --format")
    return found


class QuadStream:
    """The quads of an RDF file, parsed lazily by Oxigraph (fast, and streaming for N-Triples,
    N-Quads, Turtle and TriG), as plain values; `prefixes` once it has been read. Each block read
    is reported to `on_bytes` (progress in bytes). A syntax error is a one-line KgError naming the
    file and the place."""

    def __init__(self, path: str, fmt: str | None = None, on_bytes: Callable[[int], None] | None = None) -> None:
        self.path, self.file = path, Path(path)
        if not self.file.is_file():
            raise KgError(f"{path}: no such file")
        self.format = _ox_format(path, fmt)
        self.on_bytes = on_bytes
        self.prefixes: dict[str, str] = {}

    def __iter__(self) -> Iterator[Quad]:
        import pyoxigraph as ox

        named, literal, blank = ox.NamedNode, ox.Literal, ox.BlankNode
        try:
            with self.file.open("rb") as raw:
                source = _Counted(raw, self.on_bytes) if self.on_bytes else raw
                parser = ox.parse(source, format=self.format, base_iri=self.file.resolve().as_uri())
                for q in parser:
                    s, o, g = q.subject, q.object, q.graph_name
                    yield (s.value if type(s) is named else f"_:{s.value}" if type(s) is blank else str(s),
                           q.predicate.value,
                           o.value if type(o) is named else
                           Lit(o.value, o.datatype.value if o.datatype else None, o.language) if type(o) is literal
                           else f"_:{o.value}" if type(o) is blank else str(o),
                           g.value if type(g) is named else "")
                self.prefixes = dict(getattr(parser, "prefixes", {}) or {})
        except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
            reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            raise KgError(f"{self.path}: not valid {self.format}: {reason}") from None
        except OSError as exc:
            raise KgError(f"{self.path}: cannot read ({exc.strerror or exc})") from None


class _Counted(io.RawIOBase):
    """A binary file that reports how many bytes each read took."""

    def __init__(self, raw: BinaryIO, on_bytes: Callable[[int], None]) -> None:
        self.raw, self.on_bytes = raw, on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        if n:
            self.on_bytes(n)
        return n or 0


def file_sha256(path: str) -> str:
    """The file's sha256, read a block at a time."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def has_graphs(path: str, fmt: str | None = None) -> bool:
    """Whether the file's format can hold named graphs (else the whole file is one document)."""
    return _ox_format(path, fmt).supports_datasets
