"""Reading and writing RDF files in the format their extension (or the user) names."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from rdflib import Dataset, Graph

from kg.errors import KgError
from kg.rdf.rows import Lit, Quad, Term

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


def read_quads(path: str, fmt: str | None = None) -> tuple[list[Quad], dict[str, str]]:
    """Parse any RDF file with Oxigraph's parsers (fast, streaming) into plain quads and its prefixes.

    A syntax error is a one-line KgError naming the file and the place.
    """
    import pyoxigraph as ox

    file = Path(path)
    if not file.is_file():
        raise KgError(f"{path}: no such file")
    rdf_format = _ox_format(path, fmt)
    quads: list[Quad] = []
    named, literal, blank = ox.NamedNode, ox.Literal, ox.BlankNode

    def term(t) -> Term:
        if type(t) is named:
            return t.value
        if type(t) is literal:
            return Lit(t.value, t.datatype.value if t.datatype else None, t.language)
        return f"_:{t.value}" if type(t) is blank else t.value

    try:
        parser = ox.parse(path=str(file), format=rdf_format, base_iri=file.resolve().as_uri())
        for q in parser:
            g = q.graph_name
            quads.append((term(q.subject), q.predicate.value, term(q.object), g.value if type(g) is named else ""))
        prefixes = dict(getattr(parser, "prefixes", {}) or {})
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise KgError(f"{path}: not valid {rdf_format}: {reason}") from None
    except OSError as exc:
        raise KgError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return quads, prefixes
